"""Personal data retirement on schedule.

Drafts go after DRAFT_RETENTION_HOURS. A submission's personal data goes when
its form's retention period ends; what is kept is what the reports need
(status, timestamps, ticket, paper sheets saved) and the archived PDF, which
follows the records schedule, not this one.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from forms_catalog.models import FormTemplate

from . import crypto
from .models import Draft, Submission


@dataclass
class PurgeReport:
    drafts: int = 0
    submissions: list[str] = field(default_factory=list)
    files: int = 0


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _attachment_names(values: dict[str, Any]) -> list[str]:
    return [v["file"] for v in values.values() if isinstance(v, dict) and isinstance(v.get("file"), str)]


def _delete_files(names: Iterable[str]) -> int:
    deleted = 0
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return deleted


def _personal_values(row: Draft | Submission) -> dict[str, Any]:
    try:
        secret = crypto.decrypt_json(row.sensitive_data)
    except crypto.DecryptionError:
        secret = {}
    return {**row.data, **secret}


def due_submissions(now: datetime.datetime) -> list[Submission]:
    due: list[Submission] = []
    for template in FormTemplate.objects.filter(retention_years__gt=0):
        cutoff = years_before(now, template.retention_years)
        due.extend(
            Submission.objects.filter(
                form_version__template=template, personal_data_purged_at__isnull=True, submitted_at__lt=cutoff
            ).order_by("submitted_at")
        )
    return due


def purge(now: datetime.datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    now = now or timezone.now()
    report = PurgeReport()
    stale_drafts = Draft.objects.filter(updated_at__lt=now - datetime.timedelta(hours=settings.DRAFT_RETENTION_HOURS))
    submissions = due_submissions(now)
    report.submissions = [s.reference for s in submissions]
    if dry_run:
        report.drafts = stale_drafts.count()
        return report
    for draft in stale_drafts.iterator():
        # Files of a submitted draft now belong to the submission.
        if draft.submission_id is None:
            report.files += _delete_files(_attachment_names(_personal_values(draft)))
        draft.delete()
        report.drafts += 1
    for submission in submissions:
        names = _attachment_names(_personal_values(submission))
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk, personal_data_purged_at__isnull=True).update(
                data={}, sensitive_data="", personal_data_purged_at=now
            )
        report.files += _delete_files(names)
    return report
