"""Service days: a ticket belongs to its office's service day, the Korean calendar day it was taken.

The live queue, "다음 번호 호출", "앞에 n명" and the lobby TV read the current
service day only. The day close (intake/dayclose.py) ends, at the office's
closing, the day's tickets never called; a ticket taken after closing is
never called the next day either, and ends at the next closing.
"""

import datetime

from django.utils import timezone

from .models import Submission


def service_day(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def in_queue(submission: Submission, today: datetime.date | None = None) -> bool:
    """Whether the submission is a row of its office's live queue now."""
    return submission.status in Submission.QUEUE_STATUSES and submission.service_date == (today or service_day())
