"""Load: K phones submitting over HTTP, M consoles on WebSockets, the multi-process stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minwon_bench REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/load.py [--rate 150] [--seconds 20] [--consoles 100] [--phones 24]

Starts --servers daphne processes and --workers PDF workers (niced: archiving
must not starve the counter) on that PostgreSQL and Redis, connects the
consoles (a separate process, spread over the servers), then sends --rate
submissions/s for --seconds (open loop: submission i is due at i / rate).
Counts every submission in the database and on every console. Prints a table.

Latency is submit -> console: from the phone starting its POST to the
console receiving the event, so it includes the whole HTTP request.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stackbench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=150, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--consoles", type=int, default=100)
    parser.add_argument("--phones", type=int, default=24, help="concurrent phones (HTTP clients)")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url, redis_url = stackbench.require_services()
    stackbench.setup_django(database_url)
    world = stackbench.make_world()
    with (
        tempfile.TemporaryDirectory() as tmp,
        stackbench.stack(database_url, redis_url, args.servers, args.workers, Path(tmp)) as cluster,
    ):
        urls = [cluster.url(n) for n in cluster.servers()]
        fleet = stackbench.ConsoleFleet(urls, world, args.consoles)
        fleet.start()
        pids = cluster.pids()
        meter = stackbench.CpuMeter(
            {
                "daphne (all)": [p for n, p in pids.items() if n.startswith("server")],
                "workers (all, niced)": [p for n, p in pids.items() if n.startswith("worker")],
                "console clients": [fleet.pid or 0],
                "phones (this process)": [os.getpid()],
            },
            urlparse(database_url).path.lstrip("/"),
        )
        meter.start()
        cpu_before = psutil.cpu_times()
        t0 = time.monotonic()
        run = stackbench.run_phones(urls, world, args.phones, args.rate, args.seconds)
        wall = time.monotonic() - t0
        cpu_after = psutil.cpu_times()
        meter.stop()
        from intake.models import Submission

        ids = set(Submission.objects.filter(office_id=world.office_id).values_list("pk", flat=True))
        consoles = fleet.finish(ids)
        result = stackbench.account(run, consoles, world.office_id)

    busy = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("user", "system", "nice", "softirq", "irq"))
    total_cpu = busy + (cpu_after.idle - cpu_before.idle)
    lat, http = result["latencies"], result["http_ms"]
    layer = os.environ.get("CHANNEL_LAYER", "pubsub")
    print(
        f"\nLoad: {args.servers} daphne + {args.workers} workers, PostgreSQL + Redis ({layer} layer), "
        f"{os.cpu_count()} CPUs (machine CPU busy {100 * busy / total_cpu:.0f}% during the run)"
    )
    print(f"{args.phones} phones at {args.rate:g}/s for {args.seconds:g} s, {args.consoles} consoles\n")
    rows = [
        ("submissions sent OK (302)", f"{result['submitted']}"),
        ("failed submits", f"{result['failed']}"),
        ("throughput (submissions/s)", f"{result['submitted'] / wall:.1f}"),
        ("in the database", f"{result['in_db']}"),
        ("lost (OK but not in the database)", f"{result['db_missing']}"),
        ("duplicated (in the database twice / unasked)", f"{result['db_extra']}"),
        ("console deliveries", f"{len(lat)} of {result['in_db'] * args.consoles}"),
        ("lost on consoles (submission x console)", f"{result['console_missing']}"),
        ("duplicated live events on consoles", f"{result['duplicates']}"),
        ("console reconnects", f"{result['reconnects']}"),
        ("submit -> console p50 ms", f"{stackbench.pct(lat, 50):.1f}"),
        ("submit -> console p95 ms", f"{stackbench.pct(lat, 95):.1f}"),
        ("submit -> console p99 ms", f"{stackbench.pct(lat, 99):.1f}"),
        ("HTTP submit p50 / p99 ms", f"{stackbench.pct(http, 50):.1f} / {stackbench.pct(http, 99):.1f}"),
    ]
    submitted = max(1, result["submitted"])
    rows += [(f"CPU ms per submission: {name}", f"{1000 * used / submitted:.1f}") for name, used in meter.used.items()]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>14}")


if __name__ == "__main__":
    main()
