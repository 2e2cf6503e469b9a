"""Service days.

A ticket belongs to its office's service day (Korea time): the day it was
taken, or the next day the office opens when it was taken after closing or
on a day the office is closed (a weekend, a public holiday). The live queue,
"다음 번호 호출" and "앞에 n명" read the current service day only.
The day close (intake/dayclose.py) ends each day's uncalled tickets.
"""

import datetime

from django.utils import timezone

from .deadlines import is_public_holiday
from .models import Office, Submission

MAX_CLOSED_DAYS = 31  # an office closed longer than this serves the day after it, not a day found by looping


def is_open_on(office: Office, day: datetime.date) -> bool:
    return office.is_open_on(day) and not is_public_holiday(day)


def service_day(office: Office, now: datetime.datetime | None = None) -> datetime.date:
    """The service day a ticket taken at `now` belongs to, and the day the office's queue shows."""
    local = timezone.localtime(now or timezone.now())
    day = local.date()
    if is_open_on(office, day) and local.time() < office.closes_at:
        return day
    for _ in range(MAX_CLOSED_DAYS):
        day += datetime.timedelta(days=1)
        if is_open_on(office, day):
            return day
    return local.date() + datetime.timedelta(days=1)


def in_queue(submission: Submission, today: datetime.date | None = None) -> bool:
    """Whether the submission is a row of its office's live queue now."""
    if submission.status not in Submission.QUEUE_STATUSES:
        return False
    return submission.service_date == (today or service_day(submission.office))
