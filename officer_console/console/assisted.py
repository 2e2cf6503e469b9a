"""대신 작성: the officer fills a form for the resident at the counter; the resident signs it on the mirror.

The entry stays an AssistedEntry (its answers in an intake Draft) while the
officer fills it and while the resident reviews it on the counter's mirror;
only the resident's signature makes it a Submission, through the same
`intake.services.submit` as a phone (channel "assisted", the officer as the
submit event's actor), so it is validated, encrypted, archived and counted
(paper saved, report) exactly like one. The resident may refuse and the
officer may cancel: then the answers are wiped and nothing is filed.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from forms_catalog import schema as form_schema
from intake import flow
from intake import services as intake_services
from intake.errors import InvalidSubmission
from intake.models import Counter, Draft, Office, Submission

from .. import access
from ..models import AssistedEntry
from . import services

E = AssistedEntry.Status
StaffActionError = services.StaffActionError
# No browser holds a key like this: the entry's draft never prefills, and is never prefilled
# from, the forms of a resident filling on their own phone (intake.services.shared_values).
RESIDENT_KEY_PREFIX = "assisted-"


def start(office: Office, user: User, counter: Counter | None, form_code: str) -> AssistedEntry:
    """A fresh 대신 작성 of one of the office's published forms, at the officer's counter."""
    if counter is None:
        # The resident signs on the counter's mirror: without a counter there is no screen to sign on.
        raise StaffActionError("counter_required", "창구를 먼저 고르세요. 민원인은 그 창구의 화면에서 서명합니다.")
    if counter.office_id != office.pk or not access.works_at(user, office.pk):
        raise StaffActionError("wrong_office", "이 기관의 창구와 담당자만 대신 작성할 수 있습니다.")
    form = intake_services.resolve_form(office, form_code)  # FormUnavailable (form_unavailable)
    draft = Draft.objects.create(
        resident_key=RESIDENT_KEY_PREFIX + uuid.uuid4().hex,
        office=office,
        counter=counter,
        form_version=form.version,
    )
    return AssistedEntry.objects.create(office=office, counter=counter, officer=user, draft=draft)


def form_of(entry: AssistedEntry) -> intake_services.FormContext:
    version = entry.draft.form_version
    return intake_services.FormContext(entry.office, version.template, version)


def signature_keys(schema: form_schema.FormSchema, values: Mapping[str, Any]) -> list[str]:
    """The signature fields these answers ask for: the resident signs them on the mirror."""
    return [f.key for f in flow.sign_off_fields(schema, values) if f.type == "signature"]


def _locked(entry_id: int, *allowed: str) -> AssistedEntry:
    entry = AssistedEntry.objects.select_for_update().select_related("draft__form_version").get(pk=entry_id)
    if entry.status not in allowed:
        raise StaffActionError(
            "conflict", f"이미 '{entry.get_status_display()}' 상태라서 처리할 수 없습니다. 화면을 새로 고쳤습니다."
        )
    return entry


def _set(entry: AssistedEntry, status: str) -> None:
    entry.status = status
    entry.updated_at = timezone.now()
    entry.save(update_fields=["status", "updated_at", "submission"])


def request_signature(entry_id: int, user: User) -> AssistedEntry:
    """The officer has filled it in: the counter's mirror shows it to the resident to review and sign.

    Everything but the resident's signature must be right already (InvalidSubmission otherwise).
    """
    with transaction.atomic():
        entry = _locked(entry_id, E.FILLING, E.SIGNING)
        values = intake_services.draft_values(entry.draft)
        schema = entry.draft.form_version.form
        unsigned = set(signature_keys(schema, values))
        errors = {k: m for k, m in form_schema.validate(schema, values).errors.items() if k not in unsigned}
        if errors:
            raise InvalidSubmission(errors)
        # One resident at a counter: an earlier entry still waiting there goes back to its officer.
        AssistedEntry.objects.filter(counter=entry.counter, status=E.SIGNING).exclude(pk=entry.pk).update(
            status=E.FILLING, updated_at=timezone.now()
        )
        _set(entry, E.SIGNING)
        services.update_mirror(entry.counter, show=True, submission=None)
    return entry


def reopen(entry_id: int, user: User) -> AssistedEntry:
    """Back to the officer's page to change an answer the resident pointed out; the mirror goes idle."""
    with transaction.atomic():
        entry = _locked(entry_id, E.SIGNING, E.FILLING)
        _set(entry, E.FILLING)
        services.update_mirror(entry.counter, show=True, submission=None)
    return entry


def sign(entry_id: int, user: User, signed: Mapping[str, Any], language: str = "") -> Submission:
    """The resident signed on the mirror: now, and only now, it is filed.

    `user` is the account the mirror is signed in with (the counter's); the
    entry's officer is the one recorded as having filled it in.
    """
    with transaction.atomic():
        entry = _locked(entry_id, E.SIGNING)
        draft = entry.draft
        version = draft.form_version
        values = intake_services.draft_values(draft)
        keys = signature_keys(version.form, values)
        if not keys or any(not str(signed.get(k) or "").startswith("data:image/png;base64,") for k in keys):
            raise StaffActionError("signature_missing", "서명 칸에 서명해 주세요.")
        values.update({k: signed[k] for k in keys})
        officer = entry.officer or user
        name = officer.get_full_name() or officer.get_username()
        submission, _ = intake_services.submit(
            form=form_of(entry),
            version=version,
            raw_values=values,
            idempotency_key=draft.idempotency_key,
            counter=entry.counter,
            draft=draft,
            language=language,
            channel=Submission.Channel.ASSISTED,
            actor=officer,
            note=f"직원 대신 작성 (assisted): {name}, {entry.counter.number}번 창구 화면에서 민원인 서명",
        )
        if submission.status == Submission.Status.SUBMITTED:
            # The resident is already at this counter with the officer who filled it in: a real
            # counter serves them now. Sending them to the back of the queue would make them wait
            # a second time, and another counter could call them away. So the ticket is taken (the
            # record, the lobby and the report stay whole) and called here at once, by that officer.
            # (A 대리인's filing that waits for the 위임자's signature stays where submit put it.)
            services.call(submission.pk, officer, entry.counter)
            submission.refresh_from_db()
        entry.submission = submission
        _set(entry, E.SIGNED)
        # The resident sees what was filed, masked, as for any submission the officer has open.
        services.update_mirror(entry.counter, show=True, submission=submission)
    return submission


def _wipe(entry: AssistedEntry, status: str) -> AssistedEntry:
    # Nothing was filed: the resident's answers go at once, not with the stale drafts.
    Draft.objects.filter(pk=entry.draft_id).update(data={}, sensitive_data="", updated_at=timezone.now())
    _set(entry, status)
    services.update_mirror(entry.counter, show=True, submission=None)
    return entry


def refuse(entry_id: int, user: User) -> AssistedEntry:
    """The resident, on the mirror, does not want it filed."""
    with transaction.atomic():
        return _wipe(_locked(entry_id, E.SIGNING), E.REFUSED)


def cancel(entry_id: int, user: User) -> AssistedEntry:
    """The officer stops the 대신 작성 (the resident left, the wrong form)."""
    with transaction.atomic():
        return _wipe(_locked(entry_id, E.FILLING, E.SIGNING), E.CANCELLED)


def waiting_at(counter: Counter) -> AssistedEntry | None:
    """The entry the counter's mirror asks the resident to sign, if any."""
    return (
        AssistedEntry.objects.select_related("draft__form_version__template")
        .filter(counter=counter, status=E.SIGNING)
        .order_by("-updated_at")
        .first()
    )


def open_entries(office: Office, user: User) -> list[AssistedEntry]:
    """The officer's 대신 작성 not finished yet (the queue page lists them to go back to)."""
    return list(
        AssistedEntry.objects.select_related("draft__form_version__template", "counter")
        .filter(office=office, officer=user, status__in=AssistedEntry.OPEN_STATUSES)
        .order_by("-updated_at")
    )
