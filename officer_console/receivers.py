from typing import Any

from django.dispatch import receiver

from intake.signals import personal_data_purged, values_corrected

from .console import services
from .models import FieldEdit, MirrorState


@receiver(personal_data_purged)
def forget_personal_data(sender: Any, submission_ids: list[int], **kwargs: Any) -> None:
    # Who changed which field and when stays (the audit trail); the values go.
    FieldEdit.objects.filter(submission_id__in=submission_ids).update(before="", after="")
    MirrorState.objects.filter(submission_id__in=submission_ids).update(submission=None, field_key="", prompt="")


@receiver(values_corrected)
def keep_resident_fixes(sender: Any, submission: Any, changes: list[tuple[str, Any, Any]], **kwargs: Any) -> None:
    services.record_resident_fixes(submission, changes)
