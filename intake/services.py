"""Resident-side domain operations: drafts, submission, tickets.

Each function owns its transaction; views only parse input and choose a
response. Errors carry a stable `code` for views and tests.
"""

import base64
import datetime
import io
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from forms_catalog import schema as form_schema
from forms_catalog.models import FormTemplate, FormVersion
from forms_catalog.validators import ATTACHMENT_TYPES, FieldError
from project import parsing

from . import crypto, events, uploads
from .models import Counter, Draft, Office, Submission, SubmissionEvent, TicketSequence
from .signals import submission_changed


class IntakeError(Exception):
    code = "intake_error"
    message: str | Promise = gettext_lazy("요청을 처리하지 못했습니다.")

    def __init__(self, message: str | None = None) -> None:
        # Resolved now, in the language of the request that raised it.
        self.message = str(message or self.message)
        super().__init__(self.message)


class FormUnavailable(IntakeError):
    code = "form_unavailable"
    message = gettext_lazy("이 기관에서 지금 신청할 수 없는 서식입니다. 창구 직원에게 문의해 주세요.")


class InvalidSubmission(IntakeError):
    code = "invalid"
    message = gettext_lazy("입력한 내용에 고칠 곳이 있습니다.")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


class PageKeyTaken(IntakeError):
    code = "page_key_taken"
    message = gettext_lazy(
        "이 화면으로는 제출할 수 없어 입력한 내용을 새 화면에 옮겼습니다. 확인한 뒤 제출을 다시 눌러 주세요."
    )


@dataclass
class FormContext:
    office: Office
    template: FormTemplate
    version: FormVersion


# (office id, form code) -> (FormContext, cached at). The submit path reads the
# published version (and its schema) on every request; versions change a few
# times a year. Publishing, retiring or editing a form clears this process's
# cache at once (forms_changed, below); other processes see the change within
# FORM_CACHE_SECONDS. A resident's draft keeps its own version either way.
_forms: dict[tuple[int, str], tuple[FormContext, float]] = {}
# slug -> (office, its counters by id, cached at): every resident request
# reads them; they change while an office is set up, not while it serves.
# Same lifetime and clearing as _forms.
_offices: dict[str, tuple[Office, dict[int, Counter], float]] = {}


def _forget_cached() -> None:
    _forms.clear()
    _offices.clear()


def forms_changed(**kwargs: Any) -> None:
    """Forget cached forms, offices and counters (a catalog or office change)."""
    _forget_cached()
    # Also once the change is visible to others: a request of this process
    # reading between the change and its commit must not keep the old form.
    if kwargs.get("sender") is not None:
        transaction.on_commit(_forget_cached)


def resolve_office(slug: str) -> Office | None:
    cached = _offices.get(slug)
    if cached is not None and time.monotonic() - cached[2] < settings.FORM_CACHE_SECONDS:
        return cached[0]
    office = Office.objects.filter(slug=slug).first()
    if office is not None and settings.FORM_CACHE_SECONDS > 0:
        _offices[slug] = (office, {c.pk: c for c in office.counters.all()}, time.monotonic())
    return office


def office_counter(office: Office, counter_id: Any) -> Counter | None:
    """The office's counter with this id (from the resident's session), if it is still there."""
    cached = _offices.get(office.slug)
    if cached is not None and cached[0] is office and counter_id in cached[1]:
        return cached[1][counter_id]
    # Not cached, or added since (bulk_create sends no signal to clear the cache).
    return Counter.objects.filter(pk=counter_id, office=office).first()


def resolve_form(office: Office, code: str) -> FormContext:
    key = (office.pk, code)
    cached = _forms.get(key)
    if cached is not None and time.monotonic() - cached[1] < settings.FORM_CACHE_SECONDS:
        return FormContext(office, cached[0].template, cached[0].version)
    template = office.forms.filter(code=code).first()
    version = template.published_version() if template else None
    if template is None or version is None:
        raise FormUnavailable()
    form = FormContext(office, template, version)
    if settings.FORM_CACHE_SECONDS > 0:
        _forms[key] = (form, time.monotonic())
    return form


def service_date(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def split_sensitive(version: FormVersion, values: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    secret_keys = form_schema.sensitive_keys(version.schema)
    plain = {k: v for k, v in values.items() if k not in secret_keys}
    secret = {k: v for k, v in values.items() if k in secret_keys}
    return plain, crypto.encrypt_json(secret)


def draft_values(draft: Draft) -> dict[str, Any]:
    return {**draft.data, **crypto.decrypt_json(draft.sensitive_data)}


def submission_values(submission: Submission) -> dict[str, Any]:
    return {**submission.data, **crypto.decrypt_json(submission.sensitive_data)}


def get_or_start_draft(
    *,
    resident_key: str,
    form: FormContext,
    counter: Counter | None,
    prefill: bool = True,
    save: bool = True,
    key: uuid.UUID | None = None,
) -> Draft:
    """The resident's open draft of this form, or a fresh one.

    A draft pinned to an older version stays on it: a resident halfway through
    a form must not have it change under them when an admin publishes.
    `prefill=False` skips filling shared fields from the resident's other
    forms: a POST carries every field of a page that was already prefilled.
    `save=False` leaves a fresh draft unsaved (save_draft writes it): a submit
    clears its draft anyway, so a plain submit writes it once, in the submit's
    own transaction. A fresh draft takes `key`, the page's idempotency key, so
    that a retry of the same page finds the submission it made.
    """
    draft = (
        Draft.objects.filter(
            resident_key=resident_key,
            office=form.office,
            form_version__template=form.template,
            submission__isnull=True,
        )
        .order_by("-updated_at")
        .first()
    )
    if draft is None:
        draft = Draft(
            resident_key=resident_key,
            office=form.office,
            counter=counter,
            form_version=form.version,
            idempotency_key=key or uuid.uuid4(),
        )
        if save:
            draft.save()
    else:
        # The current version is usually the draft's: reuse its parsed schema.
        if draft.form_version_id == form.version.pk:
            draft.form_version = form.version
        if counter is not None and draft.counter_id != counter.pk:
            draft.counter = counter
            draft.save(update_fields=["counter"])
    return _fill_shared_fields(draft) if prefill else draft


def shared_values(resident_key: str, *, exclude_draft: int = 0) -> dict[str, Any]:
    """{semantic key: value} from everything this resident entered, newest last.

    Covers open drafts and submitted ones, so a 위임장 started after the
    신청서 was sent still gets the applicant's details.
    """
    shared: dict[str, Any] = {}
    drafts = (
        Draft.objects.filter(resident_key=resident_key)
        .exclude(pk=exclude_draft)
        .select_related("form_version", "submission__form_version")
        .order_by("updated_at", "pk")
    )
    for other in drafts:
        if other.submission is not None:
            values, schema = submission_values(other.submission), other.submission.form_version.schema
        else:
            values, schema = draft_values(other), other.form_version.schema
        shared.update(form_schema.semantic_values(schema, values))
    return shared


def _fill_shared_fields(draft: Draft) -> Draft:
    """Fields shared by semantic key (성명, 주민등록번호, 주소…) are entered once across forms.

    Only keys the resident has never touched in this draft are filled, so a
    field they cleared on purpose stays clear.
    """
    values = draft_values(draft)
    prefill = form_schema.prefill(draft.form_version.schema, shared_values(draft.resident_key, exclude_draft=draft.pk))
    missing = {k: v for k, v in prefill.items() if k not in values}
    if missing:
        draft.data, draft.sensitive_data = split_sensitive(draft.form_version, {**values, **missing})
        draft.save(update_fields=["data", "sensitive_data"])
    return draft


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def storable(value: Any) -> Any:
    """Drop NUL and other control characters: PostgreSQL refuses NUL in text and
    JSON, and no form value needs them. Everything else the resident typed,
    valid or not, is kept."""
    if isinstance(value, str):
        return value.translate(_CONTROL)
    if isinstance(value, list):
        return [storable(v) for v in value]
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    return value


def values_with(draft: Draft, raw_values: Mapping[str, Any], seq: int | None = None) -> dict[str, Any]:
    """The draft's values with this page's answers, as save_draft stores them.

    A page older than the newest save applied (`seq`, see save_draft) adds nothing.
    """
    if draft.pk is not None and seq is not None and draft.saved_seq >= seq:
        return draft_values(draft)
    known = form_schema.stored_keys(draft.form_version.schema)
    return {**draft_values(draft), **{k: storable(v) for k, v in raw_values.items() if k in known}}


def save_draft(draft: Draft, raw_values: Mapping[str, Any], seq: int | None = None) -> Draft:
    """Keep exactly what the resident typed, valid or not, so nothing is lost.

    `seq` is when the page sent it (its clock): a save older than one already
    applied is dropped, in the same UPDATE that would write it, so requests
    that crossed on the network land in the order they were made.
    """
    data, sensitive = split_sensitive(draft.form_version, values_with(draft, raw_values, seq))
    now = timezone.now()
    if draft.pk is None:
        draft.data, draft.sensitive_data, draft.updated_at = data, sensitive, now
        draft.saved_seq = seq or 0
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:
            # The page's key is another draft's: only a forged or copied page
            # sends one. Keep the answers under a key of their own.
            draft.idempotency_key = uuid.uuid4()
            draft.save()
        return draft
    if seq is None:
        Draft.objects.filter(pk=draft.pk).update(data=data, sensitive_data=sensitive, updated_at=now)
    elif not Draft.objects.filter(pk=draft.pk, saved_seq__lt=seq).update(
        data=data, sensitive_data=sensitive, updated_at=now, saved_seq=seq
    ):
        draft.refresh_from_db()
        return draft
    draft.data, draft.sensitive_data, draft.updated_at = data, sensitive, now
    return draft


def set_step(draft: Draft, step: str) -> None:
    if draft.step != step:
        draft.step = step
        Draft.objects.filter(pk=draft.pk).update(step=step)


TYPED_SIGNATURE_MAX = 30


def typed_signature(name: str) -> str:
    """A typed name drawn as a signature image (PNG data URL, like the finger pad's).

    The keyboard and no-JavaScript alternative to drawing: under the
    전자서명법 (2020) an electronic signature need not be handwritten, only
    attached by the signer to show they sign; the resident is identified at
    the counter anyway. The image says it was typed, so nobody mistakes it
    for a drawn one.
    """
    from PIL import Image, ImageDraw, ImageFont

    text = " ".join(name.split())[:TYPED_SIGNATURE_MAX]
    font_dir = Path(settings.PDF_FONT_DIR)
    image = Image.new("LA", (600, 220), (255, 0))
    draw = ImageDraw.Draw(image)
    draw.text((30, 50), text, font=ImageFont.truetype(str(font_dir / "NanumGothicBold.ttf"), 72), fill=(17, 255))
    draw.text(
        (30, 170),
        "(입력 서명 · typed signature)",
        font=ImageFont.truetype(str(font_dir / "NanumGothic.ttf"), 24),
        fill=(80, 255),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def change_rows(draft: Draft, action: str) -> Draft:
    """Apply "add:<section>" or "remove:<section>:<index>" to a repeatable section of the draft."""
    kind, _, rest = action.partition(":")
    section_key, _, index = rest.partition(":")
    values = draft_values(draft)
    schema = draft.form_version.schema
    if kind == "add":
        values = form_schema.add_row(schema, values, section_key)
    elif kind == "remove" and (row := parsing.integer(index, minimum=0, maximum=10_000)) is not None:
        values = form_schema.remove_row(values, section_key, row)
    else:
        return draft
    draft.data, draft.sensitive_data = split_sensitive(draft.form_version, values)
    draft.updated_at = timezone.now()
    draft.save(update_fields=["data", "sensitive_data", "updated_at"])
    return draft


def attach_uploads(draft: Draft, files: Mapping[str, Any]) -> dict[str, str]:
    """Store uploaded attachments on the draft; return Korean errors by field."""
    errors: dict[str, str] = {}
    stored: dict[str, Any] = {}
    for f in form_schema.input_fields(draft.form_version.schema):
        key = f["key"]
        if f.get("type") in ATTACHMENT_TYPES and files.get(key):
            try:
                stored[key] = uploads.store(f, files[key])
            except FieldError as exc:
                errors[key] = exc.message
    if stored:
        save_draft(draft, stored)
    return errors


def allocate_ticket(office: Office, day: datetime.date) -> int:
    """Next ticket number for the office and day, in one statement.

    The upsert takes the row lock (PostgreSQL) or the write lock (SQLite)
    before it adds one, so concurrent submits never share a number
    (tests/test_races.py); the first submit of the day creates the row.
    """
    table = TicketSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, service_date, last_number) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (office_id, service_date) DO UPDATE SET last_number = "
            f"{table}.last_number + 1 RETURNING last_number",
            [office.pk, day],
        )
        return int(cursor.fetchone()[0])


def submit(
    *,
    form: FormContext,
    version: FormVersion,
    raw_values: Mapping[str, Any],
    idempotency_key: uuid.UUID,
    counter: Counter | None,
    draft: Draft | None = None,
) -> tuple[Submission, bool]:
    """Turn validated values into a Submission. Returns (submission, created).

    Idempotent on `idempotency_key`: a double tap, a retry after a timeout or
    the back button returns the submission already made. The unique key is
    the guard (no read before the insert: a repeat is rare, a submit is not);
    a repeat rolls its whole transaction back, ticket number included.
    """
    result = form_schema.validate(version.schema, raw_values)
    if not result.ok:
        raise InvalidSubmission(result.errors)
    plain, secret = split_sensitive(version, result.cleaned)
    now = timezone.now()
    fresh_draft = draft is not None and draft.pk is None
    try:
        with transaction.atomic():
            day = service_date(now)
            submission = Submission.objects.create(
                idempotency_key=idempotency_key,
                office=form.office,
                counter=counter,
                form_version=version,
                data=plain,
                sensitive_data=secret,
                service_date=day,
                ticket_number=allocate_ticket(form.office, day),
                submitted_at=now,
                updated_at=now,
            )
            SubmissionEvent.objects.create(submission=submission, to_status=submission.status, at=now)
            if draft is not None and draft.pk is None:
                # Kept, emptied, as the link that prefills this resident's other forms (shared_values).
                draft.submission, draft.data, draft.sensitive_data = submission, {}, ""
                draft.save()
            elif draft is not None:
                Draft.objects.filter(pk=draft.pk).update(submission=submission, data={}, sensitive_data="")
            submission_changed.send(
                sender=Submission, submission=submission, old_status="", new_status=submission.status
            )
            events.publish_submission_on_commit(submission)
    except IntegrityError:
        # A concurrent request with the same key won the race; return its result.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
        if fresh_draft and Draft.objects.filter(idempotency_key=idempotency_key).exists():
            # The page's key is another resident's open draft (a forged or
            # copied page): submitting under it would later hand that
            # resident this submission as theirs.
            raise PageKeyTaken() from None
        raise
    return submission, True


def purge_stale_drafts(now: datetime.datetime | None = None, hours: int = 48) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    deleted, _ = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def open_queue(office_id: int) -> list[Submission]:
    """The office's live queue, oldest first: what a console shows on (re)connect."""
    today = service_date()
    return list(
        Submission.objects.filter(
            office_id=office_id,
            status__in=Submission.OPEN_STATUSES,
            service_date__gte=today - datetime.timedelta(days=1),
        )
        .select_related("form_version__template", "called_counter")
        # Every console pays for this on each reconnect: skip the form schema
        # and the answers, which a queue row never shows.
        .defer("data", "sensitive_data", "form_version__schema")
        .order_by("submitted_at")
    )


def people_ahead(submission: Submission) -> int:
    if submission.status != Submission.Status.SUBMITTED:
        return 0
    return Submission.objects.filter(
        office_id=submission.office_id,
        status=Submission.Status.SUBMITTED,
        submitted_at__lt=submission.submitted_at,
    ).count()


class NotAwaitingCorrection(IntakeError):
    code = "not_awaiting_correction"
    message = gettext_lazy("지금은 고칠 수 있는 상태가 아닙니다. 창구 직원에게 문의해 주세요.")


def correction_fields(submission: Submission) -> list[dict[str, Any]]:
    """The schema fields the officer asked this resident to fix, in form order."""
    wanted = set(submission.correction_fields or [])
    return [f for f in form_schema.input_fields(submission.form_version.schema) if f["key"] in wanted]


def resubmit_correction(submission_id: int, raw_values: Mapping[str, Any]) -> Submission:
    """The resident's fixes go into the SAME submission (same ticket, same reference).

    Only the fields the officer asked for are taken from the phone; the whole
    form is validated again so a fix cannot break a rule across fields.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Submission.Status.CORRECTION:
            raise NotAwaitingCorrection()
        version = submission.form_version
        asked = set(submission.correction_fields or [])
        values = {**submission_values(submission), **{k: v for k, v in raw_values.items() if k in asked}}
        result = form_schema.validate(version.schema, values)
        if not result.ok:
            raise InvalidSubmission(result.errors)
        submission.data, submission.sensitive_data = split_sensitive(version, result.cleaned)
        old = submission.status
        # A resident already called goes back to that counter; one who fixed
        # the form before being called simply waits in line again.
        submission.status = Submission.Status.CALLED if submission.called_at else Submission.Status.SUBMITTED
        submission.correction_fields = []
        submission.revision += 1
        submission.updated_at = timezone.now()
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission,
            from_status=old,
            to_status=submission.status,
            at=submission.updated_at,
            note="보완 제출 (corrected): " + ", ".join(sorted(asked)),
        )
        submission_changed.send(sender=Submission, submission=submission, old_status=old, new_status=submission.status)
        events.publish_submission_on_commit(submission)
    return submission


# --- setting up an office (the adoption kit) -----------------------------------


class OfficeSetupError(IntakeError):
    code = "office_setup"


def set_counters(office: Office, count: int) -> None:
    """Counters 1..count: missing ones are made, higher numbers removed (their posters stop working)."""
    if not 1 <= count <= 99:
        raise OfficeSetupError("창구 수는 1에서 99 사이로 적어 주세요.")
    with transaction.atomic():
        have = set(office.counters.values_list("number", flat=True))
        Counter.objects.bulk_create([Counter(office=office, number=n) for n in range(1, count + 1) if n not in have])
        office.counters.filter(number__gt=count).delete()


def offer_forms(office: Office, templates: list[FormTemplate]) -> None:
    """The forms this office offers residents: exactly these (only published ones can be filled)."""
    office.forms.set(templates)


def publishable_forms() -> list[FormTemplate]:
    """Forms an office can offer today: those with a published version."""
    return list(FormTemplate.objects.filter(versions__status=FormVersion.Status.PUBLISHED).distinct())


def store_logo(office: Office, data: bytes, extension: str) -> None:
    from django.core.files.base import ContentFile

    old = office.logo.name if office.logo else ""
    office.logo.save(f"{office.slug}.{extension}", ContentFile(data), save=True)
    if old and old != office.logo.name:
        office.logo.storage.delete(old)
