"""Forms filled at home before the visit: how long they wait for their resident, and their end.

The office-wide link (posters, the office page) opens the office's forms for
filling at home; what is sent from there is checked and kept as `pre_arrival`
with no ticket (intake/services.submit). The resident's arrival — a QR code
scanned at the office, or the hand-off code typed by the guide staff — takes
the ticket (services.check_in). A form whose resident has not come within the
office's period (Office.pre_arrival_days, default 2) expires at the office's
next closing, and its personal data is purged then, with the drafts started
away from the counters that are as old; so is that of a form withdrawn before
the visit. Such a form never became a 접수: it has no archived PDF
(pdfgen.receivers) and no place in the report (it never had a ticket).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import lifecycle, retention
from .errors import ActionRefused
from .models import Draft, Office, Submission

S = Submission.Status
NOTE = "방문 전 만료 (the resident did not come within the office's period)"


def kept_until(submission: Submission) -> datetime.datetime | None:
    """When a form filled at home stops waiting: the office's period after it was sent."""
    if submission.prepared_at is None:
        return None
    return submission.prepared_at + datetime.timedelta(days=submission.office.pre_arrival_days)


@dataclass
class Ended:
    expired: int = 0
    purged: int = 0
    drafts: int = 0


def end_unarrived(office: Office, now: datetime.datetime | None = None) -> Ended:
    """Expire the office's forms filled at home whose resident did not come in time, and purge them."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=office.pre_arrival_days)
    ended = Ended()
    waiting = Submission.objects.filter(office=office, status=S.PRE_ARRIVAL, prepared_at__lt=cutoff)
    for pk in list(waiting.values_list("pk", flat=True)):
        with transaction.atomic():
            try:
                submission = lifecycle.lock(pk, "expire")
            except ActionRefused:
                continue  # checked in at the last moment
            lifecycle.transition(submission, "expire", note=NOTE, at=now)
            ended.expired += 1
    # Never checked in (no ticket) and over: nothing of the resident is kept.
    over = Submission.objects.filter(
        office=office,
        ticket_number__isnull=True,
        status__in=[S.EXPIRED, S.WITHDRAWN],
        personal_data_purged_at__isnull=True,
    )
    for submission in over:
        retention.purge_submission(submission, now)
        ended.purged += 1
    # Drafts started away from the counters (at home) and left for as long.
    ended.drafts, _ = Draft.objects.filter(
        office=office, counter__isnull=True, submission__isnull=True, updated_at__lt=cutoff
    ).delete()
    return ended
