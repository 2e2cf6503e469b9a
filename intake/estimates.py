"""The estimated wait ("약 10–15분") a waiting resident is shown, per office and service.

The estimate replays the office's queue as it stands: the tickets waiting in
order, the counters open now with the services each serves (call_next's rule,
intake/counters.py), and each service's mean handling time from the office's
own recent completions. The ticket is called when the first counter that
serves it comes free.

Pure functions over plain records (`OfficeState`), so bench/estimate.py
replays simulated days through the very same code; `office_state()` reads
those records from the database.

Honesty rules: nothing is shown for a service with fewer than MIN_SAMPLES
recent completions; short waits read "5분 이내"; longer ones a range whose
width grows with the wait.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from . import counters, services
from .models import Counter, Submission
from .servicedays import service_day

# Completions of the last WINDOW_DAYS days are the office's recent handling times.
WINDOW_DAYS = 28
# Fewer completions of a service than this: no estimate for it (too little data to be honest).
MIN_SAMPLES = 20
# Handling past an hour is casework (처리중), not a counter's visit: left out of the mean.
MAX_HANDLE_SECONDS = 60 * 60
# A free counter that left a ticket it serves waiting longer than this is away (a break, a meeting)...
IDLE_GRACE_MINUTES = 3
# ...and is expected back this long after its last call; later than that, it is gone for the day.
BREAK_MINUTES = 60
# Up to this many minutes the phone says "5분 이내".
SHORT_MINUTES = 5
HANDLING_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Waiting:
    """A ticket waiting to be called, in queue order (oldest first)."""

    key: int
    service: int | None
    # Transferred while waiting: only that counter calls it.
    counter: int | None = None
    # When it was taken (None: a new arrival, now).
    since: datetime.datetime | None = None


@dataclass(frozen=True)
class CounterState:
    key: int
    # Empty: every service.
    services: frozenset[int]
    last_called_at: datetime.datetime | None = None
    # When the resident it is handling now was called (None: free).
    busy_since: datetime.datetime | None = None
    busy_service: int | None = None

    def serves(self, ticket: Waiting) -> bool:
        return counters.serves(self.key, self.services, ticket.service, ticket.counter)


@dataclass(frozen=True)
class Handled:
    """A recent completion: its service and call → completion seconds."""

    service: int | None
    seconds: int


@dataclass(frozen=True)
class Handling:
    """Mean handling seconds per service (key None: the whole office) and how many completions each."""

    means: dict[int | None, float]
    counts: dict[int | None, int]

    def enough(self, service: int | None) -> bool:
        return self.counts.get(service, 0) >= MIN_SAMPLES

    def mean(self, service: int | None) -> float:
        """A service's own mean when it has enough data, else the office's."""
        return self.means[service] if self.enough(service) else self.means.get(None, 0.0)


@dataclass(frozen=True)
class OfficeState:
    now: datetime.datetime
    handling: Handling
    waiting: Sequence[Waiting]
    counters: Sequence[CounterState]


@dataclass(frozen=True)
class Estimate:
    minutes: float
    low: int
    high: int

    @property
    def short(self) -> bool:
        return self.high <= SHORT_MINUTES

    @property
    def text(self) -> str:
        if self.short:
            return _("5분 이내")
        return _("약 %(low)d–%(high)d분") % {"low": self.low, "high": self.high}

    @property
    def midpoint(self) -> float:
        """The value a reader takes from the text (the benchmark's point estimate)."""
        return (self.low + self.high) / 2


def handling_means(handled: Iterable[Handled]) -> Handling:
    totals: dict[int | None, int] = {}
    counts: dict[int | None, int] = {}
    for row in handled:
        if row.seconds <= 0 or row.seconds > MAX_HANDLE_SECONDS:
            continue
        for key in {row.service, None}:
            totals[key] = totals.get(key, 0) + row.seconds
            counts[key] = counts.get(key, 0) + 1
    return Handling({k: totals[k] / counts[k] for k in totals}, counts)


def rounded(seconds: float) -> Estimate:
    """What the resident reads: "5분 이내", else a 5-minute range, 10 past half an hour, 30 past 1.5 hours."""
    minutes = seconds / 60
    if minutes <= SHORT_MINUTES:
        return Estimate(minutes, 0, SHORT_MINUTES)
    step = 5 if minutes < 30 else 10 if minutes < 90 else 30
    low = int(minutes // step * step)
    return Estimate(minutes, low, low + step)


def available_from(state: OfficeState, counter: CounterState) -> float | None:
    """Seconds from now until the counter can call someone; None: not counted as open.

    What the records show, nothing more: a counter handling a resident is free when the
    service's mean time has passed; one that called someone today is free now unless it
    has left a ticket it serves waiting (then it is on a break, back BREAK_MINUTES
    after its last call, or gone for the day after that); one that called nobody today
    is not counted (wait_seconds assumes at least one).
    """
    now = state.now
    if counter.busy_since is not None:
        mean = state.handling.mean(counter.busy_service)
        elapsed = (now - counter.busy_since).total_seconds()
        # Someone past the mean is assumed nearly done, not done this instant.
        return max(mean - elapsed, mean * 0.1)
    if counter.last_called_at is None:
        return None
    grace = datetime.timedelta(minutes=IDLE_GRACE_MINUTES)
    left_waiting = now - counter.last_called_at > grace and any(
        w.since is not None and now - w.since > grace and counter.serves(w) for w in state.waiting
    )
    if not left_waiting:
        return 0.0
    back = counter.last_called_at + datetime.timedelta(minutes=BREAK_MINUTES)
    return (back - now).total_seconds() if back > now else None


def wait_seconds(state: OfficeState, target: Waiting) -> float | None:
    """Seconds until `target` (one of state.waiting, or a new arrival at the end) is called; None: too little data."""
    if not state.handling.enough(target.service):
        return None
    mean = state.handling.mean
    free_at = {c.key: at for c in state.counters if (at := available_from(state, c)) is not None}
    counters = [c for c in state.counters if c.key in free_at]
    if not any(c.serves(target) for c in counters):
        # None open for it now (early morning, all away): one will be, honestly no more.
        first = next((c for c in state.counters if c.serves(target)), None)
        if first is None:
            return None
        counters.append(first)
        free_at[first.key] = 0.0
    ahead = state.waiting[: _position(state.waiting, target)]
    # List scheduling in queue order: each ticket goes to the first counter free that serves it.
    for ticket in [*ahead, target]:
        able = [c for c in counters if c.serves(ticket)]
        if not able:
            continue  # waits for a counter that is not open; it does not hold up the others
        chosen = min(able, key=lambda c: free_at[c.key])
        start = free_at[chosen.key]
        if ticket is target:
            return start
        free_at[chosen.key] = start + mean(ticket.service)
    return None


def _position(waiting: Sequence[Waiting], target: Waiting) -> int:
    for i, w in enumerate(waiting):
        if w.key == target.key:
            return i
    return len(waiting)


def estimate(state: OfficeState, target: Waiting) -> Estimate | None:
    seconds = wait_seconds(state, target)
    return None if seconds is None else rounded(seconds)


# --- from the database ----------------------------------------------------------------------------


def _handling(office_id: int, now: datetime.datetime) -> Handling:
    """The office's recent handling times, cached: they change slowly and every phone asks on every event."""
    key = f"estimates.handling.{office_id}"
    handling = cache.get(key)
    if handling is None:
        rows = Submission.objects.filter(
            office_id=office_id,
            status=Submission.Status.COMPLETED,
            completed_at__gte=now - datetime.timedelta(days=WINDOW_DAYS),
            handle_seconds__isnull=False,
        ).values_list("service_id", "handle_seconds")
        handling = handling_means(Handled(service, seconds) for service, seconds in rows)
        cache.set(key, handling, HANDLING_CACHE_SECONDS)
    return handling


def office_state(office_id: int, now: datetime.datetime | None = None) -> OfficeState:
    now = now or timezone.now()
    today = service_day(now)
    waiting = [
        Waiting(pk, service, counter, since)
        for pk, service, counter, since in Submission.objects.filter(
            office_id=office_id, status=Submission.Status.SUBMITTED, service_date=today
        )
        .order_by("submitted_at", "pk")
        .values_list("pk", "service_id", "called_counter_id", "submitted_at")
    ]
    last_called: dict[int, datetime.datetime] = {}
    busy: dict[int, tuple[datetime.datetime, int | None]] = {}
    for counter_id, called_at, status, service in (
        Submission.objects.filter(office_id=office_id, service_date=today, called_counter__isnull=False)
        .exclude(called_at=None)
        .order_by("called_at")
        .values_list("called_counter_id", "called_at", "status", "service_id")
    ):
        if counter_id is None or called_at is None:
            continue  # excluded by the query; the check is for the type
        last_called[counter_id] = called_at
        if status == Submission.Status.CALLED:
            busy[counter_id] = (called_at, service)
        else:
            busy.pop(counter_id, None)
    served: dict[int, set[int]] = {}
    for counter_id, service_id in Counter.services.through.objects.filter(counter__office_id=office_id).values_list(
        "counter_id", "service_id"
    ):
        served.setdefault(counter_id, set()).add(service_id)
    counters = [
        CounterState(
            key=pk,
            services=frozenset(served.get(pk, ())),
            last_called_at=last_called.get(pk),
            busy_since=busy[pk][0] if pk in busy else None,
            busy_service=busy[pk][1] if pk in busy else None,
        )
        for pk in Counter.objects.filter(office_id=office_id).order_by("number").values_list("pk", flat=True)
    ]
    return OfficeState(now=now, handling=_handling(office_id, now), waiting=waiting, counters=counters)


def for_submission(submission: Submission, state: OfficeState | None = None) -> Estimate | None:
    """The wait shown on a waiting ticket's page (None: not waiting, or too little data)."""
    if submission.status != Submission.Status.SUBMITTED or submission.ticket_number is None:
        return None
    state = state or office_state(submission.office_id)
    target = next((w for w in state.waiting if w.key == submission.pk), None)
    return estimate(state, target) if target is not None else None


def for_new_arrival(state: OfficeState, service: int | None) -> Estimate | None:
    """The wait of a ticket taken now for `service`: the lobby TV's line per service."""
    return estimate(state, Waiting(key=-1, service=service))


def waits_per_service(office_id: int) -> list[dict[str, Any]]:
    """Tickets of the service day not yet called, per service, most waiting first, each with
    the wait a ticket taken now would have ("" when there is too little data): the lobby TV's
    and the kiosk's start page's list.

    Counters call by service (intake/counters.py), so the service is the line a
    waiting resident looks for.
    """
    lines = services.waiting_per_service(office_id)
    state = office_state(office_id) if lines else None
    waits = []
    for line in lines:
        found = for_new_arrival(state, line["service_id"]) if state else None
        waits.append({"service": line["service"], "count": line["count"], "estimate": found.text if found else ""})
    return waits
