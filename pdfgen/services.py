"""Archiving submissions as PDF: request, render, store, retry.

Rendering only ever happens in the worker. The request row and the task are
written in the submitter's transaction, so a committed submission always has
its PDF queued.
"""

import datetime
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from forms_catalog import schema as form_schema
from intake.models import Submission
from intake.services import submission_values

from .models import ArchivedDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def request_render(submission: Submission) -> ArchivedDocument:
    from .tasks import render_submission_pdf

    doc, _ = ArchivedDocument.objects.get_or_create(submission=submission)
    doc.status = ArchivedDocument.Status.PENDING
    doc.wanted_revision = submission.revision
    doc.attempts = 0
    doc.updated_at = timezone.now()
    doc.save()
    render_submission_pdf.enqueue(submission.pk, submission.revision)
    return doc


def _rows(submission: Submission, values: dict[str, Any]) -> list[dict[str, Any]]:
    sections = []
    visible = form_schema.visible(submission.form_version.schema, values)
    for section in form_schema.sections(submission.form_version.schema):
        rows = []
        for f in section.get("fields", []):
            key = f.get("key", "")
            if f.get("type") == "guidance" or key not in visible:
                continue
            value = values.get(key)
            if isinstance(value, list):
                labels = {str(c["value"]): c["label"] for c in f.get("choices", [])}
                value = ", ".join(str(labels.get(str(v), v)) for v in value)
            elif f.get("choices"):
                value = {str(c["value"]): c["label"] for c in f["choices"]}.get(str(value), value)
            elif f.get("type") == "yesno":
                value = {"yes": "예", "no": "아니오"}.get(str(value), value)
            elif f.get("type") == "consent":
                value = {"agree": "동의함", "disagree": "동의하지 않음"}.get(str(value), value)
            rows.append({"label": f.get("label", key), "type": f.get("type"), "value": value})
        if rows:
            sections.append({"title": section.get("title", ""), "rows": rows})
    return sections


def build_context(submission: Submission) -> tuple[dict[str, Any], dict[str, Any]]:
    values = submission_values(submission)
    template = submission.form_version.template
    data = {
        "reference": submission.reference,
        "form": {"code": template.code, "title": template.title, "version": submission.form_version.number},
        "office": submission.office.name,
        "ticket": submission.ticket_number,
        "status": submission.status,
        "submitted_at": submission.submitted_at.isoformat(),
        "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        "values": values,
    }
    context = {
        "submission": submission,
        "template": template,
        "sections": _rows(submission, values),
        "handled_by": submission.handled_by.get_full_name() or submission.handled_by.get_username()
        if submission.handled_by
        else "",
    }
    return context, data


def render_and_store(submission_id: int, revision: int) -> str:
    from .render import render_pdf

    doc = ArchivedDocument.objects.select_related("submission").get(submission_id=submission_id)
    if doc.rendered_revision >= revision and doc.status == ArchivedDocument.Status.DONE:
        return "up-to-date"
    submission = Submission.objects.select_related("form_version__template", "office", "handled_by").get(
        pk=submission_id
    )
    try:
        context, data = build_context(submission)
        pdf = render_pdf(context, data)
    except Exception as exc:
        _record_failure(doc.pk, submission_id, revision, exc)
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    # Write the new file under a fresh name first, then point the row at it:
    # a crash in between leaves the old archive intact, never a half file.
    name = default_storage.save(
        f"archive/{submission.submitted_at:%Y/%m}/{submission.reference}-r{submission.revision}.pdf", ContentFile(pdf)
    )
    with transaction.atomic():
        locked = ArchivedDocument.objects.select_for_update().get(pk=doc.pk)
        if locked.rendered_revision > submission.revision:
            default_storage.delete(name)
            return "superseded"
        old_name = locked.file.name
        locked.file.name = name
        locked.sha256 = digest
        locked.size = len(pdf)
        locked.rendered_revision = submission.revision
        locked.rendered_at = timezone.now()
        locked.last_error = ""
        locked.status = (
            ArchivedDocument.Status.DONE
            if submission.revision >= locked.wanted_revision
            else ArchivedDocument.Status.PENDING
        )
        locked.updated_at = timezone.now()
        locked.save()
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return digest


def _record_failure(doc_id: int, submission_id: int, revision: int, exc: Exception) -> None:
    from .tasks import render_submission_pdf

    with transaction.atomic():
        doc = ArchivedDocument.objects.select_for_update().get(pk=doc_id)
        doc.attempts += 1
        doc.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        doc.updated_at = timezone.now()
        if doc.attempts >= MAX_ATTEMPTS:
            doc.status = ArchivedDocument.Status.FAILED
        else:
            # django-tasks has no retries of its own: re-enqueue with backoff.
            delay = datetime.timedelta(seconds=5 * 2**doc.attempts)
            render_submission_pdf.using(run_after=timezone.now() + delay).enqueue(submission_id, revision)
        doc.save()
    logger.warning("PDF render for submission %s failed (attempt %s)", submission_id, doc.attempts, exc_info=exc)


def retry(doc: ArchivedDocument) -> None:
    from .tasks import render_submission_pdf

    with transaction.atomic():
        ArchivedDocument.objects.filter(pk=doc.pk).update(status=ArchivedDocument.Status.PENDING, attempts=0)
        render_submission_pdf.enqueue(doc.submission_id, doc.wanted_revision)
