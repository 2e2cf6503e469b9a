"""Two officers acting on the same submission at the same moment, on real row locks."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from intake.models import Submission
from officer_console.console import services

from . import factories

pytestmark = [
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
