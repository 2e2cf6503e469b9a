from typing import Any

from django.dispatch import receiver

from intake.models import Submission
from intake.signals import submission_changed

from . import tasks

# States whose PDF differs: the receipt as filed, and the final record with
# the officer's processing section.
ARCHIVED_STATES = {Submission.Status.SUBMITTED, Submission.Status.COMPLETED, Submission.Status.REJECTED}


@receiver(submission_changed)
def queue_render(sender: Any, submission: Submission, old_status: str, new_status: str, **kwargs: Any) -> None:
    if new_status in ARCHIVED_STATES:
        tasks.request_render(submission, new=not old_status)
