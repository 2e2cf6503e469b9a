"""Two real pdf_worker processes against one database: each periodic job runs once per due time."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time

import pytest

from intake.models import JobRun, Submission, SubmissionEvent

from . import factories, live

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(tmp_path, n):
    env = {
        **os.environ,
        **live.test_database_env(),
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    log = open(tmp_path / f"worker{n}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "pdf_worker", "--interval", "0.5", "--jobs-every", "0.2"],
        cwd=live.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, log


def test_two_workers_run_the_day_close_once(tmp_path):
    version = factories.form_version()
    office = factories.office(forms=[version])
    tickets = [factories.submitted(office, version) for _ in range(3)]
    # Left from two days before: whatever the machine's clock says, a closing
    # since then is due, and it ends them.
    first = tickets[0].service_date - datetime.timedelta(days=2)
    Submission.objects.filter(pk__in=[t.pk for t in tickets]).update(service_date=first)
    workers = [_worker(tmp_path, n) for n in (1, 2)]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if JobRun.objects.filter(job="day_close:seocho-gu", finished_at__isnull=False).exists():
                break
            time.sleep(0.2)
        # Both workers go on checking every 0.2 s: give the loser many chances to run it again.
        time.sleep(3)
    finally:
        for proc, log in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            log.close()
    runs = list(JobRun.objects.filter(job="day_close:seocho-gu"))
    assert len(runs) == 1, [(r.job, r.worker) for r in runs]
    assert runs[0].counts == {"expired": 3} and runs[0].worker.startswith("pdf:")
    assert set(Submission.objects.values_list("status", flat=True)) == {"expired"}
    expiries = SubmissionEvent.objects.filter(submission__in=tickets, to_status="expired").count()
    assert expiries == 3
    assert list(JobRun.objects.exclude(error="").values_list("job", "error")) == []
    # Every daily job ran exactly once too, whichever worker won it.
    for job in ("retention_purge", "archive_bundle", "access_log_purge"):
        assert JobRun.objects.filter(job=job).count() == 1, job
