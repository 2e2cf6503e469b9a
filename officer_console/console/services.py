"""Staff operations on submissions.

Each owns its transaction and locks the row, so two officers acting on the
same submission can never both win: the second gets a StaffActionError with
a stable code and a Korean message to show.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from forms_catalog import schema as form_schema
from forms_catalog import terms as service_terms
from forms_catalog.models import Service
from intake import counters, crypto, events, lifecycle
from intake import services as intake_services
from intake.errors import ActionRefused
from intake.models import Counter, Office, Submission

from .. import access
from ..models import AccessLog, FieldEdit, MirrorState, Review
from ..reports.services import paper_sheets_for

S = Submission.Status


# Every refused staff action: an illegal move (code "conflict") or a missing
# input, raised by the lifecycle and by the checks below alike.
StaffActionError = ActionRefused


def call(submission_id: int, user: User, counter: Counter | None) -> Submission:
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "call")
        submission.called_at = timezone.now()
        submission.called_counter = counter
        lifecycle.transition(submission, "call", actor=user)
    return submission


def call_next(office_id: int, user: User, counter: Counter | None) -> Submission:
    """Call the oldest of today's waiting tickets this counter serves.

    A counter serves its services (none chosen: every service), tickets with no
    service, and tickets transferred to it while waiting; a ticket transferred to
    another counter waits for that one. No counter chosen: every ticket. The
    place is the time the ticket was taken, which a transfer leaves alone.
    """
    with transaction.atomic():
        # skip_locked lets two officers press "call next" at once and get two
        # different residents instead of one of them failing.
        # Today's tickets only: one left from an earlier day is never called
        # first (the day close ends them at closing).
        waiting = Submission.objects.filter(
            office_id=office_id, status=S.SUBMITTED, service_date=intake_services.service_date()
        )
        candidate = (
            waiting.filter(counters.serves_q(counter))
            .select_for_update(skip_locked=True)
            .order_by("submitted_at", "pk")
            .first()
        )
        if candidate is None:
            if counter is not None and waiting.exists():
                names = ", ".join(str(s) for s in counter.services.all()) or "-"
                raise StaffActionError(
                    "queue_empty_for_counter",
                    f"{counter.number}번 창구의 담당 업무({names})에 대기 중인 민원이 없습니다. "
                    "다른 업무의 대기는 해당 창구에서 호출합니다.",
                )
            raise StaffActionError("queue_empty", "대기 중인 민원이 없습니다.")
        return call(candidate.pk, user, counter)


def recall(submission_id: int, user: User, counter: Counter | None) -> Submission:
    """Call the same resident again: the lobby and the phone announce it anew."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "recall")
        submission.called_at = timezone.now()
        submission.called_counter = counter or submission.called_counter
        lifecycle.transition(submission, "recall", actor=user, note="재호출 (recall)")
    return submission


def no_show(submission_id: int, user: User) -> Submission:
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "no_show")
        lifecycle.transition(submission, "no_show", actor=user)
    return submission


def request_correction(submission_id: int, user: User, field_keys: Iterable[str], message: str) -> Submission:
    """Ask the resident to fix some fields; they resubmit the same submission from their phone."""
    keys = [k for k in dict.fromkeys(field_keys) if k]
    message = message.strip()
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "correction", fields=keys)
        known = submission.form_version.form.fields_by_key
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise StaffActionError("unknown_field", f"이 서식에 없는 항목입니다: {', '.join(unknown)}")
        submission.correction_fields = keys
        submission.status_note = message
        lifecycle.transition(
            submission, "correction", actor=user, note=f"보완 요청 (correction): {', '.join(keys)} — {message}"
        )
    return submission


def transfer(
    submission_id: int, user: User, *, counter: Counter | None = None, officer: User | None = None, note: str = ""
) -> Submission:
    """Hand the submission to another counter and/or officer; the resident's ticket shows the new one."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "transfer", target=counter or officer)
        if counter is not None and counter.office_id != submission.office_id:
            raise StaffActionError("wrong_office", "다른 기관의 창구로는 넘길 수 없습니다.")
        if officer is not None and not access.works_at(officer, submission.office_id):
            raise StaffActionError("wrong_office", "이 기관 소속이 아닌 담당자에게는 넘길 수 없습니다.")
        if counter is not None:
            submission.called_counter = counter
        target = f"{counter.number}번 창구" if counter else ""
        if officer is not None:
            target = " · ".join(t for t in (target, officer.get_full_name() or officer.get_username()) if t)
        lifecycle.transition(
            submission,
            "transfer",
            actor=user,
            note=f"이관 (transfer) → {target} {note.strip()}".strip(),
            handler=officer or submission.handled_by or user,
        )
    return submission


def set_id_checked(submission_id: int, user: User, checked: bool) -> Review:
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "id_check")
        review, _ = Review.objects.get_or_create(submission=submission)
        review.id_checked_at = timezone.now() if checked else None
        review.id_checked_by = user if checked else None
        review.save()
        lifecycle.transition(
            submission,
            "id_check",
            actor=user,
            note="신분증 확인 (ID checked)" if checked else "신분증 확인 취소 (ID check undone)",
            handler=submission.handled_by or user,
        )
    return review


def id_checked(submission: Submission) -> bool:
    """The officer's tick is recorded (the archive's 신분 확인 cell reads it, pdfgen/services.py)."""
    return Review.objects.filter(submission=submission, id_checked_at__isnull=False).exists()


def id_check_required(submission: Submission) -> bool:
    return service_terms.of(submission.form_version).id_check_required


def require_id_check(submission: Submission) -> None:
    """A guard of `complete` (registered in apps.py): a version marked 신분증 확인 필수 needs the tick first."""
    if id_check_required(submission) and not id_checked(submission):
        raise StaffActionError(
            "id_check_required",
            "이 민원은 신분증 확인이 필수입니다. 신분증을 확인하고 '신분증 확인'에 표시한 뒤 완료해 주세요.",
        )


def _stored(value: Any, sensitive: bool) -> str:
    if value is None:
        return ""
    if sensitive:
        return crypto.encrypt_json({"v": value})
    return value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def record_resident_fixes(submission: Submission, changes: Iterable[tuple[str, Any, Any]]) -> list[FieldEdit]:
    """The values a resident's correction changed, kept like an officer's edits so the check view marks them."""
    fields = submission.form_version.form.fields_by_key
    return [
        FieldEdit.objects.create(
            submission=submission,
            field_key=key,
            field_label=fields[key].label or key,
            sensitive=fields[key].is_sensitive,
            before=_stored(before, fields[key].is_sensitive),
            after=_stored(after, fields[key].is_sensitive),
            user=None,
            username="민원인",
            by_resident=True,
        )
        for key, before, after in changes
        if key in fields
    ]


def edit_fields(submission_id: int, user: User, raw_values: Mapping[str, Any]) -> list[FieldEdit]:
    """Officer corrections at the counter, each recorded with before/after and who."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "edit")
        schema = submission.form_version.form
        fields = schema.fields_by_key
        before = intake_services.submission_values(submission)
        changed = {k: v for k, v in raw_values.items() if k in fields and v != before.get(k)}
        if not changed:
            return []
        result = form_schema.validate(schema, {**before, **changed})
        if not result.ok:
            errors = {k: m for k, m in result.errors.items() if k in changed} or result.errors
            raise StaffActionError(
                "invalid", " / ".join(f"{fields[k].label or k}: {m}" for k, m in errors.items() if k in fields)
            )
        submission.data, submission.sensitive_data = intake_services.split_sensitive(
            submission.form_version, result.cleaned
        )
        edits = []
        for key in changed:
            f = fields[key]
            sensitive = f.is_sensitive
            if result.cleaned.get(key) == before.get(key):
                continue
            edits.append(
                FieldEdit.objects.create(
                    submission=submission,
                    field_key=key,
                    field_label=f.label or key,
                    sensitive=sensitive,
                    before=_stored(before.get(key), sensitive),
                    after=_stored(result.cleaned.get(key), sensitive),
                    user=user,
                    username=user.get_username(),
                )
            )
        if edits:
            lifecycle.transition(
                submission,
                "edit",
                actor=user,
                note="직원 수정 (edited): " + ", ".join(e.field_key for e in edits),
                handler=submission.handled_by or user,
            )
    return edits


def complete(submission_id: int, user: User) -> Submission:
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "complete")
        submission.completed_at = timezone.now()
        # Fixed now, from the exact version filed, so a later edit of the
        # template never changes the paper this submission saved.
        submission.paper_sheets_saved = paper_sheets_for(submission)
        lifecycle.transition(submission, "complete", actor=user)
    return submission


def take_for_processing(submission_id: int, user: User) -> Submission:
    """처리중: the officer keeps the 민원 past the visit; it leaves the live queue for the open-민원 view."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "process")
        lifecycle.transition(submission, "process", actor=user)
    return submission


def reject(submission_id: int, user: User, reason: str) -> Submission:
    reason = reason.strip()
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "reject", reason=reason)
        submission.completed_at = timezone.now()
        submission.status_note = reason
        lifecycle.transition(submission, "reject", actor=user, note=reason)
    return submission


def log_access(
    *, user: User, ip: str | None, action: str, submission: Submission | None, reason: str = ""
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        ip=ip or None,
        action=action,
        submission=submission,
        subject_reference=submission.reference if submission else "",
        reason=reason,
    )


def counters_of(offices: Iterable[Office]) -> list[Counter]:
    return list(Counter.objects.filter(office__in=list(offices)).select_related("office"))


def find_by_handoff(office_id: int, code: str) -> Submission:
    """A resident's hand-off code, as scanned or typed (case, spaces and dashes forgiven)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    submission = (
        Submission.objects.filter(office_id=office_id, handoff_code=cleaned).order_by("-submitted_at").first()
        if cleaned
        else None
    )
    if submission is None:
        raise StaffActionError("not_found", "그 인계 코드의 민원이 이 기관에 없습니다. 코드를 다시 확인해 주세요.")
    return submission


def search(
    office_id: int,
    *,
    reference: str = "",
    ticket: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    form_code: str = "",
    status: str = "",
) -> QuerySet[Submission]:
    qs = Submission.objects.filter(office_id=office_id).select_related("form_version__template", "called_counter")
    if reference:
        qs = qs.filter(reference__icontains=reference.strip().upper())
    if ticket is not None:
        qs = qs.filter(ticket_number=ticket)
    if date_from:
        qs = qs.filter(service_date__gte=date_from)
    if date_to:
        qs = qs.filter(service_date__lte=date_to)
    if form_code:
        qs = qs.filter(form_version__template__code=form_code)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at")


# --- Lobby TV ---------------------------------------------------------------

LOBBY_SALT = "officer_console.lobby"


def lobby_token(office_id: int) -> str:
    """What the lobby TV's address carries instead of a staff log-in.

    The TV shows only ticket and counter numbers, which anyone in the room can
    read; a TV left logged in as an officer would open the console, personal
    data and all, to whoever reaches its keyboard. Signed, so the address of
    one office does not lead to another's.
    """
    return signing.Signer(salt=LOBBY_SALT).sign(str(office_id))


def office_for_lobby_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=LOBBY_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


# --- Mirror screen ----------------------------------------------------------


def mirror_group(counter_id: int) -> str:
    return f"mirror.{counter_id}"


def log_mirror_watch(user: User, ip: str | None, counter: Counter, submission: Submission | None) -> AccessLog:
    """Watching a counter's mirror shows its resident's data (masked): a view, logged with the counter."""
    return log_access(
        user=user,
        ip=ip,
        action=AccessLog.Action.VIEW,
        submission=submission,
        reason=f"창구 보조 화면 (counter mirror) {counter.number}번",
    )


def idle_mirror(counter: Counter) -> None:
    """Back at the queue: the counter's resident-facing screen goes idle.

    The queue page is reloaded all day; a screen already idle is left alone
    rather than rewritten and told again each time.
    """
    if MirrorState.objects.filter(counter=counter, submission=None, field_key="", prompt="").exists():
        return
    update_mirror(counter, show=True, submission=None)


def update_mirror(
    counter: Counter,
    *,
    show: bool = False,
    submission: Submission | None = None,
    field_key: str | None = None,
    prompt: str | None = None,
) -> MirrorState:
    """Change what the counter's resident-facing screen shows and tell it.

    With `show`, the screen switches to `submission` (None: the idle screen)
    and any pointer or prompt is cleared.
    """
    with transaction.atomic():
        state, _ = MirrorState.objects.select_for_update().get_or_create(counter=counter)
        if show:
            state.submission = submission
            state.field_key = ""
            state.prompt = ""
        if field_key is not None:
            state.field_key = field_key
        if prompt is not None:
            state.prompt = prompt.strip()[:200]
        state.updated_at = timezone.now()
        state.save()
        group = mirror_group(counter.pk)
        transaction.on_commit(lambda: events.send_group(group, {"type": "mirror.changed"}))
    return state


# --- Counters by service ----------------------------------------------------


def set_counter_services(office: Office, chosen: Mapping[int, Iterable[int]]) -> list[Counter]:
    """창구별 담당 업무: each counter of the office gets the services chosen for it (none: every service).

    Takes effect at the next "다음 번호 호출", so the office can change it during the
    day; what a counter already called stays with it. Only the office's counters and
    known services are accepted.
    """
    with transaction.atomic():
        counters = {c.pk: c for c in Counter.objects.select_for_update().filter(office=office).order_by("number")}
        strangers = set(chosen) - set(counters)
        if strangers:
            raise StaffActionError("wrong_office", "이 기관의 창구가 아닙니다.")
        wanted = {pk: set(chosen.get(pk, ())) for pk in counters}
        known = set(Service.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
        if any(ids - known for ids in wanted.values()):
            raise StaffActionError("unknown_service", "없는 업무 구분입니다. 화면을 새로 고친 뒤 다시 골라 주세요.")
        for pk, counter in counters.items():
            counter.services.set(wanted[pk])
    return list(counters.values())
