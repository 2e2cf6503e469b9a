"""Channel layer choice, by measurement: channels-redis core vs pub/sub for our fan-out.

    .venv/bin/python bench/layers.py [--consoles 100] [--events 300] [--rate 150]

One office group, `--consoles` consumers split over two receiver processes
(as over two ASGI processes), one sender process. Runs against a throwaway
redis-server on a free port (no persistence), so it never disturbs the
machine's Redis. Prints one table:

  burst      N events sent back to back: delivered/s to all consoles, latency
  steady     N events at --rate/s: latency p50/p95/p99 send -> consumer
  stalled    a receiver process that stops reading for 3 s while 4x capacity
             events arrive (capacity set to --small-capacity): how many lost
  blip       the receivers' connection to Redis cut for 1 s while events keep
             coming (senders unaffected): how many lost
"""

import argparse
import asyncio
import contextlib
import logging
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.cluster import TcpProxy, free_port, redis_server

GROUP = "office.1"
BACKENDS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


def make_layer(kind: str, url: str, capacity: int) -> Any:
    from channels_redis.core import RedisChannelLayer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    if kind == "core":
        return RedisChannelLayer(hosts=[url], capacity=capacity, expiry=30)
    return RedisPubSubChannelLayer(hosts=[url])


async def _receive(
    kind: str, url: str, consoles: int, expect: int, capacity: int, stall: float, ready: Any, results: Any
) -> None:
    layer = make_layer(kind, url, capacity)
    channels = [await layer.new_channel() for _ in range(consoles)]
    for channel in channels:
        await layer.group_add(GROUP, channel)
    latencies: list[float] = []
    seen: list[set[int]] = [set() for _ in channels]
    dups = 0
    errors = 0
    ready.put(1)
    if stall:
        await asyncio.sleep(stall)
    # The other receiver process may still be starting: wait for the first event.
    last = [time.time() + 30]

    async def consume(i: int, channel: str) -> None:
        nonlocal dups, errors
        while True:
            try:
                message = await layer.receive(channel)
            except Exception:
                # core: the blocking pop failed with the connection; as a
                # consumer's reconnect would, try again.
                errors += 1
                await asyncio.sleep(0.1)
                continue
            last[0] = time.time()
            latencies.append(last[0] - message["t"])
            if message["n"] in seen[i]:
                dups += 1
            seen[i].add(message["n"])

    tasks = [asyncio.ensure_future(consume(i, c)) for i, c in enumerate(channels)]
    # Done when every console has every event, or nothing came for 3 s.
    while any(len(s) < expect for s in seen) and time.time() - last[0] < 3:
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    results.put(
        {
            "last": last[0],
            "delivered": sum(len(s) for s in seen),
            "latencies": latencies,
            "dups": dups,
            "errors": errors,
        }
    )


def receiver(*args: Any) -> None:
    # The pub/sub layer logs a traceback per failed reconnect during the blip.
    logging.getLogger("channels_redis").setLevel(logging.CRITICAL)
    asyncio.run(_receive(*args))


async def _send(kind: str, url: str, events: int, rate: float, capacity: int, on_half: Any = None) -> float:
    # The sender applies the capacity: group_send skips channels already full.
    layer = make_layer(kind, url, capacity)
    start = time.time()
    for n in range(events):
        if rate:
            await asyncio.sleep(max(0.0, start + n / rate - time.time()))
        if on_half is not None and n == events // 2:
            await on_half()
        # Sends fail while Redis is unreachable; the lost count shows it.
        with contextlib.suppress(Exception):
            await layer.group_send(GROUP, {"type": "submission.changed", "n": n, "t": time.time()})
    elapsed = time.time() - start
    # Not flush(): on the core layer it deletes every queued message in Redis.
    if kind == "core":
        await layer.close_pools()
    else:
        await layer.flush()
    return elapsed


def run(
    kind: str,
    url: str,
    consoles: int,
    events: int,
    rate: float = 0,
    capacity: int = 1500,
    stall: float = 0,
    receiver_url: str | None = None,
    on_half: Any = None,
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    halves = [consoles // 2, consoles - consoles // 2]
    procs = [
        ctx.Process(
            target=receiver,
            args=(kind, receiver_url or url, n, events, capacity, stall if i == 0 else 0, ready, results),
        )
        for i, n in enumerate(halves)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=60)
    start = time.time()
    asyncio.run(_send(kind, url, events, rate, capacity, on_half))
    parts = [results.get(timeout=120) for _ in procs]
    wall = max(part["last"] for part in parts) - start
    for p in procs:
        p.join(timeout=10)
    latencies = sorted(x for part in parts for x in part["latencies"])
    delivered = sum(p["delivered"] for p in parts)
    return {
        "delivered": delivered,
        "expected": events * consoles,
        "lost": events * consoles - delivered,
        "dups": sum(p["dups"] for p in parts),
        "errors": sum(p["errors"] for p in parts),
        "per_s": delivered / wall if wall > 0 else 0.0,
        "events_per_s": events / wall if wall > 0 else 0.0,
        "p50": _pct(latencies, 50),
        "p95": _pct(latencies, 95),
        "p99": _pct(latencies, 99),
    }


def _pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--consoles", type=int, default=100)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--rate", type=float, default=150, help="events/s in the steady scenario")
    parser.add_argument("--small-capacity", type=int, default=50)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        url = f"redis://127.0.0.1:{port}/0"
        with redis_server(port, Path(tmp)):
            for kind in BACKENDS:
                burst = run(kind, url, args.consoles, args.events)
                rows.append((kind, "burst", burst))
                rows.append((kind, f"steady {args.rate:g}/s", run(kind, url, args.consoles, args.events, args.rate)))
                stalled = run(kind, url, args.consoles, args.small_capacity * 4, capacity=args.small_capacity, stall=3)
                rows.append((kind, f"stalled (cap {args.small_capacity})", stalled))
                with TcpProxy("127.0.0.1", port) as proxy:

                    async def blip(proxy: TcpProxy = proxy) -> None:
                        proxy.cut()
                        await asyncio.sleep(1)
                        proxy.restore()

                    receiver_url = f"redis://127.0.0.1:{proxy.port}/0"
                    rows.append(
                        (
                            kind,
                            "blip 1 s",
                            run(kind, url, args.consoles, 40, 20, receiver_url=receiver_url, on_half=blip),
                        )
                    )

    print(f"\nchannels-redis fan-out: 1 group, {args.consoles} consoles over 2 processes, redis-server on :{port}\n")
    header = f"{'layer':<7} {'scenario':<20} {'events/s':>9} {'msgs/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'lost':>7} {'dup':>4}"
    print(header)
    print("-" * len(header))
    for kind, scenario, r in rows:
        print(
            f"{kind:<7} {scenario:<20} {r['events_per_s']:>9.0f} {r['per_s']:>9.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['p99']:>8.1f} {r['lost']:>7} {r['dups']:>4}"
        )
    print(
        "\nlost = deliveries missing out of events x consoles. Either way the database is the truth: consoles"
        "\nresync on every (re)connect, and with pub/sub after the layer reconnects (project/layers.py)."
    )


if __name__ == "__main__":
    main()
