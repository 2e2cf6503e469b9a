from typing import Any

from django.dispatch import receiver

from intake.signals import personal_data_purged

from .models import FieldEdit, MirrorState


@receiver(personal_data_purged)
def forget_personal_data(sender: Any, submission_ids: list[int], **kwargs: Any) -> None:
    # Who changed which field and when stays (the audit trail); the values go.
    FieldEdit.objects.filter(submission_id__in=submission_ids).update(before="", after="")
    MirrorState.objects.filter(submission_id__in=submission_ids).update(submission=None, field_key="", prompt="")
