"""The PDF worker survives a SIGKILL mid-render: the restarted worker renders the PDF."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django_tasks_db.models import DBTaskResult

from pdfgen import checks, services, storage, sweeper
from pdfgen.models import ArchivedDocument

from . import live

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(tmp_path, log_name: str, *args: str, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **live.test_database_env(),
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_DEBUG": "true",
        "MEDIA_ROOT": str(tmp_path),
        **extra_env,
    }
    with open(tmp_path / log_name, "wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "manage.py", "pdf_worker", "--interval", "0.2", *args],
            cwd=live.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_render_then_restart_still_archives_the_pdf(
    transactional_db, settings, tmp_path, office, version, submission
):
    settings.MEDIA_ROOT = tmp_path
    task = DBTaskResult.objects.get()
    first = _worker(tmp_path, "worker1.log", "--once", PDFGEN_TEST_RENDER_DELAY="60")
    try:
        _wait(lambda: DBTaskResult.objects.get(pk=task.pk).status == "RUNNING", 60, "the render to start")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    task.refresh_from_db()
    assert task.status == "RUNNING"  # what django-tasks leaves behind: stranded forever
    assert task.worker_ids == [sweeper.worker_id(first.pid)]
    assert not ArchivedDocument.objects.get(submission=submission).file

    second = _worker(tmp_path, "worker2.log")
    try:
        _wait(lambda: ArchivedDocument.objects.get(submission=submission).status == "done", 90, "the restarted render")
    finally:
        second.terminate()
        second.wait(timeout=20)
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == "pdfgen.sweeper.WorkerDied"
    doc = ArchivedDocument.objects.get(submission=submission)
    content = storage.read_pdf(doc)
    context, data = services.build_context(submission)
    assert checks.check_pdf(content, data, checks.expected_texts(context)) == []


def test_sweep_requeues_a_pending_document_without_a_live_task(submission):
    DBTaskResult.objects.all().delete()  # e.g. the task row was lost or purged
    assert sweeper.sweep() == sweeper.SweepResult(dead_tasks=0, requeued=1)
    task = DBTaskResult.objects.get()
    assert task.task_path == sweeper.RENDER_TASK_PATH and task.args_kwargs["args"] == [submission.pk, 1]
    assert sweeper.sweep() == sweeper.SweepResult(dead_tasks=0, requeued=0)  # now covered


def test_sweep_leaves_a_task_on_a_live_worker_alone_and_fails_a_stale_one(submission, settings):
    import datetime

    from django.utils import timezone

    task = DBTaskResult.objects.get()
    task.claim(sweeper.worker_id())  # this very process: alive
    assert sweeper.sweep() == sweeper.SweepResult(dead_tasks=0, requeued=0)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=settings.PDF_STALE_TASK_SECONDS + 1),
        worker_ids=["other-host-worker"],
    )
    assert sweeper.sweep() == sweeper.SweepResult(dead_tasks=1, requeued=1)


def test_a_zombie_worker_counts_as_gone():
    # A SIGKILLed worker not yet reaped by its (new) parent still answers
    # signal 0; the sweeper must not wait for PID 1 to reap it.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert sweeper._pid_alive(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        for _ in range(200):  # not reaped: wait() is not called until below
            with open(f"/proc/{child.pid}/stat") as stat:
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    break
            time.sleep(0.01)
        assert not sweeper._pid_alive(child.pid)
    finally:
        child.kill()
        child.wait()
