"""Shared by bench/load.py and bench/soak.py: the multi-process stack on the
PostgreSQL and Redis named by DATABASE_URL and REDIS_URL, phones over HTTP,
and consoles on real WebSockets in a separate process (so the load generator
does not steal its own consoles' time slices)."""

import base64
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster import Console, Consoles, Phone, running_cluster, wait_until  # noqa: E402


def require_services() -> tuple[str, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL, a database for benchmarks: it is created and migrated) and REDIS_URL, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/minwon_bench REDIS_URL=redis://127.0.0.1:6379/10"
        )
    return database_url, redis_url


def create_database(database_url: str) -> None:
    """Create the PostgreSQL database named in the URL if it does not exist."""
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    """Create the benchmark database if needed, migrate it, and set Django up on it."""
    create_database(database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ["DATABASE_URL"] = database_url
    # No pool in the benchmark process itself, so that the connections it
    # counts are the stack's (the stack's processes get DATABASE_POOL=true).
    os.environ["DATABASE_POOL"] = "false"
    # Production settings (DEBUG off: no SQL logging cursor, no static files
    # from Django), which the stack inherits. The phones speak plain HTTP to
    # the servers as a TLS proxy would, so no redirect to https.
    production = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "k" * 40,
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(b"benchmark-only-field-key-32bytes").decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
    }
    for name, value in production.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class Place:
    office_id: int
    slug: str
    code: str


@dataclass
class World:
    offices: list[Place]
    cookie: str

    @property
    def office_ids(self) -> list[int]:
        return [p.office_id for p in self.offices]


def make_world(offices: int = 1) -> World:
    """Fresh offices (empty queues) with one form each and one officer who works in all of them."""
    from django_tasks_db.models import DBTaskResult

    from officer_console.models import Membership
    from pdfgen.models import ArchivedDocument
    from tests import factories
    from tests.cluster import session_cookie

    # Earlier runs' PDF backlog would load the workers during this one: drop
    # its tasks, and its pending documents too, or the workers' sweeper
    # (pdfgen.sweeper) queues them all again. Benchmark database only.
    DBTaskResult.objects.filter(status="READY").delete()
    ArchivedDocument.objects.filter(status=ArchivedDocument.Status.PENDING).update(
        status=ArchivedDocument.Status.FAILED, last_error="left behind by an earlier benchmark run"
    )
    tag = uuid.uuid4().hex[:8]
    version = factories.form_version(f"bench-{tag}")
    places = [factories.office(f"bench-{tag}-{n}", name=f"부하 시험 {n}", forms=[version]) for n in range(offices)]
    officer = factories.officer(places[0], f"bench-{tag}")
    for office in places[1:]:
        Membership.objects.create(user=officer, office=office, role=Membership.Role.OFFICER)
    return World([Place(o.pk, o.slug, version.template.code) for o in places], session_cookie(officer))


@contextmanager
def stack(
    database_url: str, redis_url: str, servers: int, workers: int, log_dir: Path, server: str = "daphne"
) -> Iterator[Any]:
    env = {
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "true",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(log_dir / "media"),
        "ASGI_SERVER": server,
    }
    with running_cluster(env, log_dir, servers=servers, workers=0) as cluster:
        for _ in range(workers):
            cluster.start_worker(interval=0.5, nice=10)
        yield cluster


def pdf_backlog() -> int:
    """PDF (and other) tasks not finished yet: waiting or being rendered."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def drain(timeout: float) -> float:
    """Seconds until the workers have finished every task (inf after `timeout`)."""
    t0 = time.monotonic()
    if wait_until(lambda: pdf_backlog() == 0, timeout=timeout, interval=0.5):
        return time.monotonic() - t0
    return float("inf")


# --- consoles, in their own process -------------------------------------------


def _console_process(urls: list[str], offices: list[int], cookie: str, control: Any, results: Any) -> None:
    # Console i watches office i mod len(offices) and connects to server i mod
    # len(urls): every office's consoles are spread over the servers, as a
    # least-connections proxy spreads them.
    consoles = [
        Console(urls[i % len(urls) :] + urls[: i % len(urls)], office, cookie) for i, office in enumerate(offices)
    ]
    with Consoles(consoles) as pool:
        results.put(("ready", wait_until(pool.all_connected, timeout=60)))
        # The submission ids in the database by office, once phones are done.
        expected: dict[int, set[int]] = control.get()
        wait_until(
            lambda: all(expected.get(c.office_id, set()) <= set(c.first_seen) for c in consoles),
            timeout=15,
            interval=0.2,
        )
        results.put(
            (
                "done",
                [
                    {
                        "office_id": c.office_id,
                        "first_seen": {k: v for k, v in c.first_seen.items() if k in expected.get(c.office_id, ())},
                        "duplicates": c.duplicates,
                        "connects": c.connects,
                    }
                    for c in consoles
                ],
            )
        )


class ConsoleFleet:
    """`count` consoles spread evenly over the world's offices."""

    def __init__(self, urls: list[str], world: World, count: int) -> None:
        ctx = mp.get_context("spawn")
        self.control, self.results = ctx.Queue(), ctx.Queue()
        offices = [world.offices[i % len(world.offices)].office_id for i in range(count)]
        self.proc = ctx.Process(target=_console_process, args=(urls, offices, world.cookie, self.control, self.results))

    def start(self) -> None:
        self.proc.start()
        _, ok = self.results.get(timeout=120)
        if not ok:
            raise RuntimeError("consoles did not all connect")

    def finish(self, expected: dict[int, set[int]]) -> list[dict[str, Any]]:
        self.control.put(expected)
        _, consoles = self.results.get(timeout=120)
        self.proc.join(timeout=30)
        return consoles

    @property
    def pid(self) -> int | None:
        return self.proc.pid


# --- phones -------------------------------------------------------------------


@dataclass
class Sent:
    started: float
    elapsed: float
    status: int
    token: str


@dataclass
class PhoneRun:
    sent: list[Sent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    start: float = 0.0  # when submission 0 was due
    # One submit per phone before the clock starts (not timed, but accounted for).
    warmup: list[Sent] = field(default_factory=list)


def run_phones(
    urls: list[str],
    world: World,
    phones: int,
    rate: float,
    seconds: float,
    stop_at_end: bool = False,
    on_start: Callable[[], None] | None = None,
) -> PhoneRun:
    """Open-loop: submission i is due at start + i / rate, whoever is free sends it.

    Phone n files at office n mod len(offices), so submissions are spread
    evenly over the offices. Before the clock starts every phone opens its
    form and submits once, so the timed part measures the stack running, not
    its first requests (a process's first request opens its database
    connections and loads templates and code paths). With stop_at_end,
    submissions still due when the time is up are not sent (a soak lasts its
    minutes even if the stack falls behind the rate). `on_start` is called as
    the clock starts (to meter the timed part only)."""
    from tests import factories

    total = int(rate * seconds)
    run = PhoneRun()
    lock = threading.Lock()
    next_slot = [0]

    def start_clock() -> None:
        if on_start is not None:
            on_start()
        run.start = time.monotonic() + 0.5

    ready = threading.Barrier(phones + 1, action=start_clock)

    def send(phone: Phone) -> Sent:
        t0 = time.monotonic()
        response = phone.submit(factories.VALID_VALUES, str(uuid.uuid4()))
        token = response.headers.get("Location", "").strip("/").rpartition("/")[2]
        return Sent(t0, time.monotonic() - t0, response.status, token)

    def phone_loop(n: int) -> None:
        first = n % len(urls)
        place = world.offices[n % len(world.offices)]
        phone = Phone(urls[first:] + urls[:first], place.slug, place.code)
        try:
            phone.open_form()
            warm = send(phone)
            with lock:
                run.warmup.append(warm)
        finally:
            ready.wait()
        while True:
            with lock:
                i = next_slot[0]
                next_slot[0] += 1
            if i >= total or (stop_at_end and time.monotonic() > run.start + seconds):
                break
            time.sleep(max(0.0, run.start + i / rate - time.monotonic()))
            try:
                sent = send(phone)
                with lock:
                    run.sent.append(sent)
            except Exception as exc:
                with lock:
                    run.errors.append(type(exc).__name__)
        phone.close()

    threads = [threading.Thread(target=phone_loop, args=(n,)) for n in range(phones)]
    for t in threads:
        t.start()
    ready.wait()
    for t in threads:
        t.join()
    return run


def sending_span(run: PhoneRun) -> float:
    """Seconds from when the first submit was due to when the last one was answered."""
    if not run.sent:
        return 0.0
    return max(s.started + s.elapsed for s in run.sent) - run.start


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(p * 10) - 1]


def submissions_by_office(world: World) -> dict[int, set[int]]:
    from intake.models import Submission

    by_office: dict[int, set[int]] = {office_id: set() for office_id in world.office_ids}
    for pk, office_id in Submission.objects.filter(office_id__in=world.office_ids).values_list("pk", "office_id"):
        by_office[office_id].add(pk)
    return by_office


def account(run: PhoneRun, consoles: list[dict[str, Any]], world: World) -> dict[str, Any]:
    """Every submission in the database and on every console of its office, with latencies."""
    from intake.models import Submission

    ok = [s for s in run.sent if s.status == 302]
    asked = {s.token for s in ok} | {s.token for s in run.warmup if s.status == 302}
    rows = Submission.objects.filter(office_id__in=world.office_ids).values_list("public_token", "pk", "office_id")
    ids = {token: pk for token, pk, _ in rows}
    by_office: dict[int, set[int]] = {office_id: set() for office_id in world.office_ids}
    for _, pk, office_id in rows:
        by_office[office_id].add(pk)
    sent_at = {ids[s.token]: s.started for s in ok if s.token in ids}
    latencies = [
        (seen - sent_at[sid]) * 1000
        for console in consoles
        for sid, seen in console["first_seen"].items()
        if sid in sent_at
    ]
    return {
        "submitted": len(ok),
        "failed": len(run.sent) - len(ok) + len(run.errors) + sum(s.status != 302 for s in run.warmup),
        "in_db": len(ids),
        "warmup": len(run.warmup),
        "db_missing": len(asked - set(ids)),
        "db_extra": len(set(ids) - asked),
        "deliveries_expected": sum(len(by_office[c["office_id"]]) for c in consoles),
        "console_missing": sum(len(by_office[c["office_id"]] - set(c["first_seen"])) for c in consoles),
        "duplicates": sum(c["duplicates"] for c in consoles),
        "reconnects": sum(c["connects"] - 1 for c in consoles),
        "latencies": latencies,
        "http_ms": [s.elapsed * 1000 for s in ok],
    }


# --- where the CPU goes -------------------------------------------------------


def cpu_seconds(pid: int, children: bool = True) -> float:
    import psutil

    try:
        proc = psutil.Process(pid)
        total = 0.0
        for p in [proc, *(proc.children(recursive=True) if children else [])]:
            times = p.cpu_times()
            total += times.user + times.system
        return total
    except Exception:
        return 0.0


def postgres_backends(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])
        return [int(row[0]) for row in cursor.fetchall()]


def redis_pids(redis_url: str) -> list[int]:
    """The redis-server listening on REDIS_URL's port (shared with anything else using it)."""
    import psutil

    port = urlparse(redis_url).port or 6379
    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] != "redis-server":
            continue
        try:
            if any(c.laddr and c.laddr.port == port and c.status == "LISTEN" for c in proc.net_connections("tcp")):
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


class CpuMeter:
    """CPU seconds used by each part of the stack between start() and stop()."""

    def __init__(self, parts: dict[str, list[int]], database: str) -> None:
        self.parts, self.database = parts, database
        self.before: dict[str, float] = {}
        self.used: dict[str, float] = {}

    def _sample(self) -> dict[str, float]:
        parts = {**self.parts, "postgres backends": postgres_backends(self.database)}
        # The benchmark process started the stack: count only itself for it.
        return {
            name: sum(cpu_seconds(pid, children=pid != os.getpid()) for pid in pids) for name, pids in parts.items()
        }

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> None:
        # Pooled connections persist, so the backends measured at the start
        # are the ones still there; new ones count from zero.
        after = self._sample()
        self.used = {name: after[name] - self.before.get(name, 0.0) for name in after}
