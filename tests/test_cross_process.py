"""Past one process: a phone posting to ASGI process A, a console on process B."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest

from intake.models import Submission

from . import factories, live
from .cluster import Console, Consoles, Phone, free_port, running_cluster, session_cookie, wait_for_port, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cluster(services, tmp_path):
    with running_cluster({**live.test_database_env(), "REDIS_URL": services}, tmp_path / "logs", servers=2) as c:
        yield c


def test_a_submission_posted_to_one_process_reaches_a_console_on_another(cluster):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office)
    server_a, server_b = cluster.servers()
    console = Console([cluster.url(server_b)], office.pk, session_cookie(officer))
    with Consoles([console]) as consoles:
        assert wait_until(consoles.all_connected), "console did not connect to process B"
        assert console.seen == {}

        phone = Phone(cluster.url(server_a), office.slug, version.template.code)
        response = phone.submit(factories.VALID_VALUES, phone.open_form())
        phone.close()
        assert response.status == 302 and response.headers["Location"].startswith("/t/")

        submission = Submission.objects.get()
        # Live: an event on the open socket, not a snapshot after a reconnect.
        assert wait_until(lambda: (submission.pk, submission.revision) in console.live_events, timeout=5)
        assert console.connects == 1 and console.current_url == cluster.url(server_b)


def _healthy(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        return json.load(response)["ok"] is True


def test_make_stack_runs_two_servers_and_two_workers_and_stops_them_together(services, tmp_path):
    port = free_port()
    env = {**os.environ, **live.test_database_env(), "REDIS_URL": services, "PORT": str(port), "KEEP_RUNNING": "1"}
    launcher = subprocess.Popen(
        [sys.executable, "-m", "project.stack"], cwd=live.ROOT, env=env, stdout=subprocess.DEVNULL
    )
    children: list[psutil.Process] = []
    try:
        for p in (port, port + 1):
            wait_for_port(p, launcher)
            assert _healthy(p)
        # KEEP_RUNNING: a server that dies is started again on its port, the rest untouched.
        doomed = next(c for c in psutil.Process(launcher.pid).children() if f"--port {port} " in " ".join(c.cmdline()))
        doomed.kill()
        doomed.wait(timeout=10)
        wait_for_port(port, launcher)
        assert _healthy(port)
        children = psutil.Process(launcher.pid).children(recursive=True)
        assert doomed.pid not in {c.pid for c in children}
        # Direct children only: the worker's autoreloader runs it as a grandchild.
        commands = [" ".join(c.cmdline()) for c in psutil.Process(launcher.pid).children()]
        assert sum("uvicorn" in c for c in commands) == 2  # make stack's default ASGI server
        assert sum("manage.py" in c and "worker" in c for c in commands) == 2
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=20) == 0
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGINT)  # it stops its children
            try:
                launcher.wait(timeout=20)
            except subprocess.TimeoutExpired:
                launcher.kill()
                launcher.wait()
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
