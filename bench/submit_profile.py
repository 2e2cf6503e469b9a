"""Where one resident submit spends its queries and CPU (no server, no network).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minwon_bench REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/submit_profile.py [--n 200] [--sql] [--profile]

Drives the real view (Django test client) as a phone does: open the form,
then POST it with a fresh idempotency key, N times. Prints the queries per
submit (--sql lists them), CPU ms per submit (process time: the machine is
shared, so wall clock is noise), and the CPU to build one console event.
--profile prints a cProfile (on process time) of the submits.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stackbench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--sql", action="store_true", help="list the queries of one submit")
    parser.add_argument("--profile", action="store_true", help="CPU profile of the submits")
    args = parser.parse_args()

    database_url, _ = stackbench.require_services()
    os.environ.setdefault("RATE_LIMIT_CLIENT", "1000000/60")
    os.environ.setdefault("RATE_LIMIT_ADDRESS", "1000000/60")
    os.environ.setdefault("RATE_LIMIT_COUNTER", "1000000/60")
    stackbench.setup_django(database_url)
    from django.db import connection
    from django.test import Client

    from intake import events
    from intake.models import Submission
    from tests import factories
    from tests.cluster import form_tokens

    world = stackbench.make_world()
    client = Client(HTTP_HOST="127.0.0.1")
    place = world.offices[0]
    path = f"/o/{place.slug}/f/{place.code}/"
    csrf, _ = form_tokens(client.get(path).content.decode())
    body = {**factories.VALID_VALUES, "csrfmiddlewaretoken": csrf}

    def submit() -> None:
        # Urlencoded, as the page sends a form with no file chosen (form.js).
        fields = {**body, "idempotency_key": str(uuid.uuid4())}
        response = client.post(path, urlencode(fields), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.status_code

    for _ in range(5):  # warm caches, the pool, the first-draft path
        submit()
    # request_started resets connection.queries: record through a wrapper.
    captured: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        submit()
    # cProfile on process time, not wall time: the machine is shared.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    cpu0 = time.process_time()
    for _ in range(args.n):
        submit()
    cpu = time.process_time() - cpu0
    if profiler is not None:
        profiler.disable()
    latest = Submission.objects.filter(office_id=place.office_id).select_related("form_version__template").last()
    assert latest is not None
    cpu1 = time.process_time()
    for _ in range(1000):
        events.event_text(events.submission_summary(latest))
    event_cpu = (time.process_time() - cpu1) / 1000

    print(f"\nSubmit (resident POST of the form, the whole view) on {connection.vendor}")
    print(f"queries per submit        {len(captured):>8}")
    print(f"CPU ms per submit         {1000 * cpu / args.n:>8.2f}   (this process: view, ORM, client)")
    print(f"CPU ms per console event  {1000 * event_cpu:>8.3f}   (summary + JSON text, once per event)")
    print(f"bytes per console event   {len(events.event_text(events.submission_summary(latest))):>8}")
    if args.sql:
        print()
        for n, sql in enumerate(captured, 1):
            print(f"{n:>3}. {sql[:200]}")
    if profiler is not None:
        print(f"\nCPU profile of {args.n} submits (cumulative process time, s)")
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )


if __name__ == "__main__":
    main()
