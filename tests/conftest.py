import datetime
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import hypothesis
import pytest
import time_machine

from . import factories, live
from .strict_skips import pytest_make_collect_report, pytest_runtest_makereport

pytest_plugins: list[str] = []
# Hooks that make a skip fail a run with REQUIRE_SERVICES (tests/strict_skips.py).
__all__ = ["pytest_make_collect_report", "pytest_runtest_makereport"]

# Hypothesis' default deadline (200 ms per example) is wall-clock time: on a
# loaded machine, or under `nice`, a validator taking 12 ms was stopped at
# 264 ms. Property tests check behaviour; bench/ measures speed.
hypothesis.settings.register_profile("suite", deadline=None)
hypothesis.settings.load_profile("suite")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_sessionfinish(session: pytest.Session) -> None:
    # The SQLite test database is per run (project/settings.py): Django deletes
    # the file, SQLite can leave its -wal and -shm files beside it.
    from django.conf import settings

    name = str(settings.DATABASES["default"].get("TEST", {}).get("NAME") or "")
    if Path(name).name == f".pytest_db.{os.getpid()}.sqlite3":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)


def pytest_sessionstart(session: pytest.Session) -> None:
    # In CI the PostgreSQL/Redis run must really use them: fail, never skip.
    if os.environ.get("REQUIRE_SERVICES"):
        database_url = os.environ.get("DATABASE_URL", "")
        redis_url = os.environ.get("REDIS_URL", "")
        problems = []
        if not database_url.startswith("postgres") or not _reachable(database_url, 5432):
            problems.append(f"PostgreSQL unreachable at {database_url!r}")
        if not redis_url.startswith("redis") or not _reachable(redis_url, 6379):
            problems.append(f"Redis unreachable at {redis_url!r}")
        if problems:
            pytest.exit("REQUIRE_SERVICES is set but " + "; ".join(problems), returncode=3)


@pytest.fixture
def version(db):
    return factories.form_version()


@pytest.fixture
def office(db, version):
    return factories.office(forms=[version])


@pytest.fixture
def officer(db, office):
    return factories.officer(office)


@pytest.fixture
def other_office(db, version):
    return factories.office("banpo1-dong", name="반포1동 주민센터", forms=[version])


@pytest.fixture
def submission(db, office, version):
    return factories.submitted(office, version)


@pytest.fixture
def filed_with_uploads(db, settings, tmp_path):
    """A submission with an ID copy (PNG) and a two-page 위임장 (PDF), of an office of its own."""
    settings.MEDIA_ROOT = tmp_path
    office, version = factories.attachments_form()
    return factories.submitted_with_uploads(office, version)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Channels runs ORM calls in worker threads whose connections outlive the
    tests; PostgreSQL then refuses to drop the test database. End them first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_form_cache():
    """Rolled-back tests reuse ids (SQLite): no test may see another's cached form."""
    from intake import services

    services.forms_changed()
    yield
    services.forms_changed()


# --- browser tests: a real Chromium against a real daphne + worker ------------


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between steps are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(live.CHROMIUM):
        pytest.fail(f"{live.CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def stack(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        yield url


@pytest.fixture
def services(transactional_db):
    """The Redis URL, when this run uses PostgreSQL and Redis; otherwise skip.

    Tests across real processes need both: SQLite and the in-memory channel
    layer cannot be shared between processes. CI (REQUIRE_SERVICES=1) always
    has them, so there these tests always run.
    """
    from django.db import connection

    redis_url = os.environ.get("REDIS_URL", "")
    if connection.vendor != "postgresql" or not redis_url.startswith("redis"):
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL); runs in CI with REQUIRE_SERVICES=1")
    return redis_url


@pytest.fixture
def known(db):
    """Report data with hand-computed figures (see tests/test_reports.py)."""
    import datetime

    from officer_console.reports import services as reports

    at = factories.at
    x = factories.form_version("form-x", paper_sheets=3)
    y = factories.form_version("form-y", paper_sheets=2)
    y.template.title = "전입신고서"
    y.template.save()
    a = factories.office("office-a", name="가 구청", forms=[x])
    b = factories.office("office-b", name="나 주민센터", forms=[y])
    b.paper_wait_baseline_minutes = 20
    b.save()
    # Office A, form X: waits 60,120,180,240,600 s; handling 30,60,90,120,150 s.
    factories.timed_submission(a, x, at("2025-12-15", 9), wait=60, handle=30)  # Mon, December
    factories.timed_submission(a, x, at("2026-01-05", 9), wait=120, handle=60)  # Mon
    factories.timed_submission(a, x, at("2026-01-06", 9), wait=180, handle=90)  # Tue
    factories.timed_submission(a, x, at("2026-02-02", 14), wait=240, handle=120)  # Mon
    factories.timed_submission(a, x, at("2026-02-03", 14), wait=600, handle=150, sheets=5)  # Tue, 2 attachment pages
    # Office B, form Y: one completed, one rejected after a call, one still waiting.
    factories.timed_submission(b, y, at("2026-03-02", 9), wait=300, handle=200)  # Mon
    factories.timed_submission(b, y, at("2026-03-03", 9), wait=900, handle=60, status="rejected")  # Tue
    factories.timed_submission(b, y, at("2026-03-04", 9))  # Wed
    # Outside the period: must not count.
    factories.timed_submission(a, x, at("2026-04-01", 9), wait=5, handle=5)
    f = reports.ReportFilter(datetime.date(2025, 12, 1), datetime.date(2026, 3, 31), (a.pk, b.pk))
    return {"a": a, "b": b, "x": x, "y": y, "filter": f}


# --- time ---------------------------------------------------------------------


class KoreaClock:
    """The clock of one test, stopped at a Korea wall-clock moment until moved.

    Offices work on Korea's date (TIME_ZONE), whatever the machine's zone: a
    test that depends on "today" sets it here instead of reading the real
    clock, so it neither depends on the date it runs nor flips at midnight.
    It moves every clock Python reads (time-machine), model defaults included,
    and puts the process in UTC, as servers often are: code taking the
    machine's date (date.today()) for Korea's is then a day off from 00:00
    to 09:00 Korea time, where tests of midnight look.
    """

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self._traveller = traveller

    def set(self, moment: str) -> datetime.datetime:
        """Stop the clock at `moment`, Korea time ("2026-03-04 23:59:59")."""
        when = datetime.datetime.fromisoformat(moment).replace(tzinfo=factories.KST)
        self._traveller.move_to(when.astimezone(datetime.UTC))
        return when

    def today(self) -> datetime.date:
        from django.utils import timezone

        return timezone.localdate()


@pytest.fixture
def korea_clock() -> Iterator[KoreaClock]:
    # 10:00 in Seoul on a weekday; tests move it where they need it.
    start = datetime.datetime(2026, 3, 4, 10, tzinfo=factories.KST)
    with time_machine.travel(start.astimezone(datetime.UTC), tick=False) as traveller:
        yield KoreaClock(traveller)


@pytest.fixture
def sms_outbox(settings):
    """The SMS back-end's test double (tests/sms.py): the messages this process sent."""
    from . import sms

    settings.NOTIFY_BACKEND = "tests.sms.RecordingBackend"
    sms.SENT.clear()
    return sms.SENT
