"""The day close: at the office's closing, tickets never called end that day.

Whatever of the service day (intake/servicedays.py) is still waiting when the
office closes is moved to `expired` (미호출 마감), so the next morning's "다음
번호 호출" starts with that morning's first ticket; the resident's ticket page
says so and the report counts them. A ticket taken after closing (an evening
session the hours do not show) is left for that evening and ends at the next
closing, as a leftover of an earlier day.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import lifecycle
from .errors import ActionRefused
from .models import Office, Submission

NOTE = "미호출 마감 (closed uncalled at the end of the service day)"


def last_closing(office: Office, now: datetime.datetime) -> datetime.datetime:
    """The office's most recent closing time at or before `now` (Korea time)."""
    local = timezone.localtime(now)
    closing = datetime.datetime.combine(local.date(), office.closes_at, tzinfo=local.tzinfo)
    return closing if closing <= local else closing - datetime.timedelta(days=1)


def close_day(office: Office, closing: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """End the office's tickets still waiting at `closing`: that day's taken by then, and earlier days'.

    One transaction per ticket, each through the lifecycle: a ticket called
    while the close runs is refused here and stays called.
    """
    day = timezone.localdate(closing)
    waiting = (
        Submission.objects.filter(office=office, status=Submission.Status.SUBMITTED)
        .filter(Q(service_date__lt=day) | Q(service_date=day, submitted_at__lte=closing))
        .values_list("pk", flat=True)
    )
    ended = 0
    for pk in list(waiting):
        with transaction.atomic():
            try:
                submission = lifecycle.lock(pk, "expire")
            except ActionRefused:
                continue
            lifecycle.transition(submission, "expire", note=NOTE, at=now)
            ended += 1
    return ended
