"""Model rows as the API's schemas, and the access-log entry of a token's read."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from forms_catalog import layout
from forms_catalog.models import FormTemplate, FormVersion
from intake import services as intake_services
from intake.models import Office, Submission

from .. import backoffice
from ..models import AccessLog
from .models import ApiToken
from .schemas import (
    BackofficeValue,
    FieldOut,
    FormDetail,
    FormOut,
    OfficeOut,
    SubmissionOut,
    SubmissionSummary,
    VersionOut,
    VersionSummary,
)

# The archive PDF carries these; as data URLs or file references they are no use to a back office.
NOT_SERVED_TYPES = frozenset({"signature", "file", "seal"})


def office(o: Office) -> OfficeOut:
    return OfficeOut(
        id=o.pk,
        slug=o.slug,
        name=o.name,
        name_en=o.name_en,
        kind=o.kind,
        opens_at=f"{o.opens_at:%H:%M}",
        closes_at=f"{o.closes_at:%H:%M}",
        open_days=o.open_days,
        counters=[c.number for c in o.counters.all()],
    )


def form(t: FormTemplate) -> FormOut:
    return FormOut(**_form_fields(t))


def _form_fields(t: FormTemplate) -> dict[str, Any]:
    published = t.published_version()
    return {
        "code": t.code,
        "title": t.title,
        "title_en": t.title_en,
        "category": t.category,
        "legal_basis": t.legal_basis,
        "retention_years": t.retention_years,
        "published_version": published.number if published else None,
        "service_terms": published.service_terms if published else {},
        "backoffice_fields": t.backoffice_fields or [],
    }


def _version_summary(v: FormVersion) -> VersionSummary:
    return VersionSummary(number=v.number, status=v.status, published_at=v.published_at, retired_at=v.retired_at)  # type: ignore[arg-type]


def issued_versions(t: FormTemplate) -> QuerySet[FormVersion]:
    """The versions residents could file under (published or retired): a draft is still the form
    admin's work in progress, which may change before it is published, so no system integrates with it."""
    return t.versions.exclude(status=FormVersion.Status.DRAFT).order_by("number")


def form_detail(t: FormTemplate) -> FormDetail:
    return FormDetail(**_form_fields(t), versions=[_version_summary(v) for v in issued_versions(t)])  # type: ignore[arg-type]


def version(v: FormVersion) -> VersionOut:
    return VersionOut(
        **_version_summary(v).model_dump(),
        form=v.template.code,
        paper_sheets=v.paper_sheets,
        service_terms=v.service_terms or {},
        form_schema=v.schema,
    )


def summary(s: Submission) -> SubmissionSummary:
    return SubmissionSummary(**_summary_fields(s))


def _summary_fields(s: Submission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "reference": s.reference,
        "office_id": s.office_id,
        "form": s.form_version.template.code,
        "form_version": s.form_version.number,
        "status": s.status,
        "status_label": s.get_status_display(),
        "revision": s.revision,
        "ticket": s.ticket_number,
        "service_date": s.service_date,
        "submitted_at": s.submitted_at,
        "called_at": s.called_at,
        "completed_at": s.completed_at,
        "due_at": s.due_at,
        "counter": s.called_counter.number if s.called_counter else None,
    }


def detail(s: Submission, *, unmasked: bool) -> SubmissionOut:
    values = intake_services.submission_values(s)
    laid = layout.build(s.form_version.form, values, masked=not unmasked).without(NOT_SERVED_TYPES)
    fields = [
        FieldOut(
            key=row.key,
            section=section.key,
            label=row.label,
            type=row.type,
            value=None if row.value is None else str(row.value),
            masked=row.masked,
        )
        for section in laid
        for row in section.rows
    ]
    mapped = [
        BackofficeValue(code=e.code, label=e.label, value=e.value, masked=e.masked)
        for e in backoffice.entries(s, unmasked=unmasked)
    ]
    return SubmissionOut(
        **_summary_fields(s), masked=not unmasked, status_note=s.status_note, fields=fields, backoffice=mapped
    )


def log(token: ApiToken, request: HttpRequest, action: str, submission: Submission, reason: str) -> AccessLog:
    """A token's read of personal data, in the access log like a staff view, named after the token."""
    return AccessLog.objects.create(
        user=token.account.user,
        username=token.actor_name,
        ip=request.META.get("REMOTE_ADDR") or None,
        action=action,
        submission=submission,
        subject_reference=submission.reference,
        reason=reason,
    )
