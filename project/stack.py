"""`make stack`: the production layout on one machine, to try it out.

N ASGI processes on consecutive ports and M background workers, all sharing
the PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`) already running. Put
nginx (docs/nginx.conf) in front to try the proxy too. As with `make run`,
Ctrl-C stops everything and one process dying stops the rest; with
KEEP_RUNNING=1 a process that dies is started again instead. Production runs
the same processes under systemd (deploy/systemd, docs/PRODUCTION.md), which
also restarts them after a reboot.
"""

import os
import sys

from .run import niced, server_command, supervise, worker_command


def commands(
    host: str, first_port: int, servers: int, workers: int, nice: int = 10, server: str = "uvicorn"
) -> dict[str, list[str]]:
    # uvicorn by default: less CPU per request than daphne (bench/load.py).
    layout = {f"server-{first_port + i}": server_command(host, first_port + i, server) for i in range(servers)}
    # Workers sharing a machine with the servers run niced: rendering PDFs
    # can wait, a resident at the counter cannot.
    layout.update({f"worker-{i + 1}": niced(worker_command(), nice) for i in range(workers)})
    return layout


def main() -> int:
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        # Several processes on SQLite and the in-memory layer would not share
        # events: refuse rather than run something that only looks like it works.
        print(f"make stack needs {' and '.join(missing)} (PostgreSQL and Redis).", file=sys.stderr)
        return 2
    layout = commands(
        os.environ.get("HOST", "127.0.0.1"),
        int(os.environ.get("PORT", "8000")),
        int(os.environ.get("SERVERS", "2")),
        int(os.environ.get("WORKERS", "2")),
        int(os.environ.get("WORKER_NICE", "10")),
        os.environ.get("ASGI_SERVER", "uvicorn"),
    )
    keep_running = os.environ.get("KEEP_RUNNING", "").strip().lower() in {"1", "true", "yes", "on"}
    print("make stack: the production layout on one machine, to try it out. Production runs these processes")
    print("under systemd (deploy/systemd, docs/PRODUCTION.md).")
    if keep_running:
        print("KEEP_RUNNING: a process that dies is started again; Ctrl-C stops all.")
    else:
        print("One process dying stops the rest (KEEP_RUNNING=1 starts it again instead); Ctrl-C stops all.")
    for name, cmd in layout.items():
        print(f"  {name}: {' '.join(cmd)}")
    workers = frozenset(name for name in layout if name.startswith("worker"))
    return supervise(layout, workers, keep_running=keep_running)


if __name__ == "__main__":
    sys.exit(main())
