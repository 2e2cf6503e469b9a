"""`make run`: the ASGI server and the background worker together.

Ctrl-C (or SIGTERM) stops both; if either one dies, the other is stopped too,
so a half-running stack never sits at a counter looking healthy.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


ASGI_SERVERS = ("daphne", "uvicorn")


def server_command(host: str, port: int | str, server: str = "") -> list[str]:
    """The ASGI server for one process: ASGI_SERVER=daphne (default) or uvicorn.

    uvicorn runs on uvloop and httptools, without access log, lifespan (the
    Channels router has none) or WebSocket compression (console frames are
    small; deflating each one costs more CPU than it saves). Neither server
    reads forwarded headers itself: project.proxy does, from TRUSTED_PROXIES
    only (uvicorn would otherwise rewrite the peer first, daphne's
    --proxy-headers trusts every peer).
    """
    server = server or os.environ.get("ASGI_SERVER", "daphne")
    bin_dir = os.path.dirname(sys.executable)
    if server == "uvicorn":
        return [
            *(os.path.join(bin_dir, "uvicorn"), "project.asgi:application", "--host", host, "--port", str(port)),
            *("--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio"),
            *("--ws-per-message-deflate", "false", "--lifespan", "off", "--no-access-log", "--log-level", "warning"),
            "--no-proxy-headers",
        ]
    if server != "daphne":
        raise ValueError(f"ASGI_SERVER must be one of {', '.join(ASGI_SERVERS)}, not {server!r}")
    return [os.path.join(bin_dir, "daphne"), "-b", host, "-p", str(port), "project.asgi:application"]


def worker_command(interval: float = 0.5, command: str = "") -> list[str]:
    # pdfgen's pdf_worker, where present, is db_worker plus the sweeper that
    # re-queues renders stranded by a dead worker.
    pdf_worker = os.path.join(os.path.dirname(__file__), "..", "pdfgen", "management", "commands", "pdf_worker.py")
    command = command or ("pdf_worker" if os.path.exists(pdf_worker) else "db_worker")
    return [sys.executable, "manage.py", command, "--interval", str(interval)]


def niced(cmd: list[str], nice: int) -> list[str]:
    """`cmd` at a lower CPU priority that also holds against other sessions.

    With Linux autogroup (on by default on most distributions), every session
    is scheduled as one group, and `nice` only ranks processes within their
    group. Our processes each lead a session of their own (start_new_session),
    so a merely niced worker still got as much CPU as each server. The
    worker's autogroup is niced as well (where there is none, nothing to do).
    """
    return ["sh", "-c", f'echo {nice} > /proc/self/autogroup 2>/dev/null; exec nice -n {nice} "$@"', "sh", *cmd]


RESTART_DELAY = 1.0  # seconds before a dead process is started again (keep_running)


def _start(cmd: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, start_new_session=True)  # noqa: S603


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    # Each child leads its own process group (the worker supervises a child of
    # its own, which may outlive it): signal the whole group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def supervise(
    commands: dict[str, list[str]], restart_on_success: frozenset[str] = frozenset(), keep_running: bool = False
) -> int:
    """Run the commands until a signal or until one of them exits, then stop all.

    Processes named in `restart_on_success` that exit with 0 (a worker
    recycling itself after N tasks) are started again instead. With
    `keep_running`, any process that dies is started again after
    RESTART_DELAY, as systemd's Restart= does, and only a signal stops all.
    """
    procs = {name: _start(cmd) for name, cmd in commands.items()}
    restart_at: dict[str, float] = {}
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    for sig in STOP_SIGNALS:
        signal.signal(sig, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            code = proc.poll()
            if code is None:
                continue
            if name in restart_at:
                if time.monotonic() >= restart_at[name]:
                    del restart_at[name]
                    procs[name] = _start(commands[name])
            elif code == 0 and name in restart_on_success:
                procs[name] = _start(commands[name])
            elif keep_running:
                print(f"{name} exited with {code}; starting it again.", file=sys.stderr)
                _signal_group(proc, signal.SIGKILL)  # what it left behind, so the new one starts clean
                restart_at[name] = time.monotonic() + RESTART_DELAY
            else:
                print(f"{name} exited with {code}; stopping the rest.", file=sys.stderr)
                exit_code = code or 1
                stopping = True
        time.sleep(0.3)
    _stop_all(procs)
    print(f"Stopped {', '.join(procs)}.")
    return exit_code


def _stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    return supervise({"server": server_command(host, port), "worker": worker_command()}, frozenset({"worker"}))


if __name__ == "__main__":
    sys.exit(main())
