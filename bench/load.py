"""Load: K phones submitting over HTTP, M consoles on WebSockets, the multi-process stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minwon_bench REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/load.py [--rate 150] [--seconds 20] [--consoles 100] [--offices 20] \\
        [--phones 32] [--server uvicorn] [--servers 2] [--workers 1]

Starts --servers ASGI processes (--server uvicorn or daphne) and --workers
PDF workers (niced: archiving must not starve the counter) on that
PostgreSQL and Redis, connects the consoles (a separate process, spread over
the servers), then sends submissions open loop (submission i is due at
i / rate) and counts every submission in the database and on every console
of its office.

Consoles: M consoles over --offices offices (M / offices each, default 100
over 20 = 5): a console is an officer's screen at a counter and sees its own
office's queue, and a district office runs about 2-10 counters. Each
submission goes to one office (phones are spread evenly), so it reaches the
5 consoles of that office, not all 100. --offices 1 puts every console on
one office (100 frames per submission: a worst case no office has).

Without --rate it steps the offered rate (--steps, default 25 50 75 100 125
150 175 200) on the same stack, each step with fresh offices and consoles,
waits for the PDF backlog to drain between steps, stops after the first
step that misses a target, and reports the highest rate that met them all
(achieved >= 95% of offered, p50 <= 30 ms, p99 <= 150 ms, 0 lost, 0
duplicated). With --rate it runs that one rate.

Latency is submit -> console: from the phone starting its POST to the
console receiving the event, so it includes the whole HTTP request. PDFs are
queued at submit and rendered by the workers behind the counter: each step
reports the backlog when the phones stop and the time the workers took to
drain it.

Each step also prints the CPU per submission of every process and the cores
the offered rate takes at that cost (servers, PostgreSQL and Redis; then with
the load generator, which shares the machine here): a rate that needs close
to all the machine's cores cannot meet p99, whatever the code's waits.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stackbench

TARGET_P50_MS, TARGET_P99_MS = 30.0, 150.0
# Labels of the CPU meter's groups that are not the stack under test (cores_needed).
LOAD_GENERATOR, PDF_WORKERS = "load: ", "PDF workers"


def run_step(args: argparse.Namespace, cluster: Any, database_url: str, redis_url: str, rate: float) -> dict[str, Any]:
    world = stackbench.make_world(args.offices)
    urls = [cluster.url(n) for n in cluster.servers()]
    fleet = stackbench.ConsoleFleet(urls, world, args.consoles)
    fleet.start()
    pids = cluster.pids()
    meter = stackbench.CpuMeter(
        {
            f"{args.server} x{args.servers}": [p for n, p in pids.items() if n.startswith("server")],
            f"{PDF_WORKERS} x{args.workers} (niced)": [p for n, p in pids.items() if n.startswith("worker")],
            "redis-server": stackbench.redis_pids(redis_url),
            f"{LOAD_GENERATOR}consoles": [fleet.pid or 0],
            f"{LOAD_GENERATOR}phones": [os.getpid()],
        },
        urlparse(database_url).path.lstrip("/"),
    )
    load_before = os.getloadavg()[0]
    cpu_before = psutil.cpu_times()

    def on_start() -> None:
        nonlocal cpu_before
        meter.start()
        cpu_before = psutil.cpu_times()

    run = stackbench.run_phones(urls, world, args.phones, rate, args.seconds, on_start=on_start)
    cpu_after = psutil.cpu_times()
    meter.stop()
    backlog = stackbench.pdf_backlog()
    consoles = fleet.finish(stackbench.submissions_by_office(world))
    result = stackbench.account(run, consoles, world)
    busy = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("user", "system", "nice", "softirq", "irq"))
    total = (
        busy + (cpu_after.idle - cpu_before.idle) + getattr(cpu_after, "iowait", 0) - getattr(cpu_before, "iowait", 0)
    )
    lat = result["latencies"]
    result.update(
        rate=rate,
        # From the first due slot to the last answer: a stack that falls behind answers late.
        throughput=result["submitted"] / span if (span := stackbench.sending_span(run)) else 0.0,
        p50=stackbench.pct(lat, 50),
        p95=stackbench.pct(lat, 95),
        p99=stackbench.pct(lat, 99),
        cpu=meter.used,
        machine_busy=100 * busy / max(total, 1e-9),
        load=(load_before, os.getloadavg()[0]),
        backlog=backlog,
        drain=stackbench.drain(args.drain_timeout) if backlog and args.workers else float("inf") if backlog else 0.0,
    )
    result["lost"] = result["db_missing"] + result["console_missing"] + result["failed"]
    result["duplicated"] = result["db_extra"] + result["duplicates"]
    result["ok"] = (
        result["throughput"] >= 0.95 * rate
        and result["p50"] <= TARGET_P50_MS
        and result["p99"] <= TARGET_P99_MS
        and result["lost"] == 0
        and result["duplicated"] == 0
    )
    return result


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def drain_text(args: argparse.Namespace, r: dict[str, Any]) -> str:
    if not r["backlog"]:
        return "-"
    if not args.workers:
        return "no workers"
    if r["drain"] == float("inf"):
        return f"> {args.drain_timeout:g} (gave up)"
    return f"{r['drain']:.1f} ({r['backlog'] / max(r['drain'], 1e-9):.1f} PDFs/s)"


def cores_needed(r: dict[str, Any]) -> dict[str, float]:
    """The machine's cores the offered rate takes at the CPU per submission
    measured, by part: why a rate saturates. PDFs are left out (they trail
    the counter on niced workers)."""
    per_submission = {name: used / max(1, r["submitted"]) for name, used in r["cpu"].items()}
    stack = sum(v for name, v in per_submission.items() if not name.startswith((LOAD_GENERATOR, PDF_WORKERS)))
    load = sum(v for name, v in per_submission.items() if name.startswith(LOAD_GENERATOR))
    return {
        "servers, PostgreSQL, Redis": stack * r["rate"],
        "with the load generator": (stack + load) * r["rate"],
    }


def print_step(args: argparse.Namespace, r: dict[str, Any]) -> None:
    submitted = max(1, r["submitted"])
    http = r["http_ms"]
    rows = [
        ("offered / achieved (submissions/s)", f"{r['rate']:g} / {r['throughput']:.1f}"),
        ("submissions OK (302) / failed", f"{r['submitted']} / {r['failed']}"),
        ("in the database (with one untimed warm-up per phone)", f"{r['in_db']} ({r['warmup']})"),
        ("lost (OK but not in the database)", f"{r['db_missing']}"),
        ("duplicated (in the database, not asked)", f"{r['db_extra']}"),
        (
            "console deliveries (submission x console of its office)",
            f"{len(r['latencies'])} of {r['deliveries_expected']}",
        ),
        ("lost on consoles", f"{r['console_missing']}"),
        ("duplicated live events on consoles", f"{r['duplicates']}"),
        ("console reconnects", f"{r['reconnects']}"),
        ("submit -> console p50 / p95 / p99 ms", f"{r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f}"),
        (
            f"  target p50 <= {TARGET_P50_MS:g} ms / p99 <= {TARGET_P99_MS:g} ms",
            f"{verdict(r['p50'] <= TARGET_P50_MS)} / {verdict(r['p99'] <= TARGET_P99_MS)}",
        ),
        ("  target achieved >= 95% of offered", verdict(r["throughput"] >= 0.95 * r["rate"])),
        ("  target 0 lost / 0 duplicated", f"{verdict(r['lost'] == 0)} / {verdict(r['duplicated'] == 0)}"),
        ("HTTP submit p50 / p99 ms", f"{stackbench.pct(http, 50):.1f} / {stackbench.pct(http, 99):.1f}"),
        ("PDF backlog when phones stopped", f"{r['backlog']}"),
        ("time for the workers to drain it (s)", drain_text(args, r)),
        (
            "machine CPU busy / load average (start, end)",
            f"{r['machine_busy']:.0f}% / {r['load'][0]:.2f}, {r['load'][1]:.2f}",
        ),
    ]
    rows += [(f"CPU ms per submission: {name}", f"{1000 * used / submitted:.2f}") for name, used in r["cpu"].items()]
    rows += [
        (f"cores needed at {r['rate']:g}/s: {name}", f"{cores:.2f} of {os.cpu_count()}")
        for name, cores in cores_needed(r).items()
    ]
    rows.append(("all targets", verdict(r["ok"])))
    width = max(len(name) for name, _ in rows)
    print(f"\n-- {r['rate']:g} submissions/s offered for {args.seconds:g} s")
    for name, value in rows:
        print(f"{name:<{width}}  {value:>22}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, help="one fixed offered load (submissions/s); default: step the rate")
    parser.add_argument("--steps", type=float, nargs="+", default=[25, 50, 75, 100, 125, 150, 175, 200])
    parser.add_argument("--seconds", type=float, default=20, help="length of each step")
    parser.add_argument("--consoles", type=int, default=100)
    parser.add_argument("--offices", type=int, default=20, help="consoles are spread evenly over this many offices")
    parser.add_argument("--phones", type=int, default=32, help="concurrent phones (HTTP clients)")
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--servers", type=int, default=2, help="ASGI processes")
    parser.add_argument("--workers", type=int, default=2, help="PDF workers (niced), as make stack")
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for the PDF backlog")
    args = parser.parse_args()

    database_url, redis_url = stackbench.require_services()
    stackbench.setup_django(database_url)
    rates = [args.rate] if args.rate else args.steps
    layer = os.environ.get("CHANNEL_LAYER", "pubsub")
    print(
        f"Load: {args.servers} {args.server} + {args.workers} PDF workers, PostgreSQL + Redis ({layer} layer), "
        f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
        f"{args.phones} phones, {args.consoles} consoles over {args.offices} offices "
        f"({args.consoles / args.offices:g} per office); targets: p50 <= {TARGET_P50_MS:g} ms, "
        f"p99 <= {TARGET_P99_MS:g} ms, 0 lost, 0 duplicated"
    )
    results = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        stackbench.stack(database_url, redis_url, args.servers, args.workers, Path(tmp), args.server) as cluster,
    ):
        for rate in rates:
            result = run_step(args, cluster, database_url, redis_url, rate)
            print_step(args, result)
            results.append(result)
            if not result["ok"] and not args.rate:
                break

    print("\nrate   achieved    p50 ms   p95 ms   p99 ms   lost  dup  PDF backlog  drain s  load  cores  met")
    for r in results:
        drain = "-" if not r["backlog"] else f"{r['drain']:.0f}" if r["drain"] != float("inf") else "-"
        print(
            f"{r['rate']:>4g} {r['throughput']:>10.1f} {r['p50']:>9.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{r['lost']:>6} {r['duplicated']:>4} {r['backlog']:>12} {drain:>8} {r['load'][1]:>5.2f} "
            f"{cores_needed(r)['with the load generator']:>6.2f}  {verdict(r['ok'])}"
        )
    passed = [r["rate"] for r in results if r["ok"]]
    print(f"\nhighest sustained rate meeting the targets: {max(passed):g}/s" if passed else "\nno rate met the targets")


if __name__ == "__main__":
    main()
