"""The 위임자's side of a 대리인's filing: they see what is delegated, prove their phone, sign.

A submission filed by a 대리인 (the form's `delegation` says when, and that a
signature suffices) waits in `awaiting_cosign` with a Delegation. Its link
(QR code on the proxy's ticket page, or an SMS) opens on the 위임자's own
phone: they check their own fields, confirm their number with a one-time SMS
code and sign with a finger. Signing takes the ticket (`cosign`); they may
refuse instead, revoke later until the officer finishes, and an unsigned 위임
lapses after its expiry. Every refusal carries a stable `code`.
"""

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from forms_catalog import schema as form_schema
from forms_catalog.schema import Field
from forms_catalog.schema.validators import FieldError, clean_phone

from . import crypto, deadlines, lifecycle, notify, services
from .errors import ActionRefused, InvalidSubmission
from .models import Delegation, Submission

S = Submission.Status
CODE_DIGITS = 6
CODE_MINUTES = 5
# Wrong codes before the code is void: 5 guesses of 10^6 give a 1 in 200,000 chance.
MAX_ATTEMPTS = 5
MAX_CODES = 5  # codes sent for one 위임: a link cannot be used to flood a number with SMS


def _closed() -> ActionRefused:
    return ActionRefused("delegation_closed", _("이 위임은 이미 끝났습니다. 대리인에게 새로 신청해 달라고 하세요."))


def get(token: str) -> Delegation | None:
    return (
        Delegation.objects.select_related("submission__office", "submission__form_version__template")
        .filter(token=token)
        .first()
    )


def _lock(token: str) -> Delegation:
    """The 위임 row, locked until the transaction ends; refused once it is no longer open."""
    delegation = Delegation.objects.select_for_update().filter(token=token).first()
    if delegation is None:
        raise ActionRefused("delegation_unknown", _("위임 링크가 올바르지 않습니다. 대리인에게 다시 받아 주세요."))
    return delegation


def _lock_open(token: str, now: datetime.datetime) -> Delegation:
    delegation = _lock(token)
    if delegation.status != Delegation.Status.REQUESTED:
        raise _closed()
    if delegation.expires_at <= now:
        raise ActionRefused("delegation_expired", _("서명 기한이 지났습니다. 대리인에게 새로 신청해 달라고 하세요."))
    return delegation


def _code_hash(delegation: Delegation, code: str) -> str:
    return salted_hmac("intake.delegations.code", f"{delegation.pk}:{delegation.token}:{code}").hexdigest()


def link_path(delegation: Delegation) -> str:
    return reverse("intake:cosign", args=[delegation.token])


@dataclass(frozen=True)
class Details:
    """What the 위임자 is asked to sign: which 민원, where, for whom, until when."""

    form_title: str
    office: str
    proxy_name: str
    proxy_relation: str
    expires_at: datetime.datetime
    fields: tuple[Field, ...]
    values: dict[str, Any]  # their own fields as filed (personal numbers left out)
    filed_secret: tuple[str, ...] = ()  # their personal-number fields the proxy filled


def details(delegation: Delegation) -> Details:
    submission = delegation.submission
    form = submission.form_version.form
    values = services.submission_values(submission)
    fields = form_schema.principal_fields(form)
    return Details(
        form_title=submission.form_version.template.title,
        office=submission.office.name,
        proxy_name=form_schema.value_by_semantic(form, values, "proxy.name"),
        proxy_relation=form_schema.value_by_semantic(form, values, "proxy.relation"),
        expires_at=delegation.expires_at,
        fields=fields,
        # A personal number is typed again, never shown back on a link.
        values={f.key: values.get(f.key) for f in fields if not f.is_sensitive},
        filed_secret=tuple(f.key for f in fields if f.is_sensitive and not form_schema.is_blank(values.get(f.key))),
    )


def _mobile(raw: str) -> str:
    try:
        phone = str(clean_phone(Field("principal_phone", "phone"), raw).value)
    except FieldError as exc:
        raise ActionRefused("phone_invalid", exc.message) from None
    if not phone.startswith("01"):
        raise ActionRefused(
            "phone_invalid", _("인증번호는 휴대전화로만 보낼 수 있습니다. 010으로 시작하는 번호를 입력해 주세요.")
        )
    return _digits(phone)


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def send_code(token: str, raw_phone: str, now: datetime.datetime | None = None) -> None:
    """Send a one-time code to the 위임자's mobile; a new code voids the previous one."""
    now = now or timezone.now()
    phone = _mobile(raw_phone)
    with transaction.atomic():
        delegation = _lock_open(token, now)
        values = services.submission_values(delegation.submission)
        proxy_phone = form_schema.value_by_semantic(delegation.submission.form_version.form, values, "proxy.phone")
        if proxy_phone and _digits(proxy_phone) == _digits(phone):
            raise ActionRefused(
                "phone_is_proxys", _("대리인의 전화번호입니다. 위임자 본인의 휴대전화 번호를 입력해 주세요.")
            )
        if delegation.codes_sent >= MAX_CODES:
            raise ActionRefused("too_many_codes", _("인증번호를 너무 많이 요청했습니다. 창구 직원에게 문의해 주세요."))
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        delegation.phone = crypto.encrypt_json({"phone": phone})
        delegation.code_hash = _code_hash(delegation, code)
        delegation.code_expires_at = now + datetime.timedelta(minutes=CODE_MINUTES)
        delegation.code_attempts = 0
        delegation.codes_sent += 1
        delegation.phone_confirmed_at = None
        delegation.save()
        text = _("[%(office)s] 위임 확인 인증번호 %(code)s (%(minutes)s분 안에 입력). 남에게 알려 주지 마세요.") % {
            "office": delegation.submission.office.name,
            "code": code,
            "minutes": CODE_MINUTES,
        }
    # Sent once the new code is stored: a code that was never saved must never reach the phone.
    # A one-time code has no registered 알림톡 template: it goes by SMS on every back-end.
    notify.backend().send(notify.Alert(kind="cosign_code", phone=phone, text=text))


def confirm_code(token: str, code: str, now: datetime.datetime | None = None) -> str:
    """Check the code; returns the proof this browser keeps to sign (a wrong guess counts, even refused)."""
    now = now or timezone.now()
    refusal: ActionRefused | None = None
    with transaction.atomic():
        delegation = _lock_open(token, now)
        if not delegation.code_hash:
            raise ActionRefused("code_missing", _("먼저 인증번호를 받아 주세요."))
        if delegation.code_attempts >= MAX_ATTEMPTS:
            raise ActionRefused("code_locked", _("인증번호를 여러 번 틀렸습니다. 새 인증번호를 받아 주세요."))
        if delegation.code_expires_at is None or delegation.code_expires_at <= now:
            raise ActionRefused("code_expired", _("인증번호의 입력 시간이 지났습니다. 새 인증번호를 받아 주세요."))
        if constant_time_compare(delegation.code_hash, _code_hash(delegation, "".join(code.split()))):
            proof = secrets.token_urlsafe(24)
            delegation.phone_confirmed_at = now
            # Spent: the same code never confirms twice; the proof binds the signing to this browser.
            delegation.code_hash = _proof_hash(delegation, proof)
            delegation.code_expires_at = None
            delegation.save()
            return proof
        delegation.code_attempts += 1
        delegation.save(update_fields=["code_attempts"])
        left = MAX_ATTEMPTS - delegation.code_attempts
        if left <= 0:
            refusal = ActionRefused("code_locked", _("인증번호를 여러 번 틀렸습니다. 새 인증번호를 받아 주세요."))
        else:
            refusal = ActionRefused(
                "code_wrong", _("인증번호가 맞지 않습니다. 다시 입력해 주세요 (%(left)s번 남음).") % {"left": left}
            )
    # Raised after the commit: the wrong guess stays counted.
    raise refusal


def _proof_hash(delegation: Delegation, proof: str) -> str:
    return salted_hmac("intake.delegations.proof", f"{delegation.pk}:{proof}").hexdigest()


def sign(
    token: str, proof: str, values: Mapping[str, Any], signature: str, now: datetime.datetime | None = None
) -> Delegation:
    """The 위임자 signs: their fields go into the filing, the ticket is taken, the queue sees it."""
    now = now or timezone.now()
    with transaction.atomic():
        delegation = _lock_open(token, now)
        if delegation.phone_confirmed_at is None or not constant_time_compare(
            delegation.code_hash, _proof_hash(delegation, proof or "")
        ):
            raise ActionRefused("phone_unconfirmed", _("휴대전화 인증을 먼저 마쳐 주세요."))
        if not str(signature or "").startswith("data:image/png;base64,"):
            raise ActionRefused("signature_required", _("아래 칸에 손가락으로 서명하거나 이름을 입력해 서명해 주세요."))
        submission = lifecycle.lock(delegation.submission_id, "cosign")
        version = submission.form_version
        own = {f.key for f in form_schema.principal_fields(version.form)}
        given = {k: v for k, v in values.items() if k in own and not form_schema.is_blank(v)}
        result = form_schema.validate(version.form, {**services.submission_values(submission), **given})
        if not result.ok:
            raise InvalidSubmission({k: v for k, v in result.errors.items() if k in own} or result.errors)
        submission.data, submission.sensitive_data = services.split_sensitive(version, result.cleaned)
        delegation.status = Delegation.Status.SIGNED
        delegation.signer_name = form_schema.value_by_semantic(version.form, result.cleaned, "applicant.name")[:30]
        delegation.signed_at = now
        delegation.signature = crypto.encrypt_json({"image": signature})
        delegation.save()
        note = "위임자 휴대전화 서명 (co-signed by the principal)"
        if submission.prepared_at is not None:
            # Filled at home: signed, it still waits for its resident; check-in takes the ticket.
            lifecycle.transition(submission, "cosign", at=now, to=Submission.Status.PRE_ARRIVAL, note=note)
            return delegation
        # The 접수 is now: the ticket, its service day, the queue's order and the 처리예정일.
        submission.service_date = services.service_date(now)
        submission.ticket_number = services.allocate_ticket(submission.office, submission.service_date)
        submission.submitted_at = now
        deadlines.set_due(submission, now)
        lifecycle.transition(submission, "cosign", at=now, note=note)
    return delegation


def _end(token: str, action: str, status: str, wanted: str, now: datetime.datetime | None) -> Delegation:
    now = now or timezone.now()
    with transaction.atomic():
        delegation = _lock(token)
        if delegation.status != wanted:
            raise _closed()
        submission = lifecycle.lock(delegation.submission_id, action)
        delegation.status = status
        delegation.ended_at = now
        delegation.save(update_fields=["status", "ended_at"])
        lifecycle.transition(submission, action, at=now, note=Delegation.Status(status).label)
    return delegation


def refuse(token: str, now: datetime.datetime | None = None) -> Delegation:
    """The 위임자 does not give the 위임: the filing ends before it ever takes a ticket."""
    return _end(token, "refuse", Delegation.Status.REFUSED, Delegation.Status.REQUESTED, now)


def revoke(token: str, now: datetime.datetime | None = None) -> Delegation:
    """The 위임자 takes the signed 위임 back, until the officer finishes (then `conflict`)."""
    return _end(token, "revoke", Delegation.Status.REVOKED, Delegation.Status.SIGNED, now)


def expire_due(now: datetime.datetime | None = None) -> int:
    """End every 위임 not signed by its expiry (the periodic job); each in its own transaction."""
    now = now or timezone.now()
    due = Delegation.objects.filter(status=Delegation.Status.REQUESTED, expires_at__lte=now)
    ended = 0
    for token in list(due.values_list("token", flat=True)):
        with transaction.atomic():
            delegation = _lock(token)
            if delegation.status != Delegation.Status.REQUESTED or delegation.expires_at > now:
                continue  # signed or refused meanwhile
            try:
                submission = lifecycle.lock(delegation.submission_id, "expire")
            except ActionRefused:
                continue
            delegation.status = Delegation.Status.EXPIRED
            delegation.ended_at = now
            delegation.save(update_fields=["status", "ended_at"])
            lifecycle.transition(
                submission, "expire", at=now, note="위임자 서명 기한 경과 (the principal did not sign in time)"
            )
            ended += 1
    return ended


def confirmed_phone(delegation: Delegation) -> str:
    return str(crypto.decrypt_json(delegation.phone).get("phone", "")) if delegation.phone else ""


def signature_image(delegation: Delegation) -> str:
    return str(crypto.decrypt_json(delegation.signature).get("image", "")) if delegation.signature else ""


def send_link(submission: Submission, url: str) -> str:
    """The co-sign link by SMS to the 위임자's number as the proxy entered it; the number used (masked)."""
    values = services.submission_values(submission)
    phone = _mobile(form_schema.value_by_semantic(submission.form_version.form, values, "applicant.phone"))
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().filter(submission=submission).first()
        if delegation is None or not delegation.is_open:
            raise _closed()
        # Counted with the codes: a link cannot flood the 위임자's number either.
        if delegation.codes_sent >= MAX_CODES:
            raise ActionRefused("too_many_codes", _("문자를 너무 많이 보냈습니다. QR 코드로 열어 달라고 하세요."))
        delegation.codes_sent += 1
        delegation.save(update_fields=["codes_sent"])
    text = _("[%(office)s] %(proxy)s님이 대신 신청한 민원의 위임 확인·서명: %(url)s") % {
        "office": submission.office.name,
        "proxy": form_schema.value_by_semantic(submission.form_version.form, values, "proxy.name"),
        "url": url,
    }
    notify.backend().send(notify.Alert(kind="cosign_link", phone=phone, text=text))
    return notify.mask_phone(phone)
