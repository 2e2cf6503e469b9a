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


def supervise(commands: dict[str, list[str]], restart_on_success: frozenset[str] = frozenset()) -> int:
    """Run the commands until a signal or until one of them exits, then stop all.

    Processes named in `restart_on_success` that exit with 0 (a worker
    recycling itself after N tasks) are started again instead.
    """
    procs = {name: subprocess.Popen(cmd, start_new_session=True) for name, cmd in commands.items()}  # noqa: S603
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    for sig in STOP_SIGNALS:
        signal.signal(sig, stop)
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() == 0 and name in restart_on_success and not stopping:
                procs[name] = subprocess.Popen(commands[name], start_new_session=True)  # noqa: S603
            elif proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping the rest.", file=sys.stderr)
                exit_code = proc.returncode or 1
                stopping = True
        time.sleep(0.3)
    for proc in procs.values():
        # Each child leads its own process group (the worker's autoreloader
        # runs the real worker as a grandchild): signal the whole group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    print(f"Stopped {', '.join(procs)}.")
    return exit_code


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    return supervise({"server": server_command(host, port), "worker": worker_command()}, frozenset({"worker"}))


if __name__ == "__main__":
    sys.exit(main())
