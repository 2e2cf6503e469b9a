"""A real ASGI server (daphne) and background worker, started against the test database."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_database_env() -> dict[str, str]:
    """Environment pointing a child process at the database this test uses."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(s["NAME"]), "DATABASE_URL": ""}
    user = quote(s.get("USER") or "")
    password = (":" + quote(s["PASSWORD"])) if s.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"}


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port} within {timeout}s")


@contextmanager
def running_stack(media_root: Path, log_dir: Path, worker: bool = True) -> Iterator[str]:
    env = {
        **os.environ,
        **test_database_env(),
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
    }
    port = free_port()
    bin_dir = Path(sys.executable).parent
    procs: list[subprocess.Popen[bytes]] = []
    log_dir.mkdir(parents=True, exist_ok=True)
    server_log = open(log_dir / "daphne.log", "wb")  # noqa: SIM115
    worker_log = open(log_dir / "worker.log", "wb")  # noqa: SIM115
    try:
        procs.append(
            subprocess.Popen(
                [str(bin_dir / "daphne"), "-b", "127.0.0.1", "-p", str(port), "project.asgi:application"],
                cwd=ROOT,
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        if worker:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "pdf_worker", "--interval", "0.2"],
                    cwd=ROOT,
                    env=env,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait_for_port(port, procs[0])
        yield f"http://127.0.0.1:{port}"
    finally:
        # Whole process groups: the worker supervises a child of its own, which
        # must not outlive the test and hold the test database open.
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        server_log.close()
        worker_log.close()
