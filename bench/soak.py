"""Soak: a steady rate for minutes; memory per process and connections must not creep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minwon_bench REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/soak.py [--minutes 10] [--rate 50] [--consoles 100] [--offices 20]

The same stack and the same spread of consoles over offices as bench/load.py. Memory (RSS of each server and worker,
with its children) and connections (PostgreSQL backends on the benchmark
database from pg_stat_activity, Redis clients on the benchmark db number)
are sampled once warmed up (after 10% of the run, at least 15 s) and at the
end, and RSS every 5 s in between (the peaks of the first and last minute
are compared too: workers recycle their renderer, so their RSS is a
saw-tooth); /healthz is polled every 5 s throughout. Targets: each process grows
<= 10%, connections the same at the end as after warm-up, nothing lost.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stackbench

# Issue #26: 10 minutes at 100/s with 0 lost, 0 duplicated, server memory growth ≤ 10 %.
TARGET_MINUTES, TARGET_RATE, TARGET_GROWTH_PCT = 10.0, 100.0, 10.0


def rss_mb(pid: int) -> float:
    try:
        proc = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
    except psutil.NoSuchProcess:
        return float("nan")


def connections(database: str, redis_url: str) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        pg = int(cursor.fetchone()[0])
    db = int(urlparse(redis_url).path.lstrip("/") or 0)
    clients = redis.Redis.from_url(redis_url).client_list()
    return pg, sum(1 for c in clients if int(c.get("db", -1)) == db and c.get("cmd") != "client|list")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--consoles", type=int, default=100)
    parser.add_argument("--offices", type=int, default=20, help="consoles are spread evenly over this many offices")
    parser.add_argument("--phones", type=int, default=16)
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url, redis_url = stackbench.require_services()
    stackbench.setup_django(database_url)
    database = urlparse(database_url).path.lstrip("/")
    world = stackbench.make_world(args.offices)
    seconds = args.minutes * 60
    warm = max(15.0, seconds / 10)
    samples: dict[str, Any] = {}
    health_failures: list[str] = []  # why each failed poll failed
    with (
        tempfile.TemporaryDirectory() as tmp,
        stackbench.stack(database_url, redis_url, args.servers, args.workers, Path(tmp), args.server) as cluster,
    ):
        urls = [cluster.url(n) for n in cluster.servers()]
        fleet = stackbench.ConsoleFleet(urls, world, args.consoles)
        fleet.start()
        pids = {**cluster.pids(), "consoles": fleet.pid}
        stop = threading.Event()
        trace: list[tuple[float, dict[str, float]]] = []  # (seconds, RSS by process) every 5 s once warm

        def observe() -> None:
            from django.db import connection

            started = time.monotonic()
            while not stop.wait(5):
                for url in urls:
                    try:
                        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                            response.read()
                    except urllib.error.HTTPError as exc:
                        health_failures.append(f"{time.monotonic() - started:.0f} s: {exc.code} {exc.read()[:300]!r}")
                    except Exception as exc:
                        health_failures.append(f"{time.monotonic() - started:.0f} s: {type(exc).__name__} {exc}")
                elapsed = time.monotonic() - started
                if elapsed >= warm:
                    rss = {n: rss_mb(p) for n, p in pids.items()}
                    trace.append((elapsed, rss))
                    if "warm" not in samples:
                        samples["warm"] = (rss, connections(database, redis_url))
            samples["end"] = ({n: rss_mb(p) for n, p in pids.items()}, connections(database, redis_url))
            connection.close()

        observer = threading.Thread(target=observe)
        observer.start()
        t0 = time.monotonic()
        run = stackbench.run_phones(urls, world, args.phones, args.rate, seconds, stop_at_end=True)
        wall = time.monotonic() - t0
        stop.set()
        observer.join()
        backlog = stackbench.pdf_backlog()
        consoles = fleet.finish(stackbench.submissions_by_office(world))
        result = stackbench.account(run, consoles, world)
        drained = stackbench.drain(300) if backlog and args.workers else 0.0
    from django.db import connection

    connection.close()
    time.sleep(1)
    after_stop = connections(database, redis_url)

    (rss_warm, conn_warm), (rss_end, conn_end) = samples["warm"], samples["end"]
    print(
        f"\nSoak: {args.minutes:g} min at {args.rate:g}/s ({result['submitted'] / wall:.1f}/s achieved), "
        f"{args.servers} {args.server} + {args.workers} workers, {args.consoles} consoles over {args.offices} offices; "
        f"baseline after {warm:.0f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )
    print(f"{'process':<14} {'RSS warm MB':>12} {'RSS end MB':>11} {'growth':>8}")
    for name in pids:
        growth = 100 * (rss_end[name] / rss_warm[name] - 1)
        print(f"{name:<14} {rss_warm[name]:>12.1f} {rss_end[name]:>11.1f} {growth:>7.1f}%")
    # A PDF worker replaces its renderer every --max-tasks PDFs, so its RSS is a
    # saw-tooth and two single samples can land on different teeth: compare the
    # highest RSS of the first and of the last `window` seconds instead.
    window = max(warm, 60.0)
    first = [rss for t, rss in trace if t <= trace[0][0] + window]
    last = [rss for t, rss in trace if t >= trace[-1][0] - window]
    print(f"\n{'process':<14} {f'peak first {window:.0f} s':>17} {f'peak last {window:.0f} s':>16} {'growth':>8}")
    peak_growth = {}
    for name in pids:
        peak_first, peak_last = max(r[name] for r in first), max(r[name] for r in last)
        peak_growth[name] = 100 * (peak_last / peak_first - 1)
        print(f"{name:<14} {peak_first:>17.1f} {peak_last:>16.1f} {peak_growth[name]:>7.1f}%")
    print(f"\n{'connections':<28} {'warm':>6} {'end':>6} {'stack stopped':>14}")
    print(f"{'PostgreSQL (pg_stat_activity)':<28} {conn_warm[0]:>6} {conn_end[0]:>6} {after_stop[0]:>14}")
    print(f"{'Redis clients (this db)':<28} {conn_warm[1]:>6} {conn_end[1]:>6} {after_stop[1]:>14}")
    lat = result["latencies"]
    print(
        f"\nsubmitted {result['submitted']}, failed {result['failed']}, in db {result['in_db']}, "
        f"lost {result['db_missing']}, duplicated {result['db_extra']}, lost on consoles {result['console_missing']}, "
        f"duplicate events {result['duplicates']}, reconnects {result['reconnects']}, /healthz failures "
        f"{len(health_failures)}; submit -> console p50 {stackbench.pct(lat, 50):.1f} ms, "
        f"p99 {stackbench.pct(lat, 99):.1f} ms; PDF backlog at the end {backlog}, drained in {drained:.0f} s"
    )
    for failure in health_failures:
        print(f"  /healthz failed at {failure}")
    print_targets(args, result, peak_growth)


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def print_targets(args: argparse.Namespace, result: dict[str, Any], peak_growth: dict[str, float]) -> None:
    """Each figure beside its target (issue #26: 10 minutes at 100/s, 0 lost, 0 duplicated, servers grow ≤ 10 %)."""
    lost = result["db_missing"] + result["console_missing"] + result["failed"]
    duplicated = result["db_extra"] + result["duplicates"]
    server_growth = max(growth for name, growth in peak_growth.items() if name.startswith("server"))
    run = f"{args.minutes:g} min at {args.rate:g}/s"
    print(f"\ntargets (for {TARGET_MINUTES:g} min at {TARGET_RATE:g}/s; this run: {run}):")
    print(f"  lost                               {lost:>7}    target 0: {verdict(lost == 0)}")
    print(f"  duplicated                         {duplicated:>7}    target 0: {verdict(duplicated == 0)}")
    print(
        f"  server memory growth (peak, worst) {server_growth:>6.1f}%    target ≤ {TARGET_GROWTH_PCT:g} %: "
        f"{verdict(server_growth <= TARGET_GROWTH_PCT)}"
    )
    if (args.minutes, args.rate) != (TARGET_MINUTES, TARGET_RATE):
        print(f"  (the targets are set for {TARGET_MINUTES:g} min at {TARGET_RATE:g}/s: this run proves less)")


if __name__ == "__main__":
    main()
