"""The estimated wait (issue 23): computed from recent handling times and the counters open."""

import datetime

import pytest
from django.utils import timezone

from intake import estimates
from intake.estimates import CounterState, Handled, OfficeState, Waiting
from officer_console.console import services

from . import factories

NOW = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)
RESIDENT, FAMILY = 1, 2


def _handled(service: int, seconds: int, n: int = estimates.MIN_SAMPLES) -> list[Handled]:
    return [Handled(service, seconds)] * n


def _open(key: int, *services: int, busy_for: int | None = None, busy_service: int | None = None) -> CounterState:
    busy = NOW - datetime.timedelta(seconds=busy_for) if busy_for is not None else None
    return CounterState(
        key=key,
        services=frozenset(services),
        last_called_at=NOW - datetime.timedelta(minutes=2),
        busy_since=busy,
        busy_service=busy_service,
    )


def _state(waiting: list[Waiting], counters: list[CounterState], handled: list[Handled] | None = None) -> OfficeState:
    return OfficeState(
        now=NOW,
        handling=estimates.handling_means(
            handled if handled is not None else _handled(RESIDENT, 300) + _handled(FAMILY, 600)
        ),
        waiting=waiting,
        counters=counters,
    )


def test_n_ahead_share_the_counters_open_for_the_service():
    waiting = [Waiting(k, RESIDENT) for k in range(1, 8)]
    state = _state(waiting, [_open(1, RESIDENT), _open(2, RESIDENT), _open(3, FAMILY)])
    # Six ahead, two free counters at 5 minutes each: the 7th is called after three rounds.
    assert estimates.wait_seconds(state, waiting[6]) == 3 * 300
    # The family counter does not take 주민등록 tickets.
    one_counter = _state(waiting, [_open(1, RESIDENT), _open(3, FAMILY)])
    assert estimates.wait_seconds(one_counter, waiting[6]) == 6 * 300


def test_a_general_counter_helps_every_line_and_a_busy_counter_counts_its_remaining_time():
    waiting = [Waiting(1, FAMILY), Waiting(2, FAMILY)]
    state = _state(waiting, [_open(3, FAMILY, busy_for=200, busy_service=FAMILY), _open(4)])
    # The general counter takes the first at once; the family counter frees in 600 − 200 s.
    assert estimates.wait_seconds(state, waiting[1]) == 400


def test_a_counter_that_leaves_its_tickets_waiting_is_away_until_an_hour_after_its_last_call():
    ago = lambda minutes: NOW - datetime.timedelta(minutes=minutes)  # noqa: E731
    waiting = [Waiting(1, RESIDENT, since=ago(10)), Waiting(2, RESIDENT, since=ago(1))]
    away = CounterState(key=2, services=frozenset({RESIDENT}), last_called_at=ago(40))
    state = _state(waiting, [_open(1, RESIDENT), away])
    # Counter 1 takes the first now; counter 2 (left a ticket waiting 10 minutes) is back in 20.
    assert estimates.wait_seconds(state, waiting[1]) == 300
    assert estimates.available_from(state, away) == 20 * 60
    # Past the hour it is gone for the day: counter 1 alone.
    gone = CounterState(key=2, services=frozenset({RESIDENT}), last_called_at=ago(estimates.BREAK_MINUTES + 1))
    assert estimates.available_from(_state(waiting, [_open(1, RESIDENT), gone]), gone) is None
    # Idle with nothing of its own left waiting: it is there, free now.
    idle = CounterState(key=3, services=frozenset({FAMILY}), last_called_at=ago(40))
    assert estimates.available_from(state, idle) == 0


def test_at_opening_nobody_has_called_yet_so_one_counter_is_assumed():
    waiting = [Waiting(k, RESIDENT) for k in range(1, 5)]
    morning = _state(waiting, [CounterState(1, frozenset({RESIDENT})), CounterState(2, frozenset({RESIDENT}))])
    assert estimates.wait_seconds(morning, waiting[3]) == 3 * 300


def test_too_little_data_shows_nothing():
    waiting = [Waiting(1, RESIDENT)]
    few = _handled(RESIDENT, 300, estimates.MIN_SAMPLES - 1) + _handled(FAMILY, 600, 100)
    assert estimates.estimate(_state(waiting, [_open(1)], few), waiting[0]) is None
    assert estimates.estimate(_state(waiting, [_open(1)], []), waiting[0]) is None


def test_handling_past_an_hour_is_casework_and_left_out():
    handling = estimates.handling_means(
        [Handled(RESIDENT, 300), Handled(RESIDENT, 500), Handled(RESIDENT, 5 * 3600), Handled(FAMILY, 100)]
    )
    assert handling.means[RESIDENT] == 400 and handling.counts[RESIDENT] == 2
    assert handling.counts[None] == 3


@pytest.mark.parametrize(
    ("minutes", "text", "low", "high"),
    [
        (0, "5분 이내", 0, 5),
        (4.9, "5분 이내", 0, 5),
        (7, "약 5–10분", 5, 10),
        (12, "약 10–15분", 10, 15),
        (42, "약 40–50분", 40, 50),
        (100, "약 90–120분", 90, 120),
    ],
)
def test_rounding_is_honest(minutes, text, low, high):
    shown = estimates.rounded(minutes * 60)
    assert (shown.text, shown.low, shown.high) == (text, low, high)


def _history(office, version, n: int, seconds: int) -> None:
    start = timezone.now() - datetime.timedelta(days=2)
    for _ in range(n):
        factories.timed_submission(office, version, start, wait=60, handle=seconds)


def test_a_waiting_ticket_gets_its_estimate_from_the_offices_own_records(db):
    resident = factories.service("resident", "주민등록")
    version = factories.form_version("resident-copy", service=resident)
    office = factories.office(counters=2, forms=[version])
    officer = factories.officer(office)
    office.counters.get(number=1).services.set([resident])
    _history(office, version, estimates.MIN_SAMPLES, 600)
    tickets = [factories.submitted(office, version) for _ in range(5)]
    # Counter 1 calls one: it is open and busy; counter 2 has called nobody today, so it is closed.
    services.call_next(office.pk, officer, office.counters.get(number=1))

    shown = estimates.for_submission(tickets[4])
    # Three ahead and the one at the counter, one counter open at 10 minutes each: about 40 minutes.
    assert shown is not None and 35 <= shown.minutes <= 40 and shown.text == "약 30–40분"
    assert estimates.for_submission(tickets[0]) is None  # called: not waiting any more


def test_an_office_without_history_shows_no_estimate(db):
    version = factories.form_version("resident-copy", service=factories.service())
    office = factories.office(forms=[version])
    ticket = factories.submitted(office, version)
    assert estimates.for_submission(ticket) is None
