"""Personal data retirement on schedule.

Drafts go after DRAFT_RETENTION_HOURS. A submission's personal data goes when
its form's retention period ends: its values, the officer's notes to the
resident, the notes in its history, the queue-alert phone, a rating's
comment and the alert log's masked number, and (through
`personal_data_purged`) what other apps keep of it, such as the officers'
before/after edits. What is kept is what the reports need (status,
timestamps, ticket, paper sheets saved) and the archived PDF: it is the
public record, encrypted at rest, and is disposed of under the records
schedule (공공기록물법, after its review), not by this purge.

Uploaded files go when nothing live points at them any more: those of
purged drafts and submissions at once, and any other (a photo the resident
replaced, an upload whose draft never saved) once older than the draft
retention, so a file being uploaded right now is never taken.
"""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from forms_catalog.models import FormTemplate, FormVersion
from forms_catalog.schema import ATTACHMENT_TYPES

from . import crypto, sealed
from .models import AlertMessage, Delegation, Draft, Rating, Submission, SubmissionEvent
from .signals import personal_data_purged

UPLOAD_FOLDER = "uploads"


@dataclass
class PurgeReport:
    drafts: int = 0
    submissions: list[str] = field(default_factory=list)
    files: int = 0
    # Rows whose data the configured keys cannot read: while there are any,
    # no upload is deleted for being unreferenced (it might be theirs).
    unreadable: int = 0


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _attachment_names(value: Any) -> set[str]:
    """Names of the stored files a form's values point at, at any depth."""
    if isinstance(value, dict):
        own = {value["file"]} if isinstance(value.get("file"), str) else set()
        return own.union(*(_attachment_names(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_attachment_names(v) for v in value))
    return set()


def _personal_values(row: Draft | Submission) -> dict[str, Any] | None:
    """The row's values, or None when they cannot be decrypted."""
    try:
        return {**row.data, **crypto.decrypt_json(row.sensitive_data)}
    except crypto.DecryptionError:
        return None


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


def purge_submission(submission: Submission, now: datetime.datetime) -> None:
    """Erase one submission's personal data (its form's period ended, or its resident never came)."""
    with transaction.atomic():
        purged = Submission.objects.filter(pk=submission.pk, personal_data_purged_at__isnull=True).update(
            data={}, sensitive_data="", status_note="", alert_phone="", personal_data_purged_at=now
        )
        if purged:
            # Reject reasons, correction requests and transfer notes are free text about the resident.
            SubmissionEvent.objects.filter(submission_id=submission.pk).update(note="")
            # So may a rating's comment be; the alert log's masked number is theirs too.
            Rating.objects.filter(submission_id=submission.pk).update(comment="")
            AlertMessage.objects.filter(submission_id=submission.pk).update(phone_masked="")
            # The 위임자's name, confirmed phone and signature go with the form they signed.
            Delegation.objects.filter(submission_id=submission.pk).update(
                signer_name="", phone="", signature="", code_hash=""
            )
            personal_data_purged.send(sender=Submission, submission_ids=[submission.pk])


def _uploads_in_use(report: PurgeReport) -> set[str]:
    """Every upload a draft or a submission not yet purged still points at."""
    with_files = [
        v.pk
        for v in FormVersion.objects.only("pk", "schema")
        if any(f.type in ATTACHMENT_TYPES for f in v.form.input_fields)
    ]
    rows: Iterable[Draft | Submission] = itertools.chain(
        Draft.objects.only("data", "sensitive_data").iterator(chunk_size=500),
        Submission.objects.filter(personal_data_purged_at__isnull=True, form_version_id__in=with_files)
        .only("data", "sensitive_data")
        .iterator(chunk_size=500),
    )
    names: set[str] = set()
    for row in rows:
        values = _personal_values(row)
        if values is None:
            report.unreadable += 1
        else:
            names |= _attachment_names(values)
    return names


def _sweep_uploads(released: set[str], now: datetime.datetime, report: PurgeReport) -> None:
    in_use = _uploads_in_use(report)
    cutoff = now - datetime.timedelta(hours=settings.DRAFT_RETENTION_HOURS)
    for name in sealed.files_in(UPLOAD_FOLDER):
        if name in in_use:
            continue
        if report.unreadable and name not in released:
            continue
        if name in released or default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            report.files += 1


def purge(now: datetime.datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    now = now or timezone.now()
    report = PurgeReport()
    stale_drafts = Draft.objects.filter(updated_at__lt=now - datetime.timedelta(hours=settings.DRAFT_RETENTION_HOURS))
    submissions = due_submissions(now)
    report.submissions = [s.reference for s in submissions]
    if dry_run:
        report.drafts = stale_drafts.count()
        return report
    released: set[str] = set()
    for draft in stale_drafts.iterator():
        released |= _attachment_names(_personal_values(draft) or {})
        draft.delete()
        report.drafts += 1
    for submission in submissions:
        released |= _attachment_names(_personal_values(submission) or {})
        purge_submission(submission, now)
    _sweep_uploads(released, now, report)
    return report
