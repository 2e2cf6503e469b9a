"""Console benchmark: how fast a submission reaches the officer, and what a resync costs.

Run: `.venv/bin/python bench/console_bench.py [--queue 300] [--events 50]`
(uses a throw-away SQLite database; set REDIS_URL to measure through Redis). Prints:
- submit → console event latency over a real consumer (WebsocketCommunicator), median and p95
  (target: well under a blink, ≤ 100 ms);
- the (re)connect snapshot for a queue of N open submissions: build time (median) and size
  (what every console pays on each reconnect).
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
_db_dir = tempfile.mkdtemp(prefix="console-bench-")
os.environ["SQLITE_PATH"] = str(Path(_db_dir) / "bench.sqlite3")
os.environ["DATABASE_URL"] = ""

import django  # noqa: E402

django.setup()

from channels.db import database_sync_to_async  # noqa: E402
from django.core.management import call_command  # noqa: E402

from intake import events  # noqa: E402
from intake import services as intake_services  # noqa: E402
from tests import factories, ws  # noqa: E402


def _snapshot(office_id: int) -> list[dict[str, object]]:
    return [events.submission_summary(s) for s in intake_services.open_queue(office_id)]


async def latency(office, version, officer, count: int) -> list[float]:
    communicator, connected, _ = await ws.connect(f"/ws/console/{office.pk}/", officer)
    assert connected
    await communicator.receive_json_from(timeout=30)
    submit = database_sync_to_async(factories.submitted)
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        await submit(office, version)
        await communicator.receive_json_from(timeout=10)
        samples.append((time.perf_counter() - start) * 1000)
    await communicator.disconnect()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", type=int, default=300)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office)

    samples = asyncio.run(latency(office, version, officer, args.events))
    samples.sort()
    layer = "Redis" if os.environ.get("REDIS_URL") else "in-memory"
    print(
        f"submit → console event ({layer} layer, {len(samples)} submits, incl. the submit transaction): "
        f"median {statistics.median(samples):.1f} ms, p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms"
    )

    while len(intake_services.open_queue(office.pk)) < args.queue:
        factories.submitted(office, version)
    times = []
    for _ in range(15):
        start = time.perf_counter()
        snap = _snapshot(office.pk)
        times.append((time.perf_counter() - start) * 1000)
    size = len(json.dumps({"type": "snapshot", "submissions": snap}, ensure_ascii=False).encode())
    print(
        f"resync snapshot of {len(snap)} open submissions: median {statistics.median(times):.1f} ms to build, "
        f"{size / 1024:.1f} KiB on the wire"
    )


if __name__ == "__main__":
    main()
