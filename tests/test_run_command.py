"""`make run`'s launcher: server and worker start together and stop together."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from . import live


@pytest.fixture
def launcher(tmp_path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "run.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "PORT": str(live.free_port()),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=live.ROOT, env=env, check=True, timeout=120)
    proc = subprocess.Popen(
        [sys.executable, "-m", "project.run"],
        cwd=live.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _wait_for_both(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The launcher's children once both the server and the worker are running."""
    for _ in range(150):
        children = psutil.Process(proc.pid).children(recursive=True)
        commands = " ".join(" ".join(c.cmdline()) for c in children)
        if "daphne" in commands and "pdf_worker" in commands:
            return children
        time.sleep(0.1)
    pytest.fail("server and worker did not both start")


def test_ctrl_c_stops_server_and_worker(launcher):
    children = _wait_for_both(launcher)
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=20) == 0
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []


def test_a_dead_worker_stops_the_server_too(launcher):
    children = _wait_for_both(launcher)
    worker = next(c for c in children if "pdf_worker" in " ".join(c.cmdline()))
    os.killpg(os.getpgid(worker.pid), signal.SIGKILL)
    assert launcher.wait(timeout=20) != 0
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []


def test_a_niced_worker_yields_to_the_servers_across_sessions():
    from project.run import niced

    proc = subprocess.Popen(niced(["sleep", "30"], 7), start_new_session=True)
    try:
        # `sleep` replaces the shell (exec): same pid, same session.
        for _ in range(100):
            if Path(f"/proc/{proc.pid}/comm").read_text().strip() == "sleep":
                break
            time.sleep(0.02)
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) == 7
        autogroup = Path(f"/proc/{proc.pid}/autogroup")
        if autogroup.exists():  # Linux with autogroup: the session's group is niced too
            assert autogroup.read_text().strip().endswith("nice 7")
    finally:
        proc.kill()
        proc.wait()


def _sleepers(launcher: subprocess.Popen[bytes], count: int) -> list[psutil.Process]:
    for _ in range(100):
        children = [c for c in psutil.Process(launcher.pid).children() if c.status() != psutil.STATUS_ZOMBIE]
        if len(children) == count:
            return children
        time.sleep(0.05)
    pytest.fail(f"the launcher did not have {count} running children")


def test_keep_running_starts_a_dead_process_again_and_only_a_signal_stops_all():
    # make stack's KEEP_RUNNING mode: a crash costs one process, not the office.
    script = (
        "import sys; from project.run import supervise; "
        "sys.exit(supervise({'a': ['sleep', '60'], 'b': ['sleep', '60']}, keep_running=True))"
    )
    launcher = subprocess.Popen([sys.executable, "-c", script], cwd=live.ROOT, stderr=subprocess.PIPE)
    try:
        first = _sleepers(launcher, 2)
        first[0].kill()
        first[0].wait(timeout=10)
        for _ in range(100):  # started again after RESTART_DELAY
            again = _sleepers(launcher, 2)
            if first[0].pid not in {c.pid for c in again}:
                break
            time.sleep(0.1)
        assert first[0].pid not in {c.pid for c in again} and first[1].pid in {c.pid for c in again}
        launcher.send_signal(signal.SIGINT)
        _, stderr = launcher.communicate(timeout=20)
        assert launcher.returncode == 0
        _, alive = psutil.wait_procs(again, timeout=10)
        assert alive == []
        assert b"exited with -9; starting it again" in stderr
    finally:
        if launcher.poll() is None:
            launcher.kill()
        launcher.communicate()
