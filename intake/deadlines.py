"""처리기한: the legal processing period of a 민원 and its 처리예정일.

The rules of 민원 처리에 관한 법률 제19조 (처리기간의 계산):
- a period of 5 days or less counts in working hours from the 접수 time, one
  day being 8 working hours; Saturdays and public holidays do not count;
- a period of 6 days or more counts in days, the first day included, Saturdays
  and public holidays excluded; it ends at the close of the last day;
- 즉시 is 3 working hours (forms_catalog.terms.IMMEDIATE_HOURS).
Public holidays are those of the maintained `holidays` library (Korea: lunar
holidays and substitute holidays included); Sundays are holidays by law.

The clock runs only in the office's opening hours, which count as the law's
8-hour working day: an hour of the law is 1/8 of the office's day, so three
days from Friday 10:00 end on the third working day at 10:00 whatever the
office's hours. A 보완 request stops the clock (법 제22조, 시행령): each pause
is recorded (ClockPause) and moves the 처리예정일 by the working time it lasted.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

from forms_catalog import terms as service_terms

from .models import ClockPause, Office, Submission

DAY_MINUTES = 8 * 60  # the law's working day
HOUR_RULE_MAX_DAYS = 5  # up to 5 days: counted in hours
DEFAULT_HOURS = (datetime.time(9, 0), datetime.time(18, 0))
DUE_SOON = datetime.timedelta(days=1)


@lru_cache(maxsize=32)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def is_public_holiday(day: datetime.date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def _hours(office: Office) -> tuple[datetime.time, datetime.time]:
    if office.opens_at and office.closes_at and office.opens_at < office.closes_at:
        return office.opens_at, office.closes_at
    return DEFAULT_HOURS


def _window(office: Office, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    opens, closes = _hours(office)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(day, opens, tzinfo=tz),
        datetime.datetime.combine(day, closes, tzinfo=tz),
    )


def _next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _position(office: Office, moment: datetime.datetime) -> tuple[datetime.date, float]:
    """Where the moment stands on the working clock: (working day, fraction of it gone)."""
    local = timezone.localtime(moment)
    day = local.date()
    start, end = _window(office, day)
    if not is_working_day(day) or local >= end:
        return _next_working_day(day), 0.0
    if local <= start:
        return day, 0.0
    return day, (local - start) / (end - start)


def _at(office: Office, day: datetime.date, fraction: float) -> datetime.datetime:
    start, end = _window(office, day)
    # Whole minutes: a due time reads as 10:00, not 09:59:59.99.
    exact = start + (end - start) * fraction
    return exact.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1 if exact.second >= 30 else 0)


def add_working_minutes(office: Office, moment: datetime.datetime, minutes: float) -> datetime.datetime:
    """The moment `minutes` of the law's working time after `moment`."""
    day, fraction = _position(office, moment)
    remaining = minutes
    while remaining > (1 - fraction) * DAY_MINUTES + 1e-9:
        remaining -= (1 - fraction) * DAY_MINUTES
        day, fraction = _next_working_day(day), 0.0
    return _at(office, day, fraction + remaining / DAY_MINUTES)


def working_minutes_between(office: Office, start: datetime.datetime, end: datetime.datetime) -> float:
    """The law's working time from `start` to `end` (0 if end is not later)."""
    if end <= start:
        return 0.0
    (day, fraction), (last, last_fraction) = _position(office, start), _position(office, end)
    total = 0.0
    while day < last:
        total += (1 - fraction) * DAY_MINUTES
        day, fraction = _next_working_day(day), 0.0
    return total + max(0.0, last_fraction - fraction) * DAY_MINUTES


def due_for(office: Office, received: datetime.datetime, period: service_terms.Processing) -> datetime.datetime:
    """The 처리예정일 of a 민원 received at `received` with this processing period."""
    if period.unit == "immediate":
        return add_working_minutes(office, received, service_terms.IMMEDIATE_HOURS * 60)
    if period.unit == "hours":
        return add_working_minutes(office, received, period.amount * 60)
    if period.amount <= HOUR_RULE_MAX_DAYS:
        return add_working_minutes(office, received, period.amount * DAY_MINUTES)
    # Counted in days, the first day included: the close of the N-th working day.
    day = timezone.localtime(received).date()
    if not is_working_day(day):
        day = _next_working_day(day)
    for _ in range(period.amount - 1):
        day = _next_working_day(day)
    return _window(office, day)[1]


def set_due(submission: Submission, received: datetime.datetime) -> None:
    """At 접수: fix the 처리예정일 from the version's processing period (none: no date)."""
    period = service_terms.of(submission.form_version).processing
    submission.due_at = due_for(submission.office, received, period) if period else None


def track_pause(submission: Submission, old_status: str, now: datetime.datetime) -> None:
    """Called by the lifecycle after each move: a 보완 request stops the clock, the fix restarts it."""
    entering = submission.status == Submission.Status.CORRECTION and old_status != Submission.Status.CORRECTION
    leaving = old_status == Submission.Status.CORRECTION and submission.status != Submission.Status.CORRECTION
    if entering:
        ClockPause.objects.create(submission=submission, started_at=now)
    elif leaving:
        pause = ClockPause.objects.filter(submission=submission, ended_at__isnull=True).order_by("-started_at").first()
        if pause is None:
            return
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        if submission.due_at is not None:
            paused = working_minutes_between(submission.office, pause.started_at, now)
            submission.due_at = add_working_minutes(submission.office, submission.due_at, paused)
            Submission.objects.filter(pk=submission.pk).update(due_at=submission.due_at)


def standing(submission: Submission, now: datetime.datetime | None = None) -> str:
    """ "overdue", "due_soon", "on_time" or "" (no date, or finished)."""
    if submission.due_at is None or not submission.is_open:
        return ""
    now = now or timezone.now()
    if submission.status == Submission.Status.CORRECTION:
        return "paused"
    if now > submission.due_at:
        return "overdue"
    return "due_soon" if submission.due_at - now <= DUE_SOON else "on_time"
