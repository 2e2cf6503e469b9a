"""The day close: at the office's closing, tickets never called end that day.

Whatever of the service day (intake/servicedays.py) is still waiting when the
office closes is moved to `expired` (미호출 마감), so the next morning's "다음
번호 호출" starts with that morning's first ticket; the resident's ticket page
says so and the report counts them.
"""

import datetime

from django.db import transaction
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


def close_day(office: Office, day: datetime.date, now: datetime.datetime | None = None) -> int:
    """End the office's waiting tickets of `day` and before; how many were ended.

    One transaction per ticket, each through the lifecycle: a ticket called
    while the close runs is refused here and stays called.
    """
    waiting = Submission.objects.filter(
        office=office, status=Submission.Status.SUBMITTED, service_date__lte=day
    ).values_list("pk", flat=True)
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
