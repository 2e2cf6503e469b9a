"""Resident-side domain operations: drafts, submission, tickets.

Each function owns its transaction; views only parse input and choose a
response. Errors carry a stable `code` for views and tests.
"""

import datetime
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from forms_catalog import schema as form_schema
from forms_catalog.models import FormTemplate, FormVersion
from forms_catalog.schema import ATTACHMENT_TYPES
from forms_catalog.schema.validators import FieldError
from project import parsing

from . import crypto, lifecycle, servicedays, uploads
from .errors import (
    ActionRefused,
    FormUnavailable,
    IntakeError,
    InvalidSubmission,
    NotAwaitingCorrection,
    PageKeyTaken,
    RatingRefused,
)
from .models import Counter, Delegation, Draft, Office, Rating, Submission, TicketSequence
from .signals import values_corrected

# The errors live in intake.errors (the lifecycle raises them too); views and
# tests reach them here, beside the operations that raise them.
__all__ = [
    "ActionRefused",
    "FormUnavailable",
    "IntakeError",
    "InvalidSubmission",
    "NotAwaitingCorrection",
    "PageKeyTaken",
    "RatingRefused",
]

# How long after completion the resident's one-tap rating is taken.
RATING_DAYS = 7


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


def published_forms(office: Office) -> QuerySet[FormTemplate]:
    """The office's forms a resident can fill now (the office page, the kiosk's start page)."""
    return office.forms.filter(versions__status="published").distinct().order_by("category", "title")


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
    """The service day at `now`: the Korean calendar day (intake/servicedays.py)."""
    return servicedays.service_day(now)


def split_sensitive(version: FormVersion, values: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    secret_keys = version.form.sensitive_keys
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
            values, schema = submission_values(other.submission), other.submission.form_version.form
        else:
            values, schema = draft_values(other), other.form_version.form
        shared.update(form_schema.semantic_values(schema, values))
    return shared


def _fill_shared_fields(draft: Draft) -> Draft:
    """Fields shared by semantic key (성명, 주민등록번호, 주소…) are entered once across forms.

    Only keys the resident has never touched in this draft are filled, so a
    field they cleared on purpose stays clear. Personal numbers (주민등록번호…)
    are never carried over: the page would show them in full to whoever
    opens the next form in this browser, on a shared or borrowed phone too.
    """
    values = draft_values(draft)
    form = draft.form_version.form
    prefill = form_schema.prefill(form, shared_values(draft.resident_key, exclude_draft=draft.pk))
    missing = {k: v for k, v in prefill.items() if k not in values and k not in form.sensitive_keys}
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
    known = draft.form_version.form.stored_keys
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


def change_rows(draft: Draft, action: str) -> Draft:
    """Apply "add:<section>" or "remove:<section>:<index>" to a repeatable section of the draft."""
    kind, _, rest = action.partition(":")
    section_key, _, index = rest.partition(":")
    values = draft_values(draft)
    schema = draft.form_version.form
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
    for f in draft.form_version.form.input_fields:
        key = f.key
        if f.type in ATTACHMENT_TYPES and files.get(key):
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


def file_submission(
    submission: Submission, *, take_ticket: bool, to: str, actor: User | None, at: datetime.datetime, note: str = ""
) -> None:
    """The filing steps every way into the queue shares (form, ticket only, kiosk, 대신 작성),
    inside the caller's transaction: the service day, its next ticket unless one is taken
    later (at check-in, or once the 위임자 has signed), and the submit move, which saves the
    row and its audit event (naming `actor` when staff filed it for the resident)."""
    submission.submitted_at = at
    submission.service_date = service_date(at)
    if take_ticket:
        submission.ticket_number = allocate_ticket(submission.office, submission.service_date)
    lifecycle.transition(submission, "submit", actor=actor, at=at, to=to, note=note)


def submit(
    *,
    form: FormContext,
    version: FormVersion,
    raw_values: Mapping[str, Any],
    idempotency_key: uuid.UUID,
    counter: Counter | None,
    draft: Draft | None = None,
    before_visit: bool = False,
    language: str = "",
    channel: str = Submission.Channel.PHONE,
    actor: User | None = None,
    note: str = "",
) -> tuple[Submission, bool]:
    """Turn validated values into a Submission. Returns (submission, created).

    Idempotent on `idempotency_key`: a double tap, a retry after a timeout or
    the back button returns the submission already made. The unique key is
    the guard (no read before the insert: a repeat is rare, a submit is not);
    a repeat rolls its whole transaction back, ticket number included.
    `before_visit` (filled at home from the office-wide link): checked and
    kept, but no ticket until the resident checks in at the office.
    `channel`: how the resident reached the queue (the report splits by it; a kiosk's form
    says so here, not afterwards); `actor` is the officer who filled it for them (대신 작성),
    kept on the submit event with `note`.
    """
    result = form_schema.validate(version.form, raw_values)
    if not result.ok:
        raise InvalidSubmission(result.errors)
    plain, secret = split_sensitive(version, result.cleaned)
    now = timezone.now()
    fresh_draft = draft is not None and draft.pk is None
    # A 대리인's filing waits for the 위임자's signature; its ticket is taken then.
    cosign = form_schema.delegation_method(version.form, result.cleaned) == "cosign"
    try:
        with transaction.atomic():
            submission = Submission(
                idempotency_key=idempotency_key,
                office=form.office,
                counter=counter,
                form_version=version,
                service_id=form.template.service_id,
                data=plain,
                sensitive_data=secret,
                prepared_at=now if before_visit else None,
                language=language,
                channel=channel,
            )
            if cosign:
                # The 위임자 signs first; a form filled at home then still waits for its resident.
                to = Submission.Status.AWAITING_COSIGN
            else:
                to = Submission.Status.PRE_ARRIVAL if before_visit else Submission.Status.SUBMITTED
            take_ticket = not (before_visit or cosign)
            file_submission(submission, take_ticket=take_ticket, to=to, actor=actor, at=now, note=note)
            if cosign:
                Delegation.objects.create(submission=submission, created_at=now)
            if draft is not None:
                _close_draft(draft, submission)
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


def _close_draft(draft: Draft, submission: Submission) -> None:
    """Kept, emptied, as the link that prefills this resident's other forms (shared_values)."""
    if draft.pk is None:
        draft.submission, draft.data, draft.sensitive_data = submission, {}, ""
        draft.save()
    else:
        Draft.objects.filter(pk=draft.pk).update(submission=submission, data={}, sensitive_data="")


def purge_stale_drafts(now: datetime.datetime | None = None, hours: int = 48) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    deleted, _ = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


def open_queue(office_id: int, today: datetime.date | None = None) -> list[Submission]:
    """The office's live queue, oldest first: what a console shows on (re)connect.

    Only the service day's tickets: yesterday's leftovers were ended by the
    day close (intake/dayclose.py); 민원 taken on for days live in the open-민원 view.
    """
    return list(
        Submission.objects.filter(
            office_id=office_id,
            status__in=Submission.QUEUE_STATUSES,
            service_date=today or service_date(),
        )
        .select_related("form_version__template", "called_counter", "service")
        # Every console pays for this on each reconnect: skip the form schema
        # and the answers, which a queue row never shows.
        .defer("data", "sensitive_data", "form_version__schema")
        .order_by("submitted_at")
    )


def in_queue(submission: Submission, today: datetime.date | None = None) -> bool:
    """Whether the submission is a row of its office's live queue now (open_queue)."""
    return servicedays.in_queue(submission, today)


def people_ahead(submission: Submission) -> int:
    """Waiting tickets of the same service day and line taken before this one.

    The line is the ticket's service (counters call by service, intake/counters.py);
    a ticket with no service may be called by any counter, so it counts in every line.
    """
    if submission.status != Submission.Status.SUBMITTED:
        return 0
    ahead = Submission.objects.filter(
        office_id=submission.office_id,
        service_date=submission.service_date,
        status=Submission.Status.SUBMITTED,
        submitted_at__lt=submission.submitted_at,
    )
    if submission.service_id is not None:
        ahead = ahead.filter(Q(service_id=submission.service_id) | Q(service__isnull=True))
    return ahead.count()


def waiting_per_service(office_id: int, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Tickets of the service day not yet called, per service, most waiting first.

    A ticket of a form with no service is counted under its form's title (the
    line a resident recognises). Each row: service_id (None for those), service (the
    name), service_en, count.
    """
    rows = (
        Submission.objects.filter(
            office_id=office_id, status=Submission.Status.SUBMITTED, service_date=today or service_date()
        )
        .values(
            "service_id",
            "service__name",
            "service__name_en",
            "form_version__template__title",
            "form_version__template__title_en",
        )
        .annotate(count=Count("pk"))
    )
    lines: dict[tuple[int | None, str], dict[str, Any]] = {}
    for r in rows:
        name = r["service__name"] or r["form_version__template__title"] or ""
        english = r["service__name_en"] if r["service_id"] else r["form_version__template__title_en"]
        line = lines.setdefault(
            (r["service_id"], name),
            {"service_id": r["service_id"], "service": name, "service_en": english or "", "count": 0},
        )
        line["count"] += r["count"]
    return sorted(lines.values(), key=lambda line: (-line["count"], line["service"]))


def correction_fields(submission: Submission) -> list[form_schema.Field]:
    """The schema fields the officer asked this resident to fix, in form order."""
    wanted = set(submission.correction_fields or [])
    return [f for f in submission.form_version.form.input_fields if f.key in wanted]


def resubmit_correction(submission_id: int, raw_values: Mapping[str, Any]) -> Submission:
    """The resident's fixes go into the SAME submission (same ticket, same reference).

    Only the fields the officer asked for are taken from the phone; the whole
    form is validated again so a fix cannot break a rule across fields.
    """
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "resubmit")
        version = submission.form_version
        asked = set(submission.correction_fields or [])
        before = submission_values(submission)
        values = {**before, **{k: v for k, v in raw_values.items() if k in asked}}
        result = form_schema.validate(version.form, values)
        if not result.ok:
            raise InvalidSubmission(result.errors)
        submission.data, submission.sensitive_data = split_sensitive(version, result.cleaned)
        submission.correction_fields = []
        lifecycle.transition(
            submission,
            "resubmit",
            to=_back_from_correction(submission),
            note="보완 제출 (corrected): " + ", ".join(sorted(asked)),
        )
        changes = [
            (k, before.get(k), result.cleaned.get(k)) for k in sorted(asked) if before.get(k) != result.cleaned.get(k)
        ]
        if changes:
            values_corrected.send(sender=Submission, submission=submission, changes=changes)
    return submission


def _back_from_correction(submission: Submission) -> str:
    """Where a fixed form goes: the counter's queue on its own service day, else back to its handler."""
    asked_from = (
        submission.events.filter(to_status=Submission.Status.CORRECTION)
        .order_by("-at", "-pk")
        .values_list("from_status", flat=True)
    ).first()
    if asked_from == Submission.Status.PROCESSING or submission.service_date != service_date():
        return Submission.Status.PROCESSING
    return Submission.Status.CALLED if submission.called_at else Submission.Status.SUBMITTED


def check_in(submission_id: int, *, counter: Counter | None = None, actor: User | None = None) -> Submission:
    """A resident who filled the form at home is at the office: the ticket is taken now.

    The ticket, the service day and the start of the wait are those of this
    moment, so the resident joins today's queue after everyone already
    waiting, and the report's wait runs from the arrival. By the resident
    (a counter's or the lobby's QR code, `counter` the one scanned) or by the
    guide staff who typed the hand-off code (`actor`).
    """
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "check_in")
        now = timezone.now()
        day = service_date(now)
        submission.service_date = day
        submission.ticket_number = allocate_ticket(submission.office, day)
        submission.submitted_at = now
        if counter is not None:
            submission.counter = counter
        note = "도착 확인 (checked in)" + (f": {counter.number}번 창구 QR" if counter else "")
        lifecycle.transition(submission, "check_in", actor=actor, at=now, note=note)
    return submission


def check_in_arrivals(office: Office, tokens: list[str], counter: Counter | None = None) -> list[Submission]:
    """Check in the forms this phone filled at home for this office (their ticket links' tokens), oldest first."""
    waiting = Submission.objects.filter(
        office=office, public_token__in=tokens, status=Submission.Status.PRE_ARRIVAL
    ).order_by("prepared_at", "pk")
    arrived = []
    for pk in list(waiting.values_list("pk", flat=True)):
        try:
            arrived.append(check_in(pk, counter=counter))
        except ActionRefused:
            continue  # checked in meanwhile (the guide typed its code): nothing left to do
    return arrived


def can_withdraw(submission: Submission) -> bool:
    return submission.status in lifecycle.MOVES["withdraw"].sources


def withdraw(submission_id: int) -> Submission:
    """취하 by the resident, from the ticket page, until the officer finishes (the lifecycle's sources)."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "withdraw")
        lifecycle.transition(submission, "withdraw", note="민원인 취하 (withdrawn by the resident)")
    return submission


def rating_state(submission: Submission, now: datetime.datetime | None = None) -> str:
    """What the ticket page shows of the rating: "open" (ask), "rated" (thank), "" (nothing: not done, or too late)."""
    if submission.status != Submission.Status.COMPLETED or submission.completed_at is None:
        return ""
    if Rating.objects.filter(submission_id=submission.pk).exists():
        return "rated"
    if (now or timezone.now()) - submission.completed_at > datetime.timedelta(days=RATING_DAYS):
        return ""
    return "open"


def rate(submission_id: int, score: Any, comment: str = "") -> Rating:
    """The resident's one-tap rating of a completed 민원: one per submission, for RATING_DAYS after completion."""
    value = parsing.integer(score, minimum=1, maximum=5)
    if value is None:
        raise RatingRefused("invalid_score")
    comment = storable((comment or "").strip())
    if len(comment) > Rating.COMMENT_MAX:
        raise RatingRefused("comment_too_long")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Submission.Status.COMPLETED or submission.completed_at is None:
            raise RatingRefused("not_completed")
        if timezone.now() - submission.completed_at > datetime.timedelta(days=RATING_DAYS):
            raise RatingRefused("rating_closed")
        try:
            with transaction.atomic():
                return Rating.objects.create(submission=submission, score=value, comment=comment)
        except IntegrityError:
            raise RatingRefused("already_rated") from None
