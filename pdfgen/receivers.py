from typing import Any

from django.dispatch import receiver

from intake.models import Submission
from intake.signals import personal_data_purged, submission_changed

from . import tasks
from .models import ArchivedDocument

# States whose PDF differs: the receipt as filed, and the final record with
# the officer's processing section (or the resident's 취하, or the day close).
ARCHIVED_STATES = {
    Submission.Status.SUBMITTED,
    Submission.Status.COMPLETED,
    Submission.Status.REJECTED,
    Submission.Status.WITHDRAWN,
    Submission.Status.EXPIRED,
}


@receiver(submission_changed)
def queue_render(sender: Any, submission: Submission, old_status: str, new_status: str, **kwargs: Any) -> None:
    if old_status == Submission.Status.PRE_ARRIVAL:
        # Filled at home: the 접수 (and its record) is the arrival; one never brought in has none.
        if new_status == Submission.Status.SUBMITTED:
            tasks.request_render(submission, new=True)
        return
    if new_status in ARCHIVED_STATES:
        tasks.request_render(submission, new=not old_status)


@receiver(personal_data_purged)
def forget_render_errors(sender: Any, submission_ids: list[int], **kwargs: Any) -> None:
    # The PDF itself is the record and stays (pdfgen.storage); an old error message might quote the form.
    ArchivedDocument.objects.filter(submission_id__in=submission_ids).update(last_error="")
