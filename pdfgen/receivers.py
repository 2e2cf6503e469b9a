from typing import Any

from django.dispatch import receiver

from intake.models import Submission
from intake.signals import submission_changed

from . import services

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
    if new_status in ARCHIVED_STATES:
        services.request_render(submission, new=not old_status)
