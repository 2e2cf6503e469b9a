"""At the same moment, on real row locks (PostgreSQL), each action on its own connection:
residents submitting (ticket numbers, idempotency keys) and officers acting on one submission."""

import datetime
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from intake import services as intake_services
from intake.models import Submission, TicketSequence
from officer_console.console import services

from . import factories

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (SELECT ... FOR UPDATE is a no-op) and fails a second writer with "
        "'database is locked' instead of waiting; the race is tested in the PostgreSQL run (DATABASE_URL).",
    ),
]


def _race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads, each on its own database connection, released together."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = action()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


# --- residents: ticket numbers and idempotency keys ------------------------------

RESIDENTS = 8


@pytest.fixture(autouse=True)
def _a_connection_each():
    """A pool wide enough for every thread to hold a connection of its own at
    once: with DATABASE_POOL_SIZE (4) the threads would queue for one, and the
    race would be run four at a time."""
    options = connection.settings_dict["OPTIONS"]
    pool = options.get("pool")
    if pool:
        connection.close()
        connection.close_pool()
        options["pool"] = {**pool, "max_size": RESIDENTS + 2}
    yield
    if pool:
        connections.close_all()
        connection.close_pool()
        options["pool"] = pool


def _submit(office: Any, version: Any, key: uuid.UUID) -> Callable[[], tuple[Submission, bool]]:
    form = intake_services.FormContext(office, version.template, version)
    return lambda: intake_services.submit(
        form=form, version=version, raw_values=factories.VALID_VALUES, idempotency_key=key, counter=None
    )


def _submitted(results: list[Any]) -> list[Submission]:
    assert all(isinstance(r, tuple) for r in results), results
    return [submission for submission, _ in results]


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_residents_get_tickets_one_to_n_without_gaps_or_repeats(office, version, attempt):
    results = _race(*(_submit(office, version, uuid.uuid4()) for _ in range(RESIDENTS)))
    made = _submitted(results)
    assert sorted(s.ticket_number for s in made) == list(range(1, RESIDENTS + 1))
    assert sorted(Submission.objects.values_list("ticket_number", flat=True)) == list(range(1, RESIDENTS + 1))
    assert TicketSequence.objects.get(office=office).last_number == RESIDENTS


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_submits_of_one_page_make_one_submission(office, version, attempt):
    # A double tap, a retry and a second tab, all at once: one row, one ticket.
    key = uuid.uuid4()
    results = _race(*(_submit(office, version, key) for _ in range(RESIDENTS)))
    made = _submitted(results)
    row = Submission.objects.get()
    assert {s.pk for s in made} == {row.pk} and row.ticket_number == 1
    assert [created for _, created in results].count(True) == 1
    # The losers rolled their ticket back with them: the next resident is number 2.
    after, _ = _submit(office, version, uuid.uuid4())()
    assert after.ticket_number == 2


def test_the_count_starts_again_at_midnight_in_korea(korea_clock, office, version):
    # 23:59:59 in Seoul and one second later: 14:59:59 and 15:00:00 UTC, the same UTC day.
    before = korea_clock.set("2026-03-04 23:59:59")
    made = _submitted(_race(*(_submit(office, version, uuid.uuid4()) for _ in range(3))))
    assert sorted((s.service_date, s.ticket_number) for s in made) == [(before.date(), n) for n in (1, 2, 3)]
    after = korea_clock.set("2026-03-05 00:00:00")
    made = _submitted(_race(*(_submit(office, version, uuid.uuid4()) for _ in range(3))))
    assert sorted((s.service_date, s.ticket_number) for s in made) == [(after.date(), n) for n in (1, 2, 3)]
    assert after.date() - before.date() == datetime.timedelta(days=1)
    assert dict(TicketSequence.objects.values_list("service_date", "last_number")) == {
        before.date(): 3,
        after.date(): 3,
    }


# --- officers: one submission, two hands --------------------------------------


@pytest.fixture
def two_officers(office):
    return factories.officer(office, "kim"), factories.officer(office, "lee")


def _one_winner(results: list[Any]) -> tuple[Any, Any]:
    winners = [r for r in results if isinstance(r, Submission)]
    losers = [r for r in results if isinstance(r, services.StaffActionError)]
    assert len(winners) == 1 and len(losers) == 1, results
    return winners[0], losers[0]


@pytest.mark.parametrize("attempt", range(3))
def test_two_officers_completing_the_same_submission_one_wins(submission, two_officers, attempt):
    kim, lee = two_officers
    services.call(submission.pk, kim, None)
    _, loser = _one_winner(
        _race(lambda: services.complete(submission.pk, kim), lambda: services.complete(submission.pk, lee))
    )
    assert loser.code == "conflict" and "처리 완료" in loser.message
    submission.refresh_from_db()
    assert submission.status == "completed" and submission.revision == 3
    assert submission.events.filter(to_status="completed").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_officers_calling_the_same_ticket_one_wins(submission, two_officers, office, attempt):
    kim, lee = two_officers
    c1, c2 = office.counters.all()[:2]
    winner, loser = _one_winner(
        _race(lambda: services.call(submission.pk, kim, c1), lambda: services.call(submission.pk, lee, c2))
    )
    assert loser.code == "conflict"
    submission.refresh_from_db()
    assert submission.handled_by == winner.handled_by and submission.called_counter == winner.called_counter
    assert submission.events.filter(to_status="called").count() == 1


def test_two_officers_pressing_call_next_get_different_residents(office, version, two_officers):
    kim, lee = two_officers
    first, second = factories.submitted(office, version), factories.submitted(office, version)
    results = _race(lambda: services.call_next(office.pk, kim, None), lambda: services.call_next(office.pk, lee, None))
    assert {r.pk for r in results if isinstance(r, Submission)} == {first.pk, second.pk}, results
