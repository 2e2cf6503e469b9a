"""`make run`'s launcher: server and worker start together and stop together."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from . import live


@pytest.fixture
def migrated_env(tmp_path):
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "run.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "PORT": str(live.free_port()),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=live.ROOT, env=env, check=True, timeout=120)
    return env


def _children(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def test_ctrl_c_stops_server_and_worker(migrated_env):
    launcher = subprocess.Popen(
        [sys.executable, "-m", "project.run"],
        cwd=live.ROOT,
        env=migrated_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{migrated_env['PORT']}/"
        for _ in range(150):
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server never answered")
        children = _children(launcher.pid)
        commands = " ".join(" ".join(c.cmdline()) for c in children)
        assert "daphne" in commands and "db_worker" in commands
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=20) == 0
        gone, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if launcher.poll() is None:
            launcher.kill()
        assert launcher.stdout is not None
        launcher.stdout.close()


def test_a_dead_worker_stops_the_server_too(migrated_env):
    launcher = subprocess.Popen(
        [sys.executable, "-m", "project.run"],
        cwd=live.ROOT,
        env=migrated_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker = None
        for _ in range(100):
            worker = next((c for c in _children(launcher.pid) if "db_worker" in " ".join(c.cmdline())), None)
            if worker:
                break
            time.sleep(0.1)
        assert worker is not None
        children = _children(launcher.pid)
        os.killpg(os.getpgid(worker.pid), signal.SIGKILL)
        assert launcher.wait(timeout=20) != 0
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if launcher.poll() is None:
            launcher.kill()
