"""The 위임자's pages (their own phone, from the QR code or SMS link) and the proxy's link tools."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from forms_catalog.schema import Field
from project.types import HtmxHttpRequest

from . import delegations, qr, resident
from .errors import ActionRefused, InvalidSubmission
from .models import Delegation, Submission

# token -> proof of the confirmed phone, kept in this browser's session only:
# the link alone (which the proxy holds too) never signs.
PROOFS = "cosign_proofs"
SIGNATURE = Field(
    "principal_signature", "signature", label="위임자 서명", label_en="Principal's signature", required=True
)


def _delegation_or_404(token: str) -> Delegation:
    delegation = delegations.get(token)
    if delegation is None:
        raise Http404
    return delegation


def _proof(request: HtmxHttpRequest, token: str) -> str:
    return str(request.session.get(PROOFS, {}).get(token, ""))


def _page(request: HtmxHttpRequest, delegation: Delegation, **extra: Any) -> HttpResponse:
    submission = delegation.submission
    now = timezone.now()
    details = delegations.details(delegation)
    context = {
        "delegation": delegation,
        "submission": submission,
        "office": submission.office,
        "template": submission.form_version.template,
        "details": details,
        "fields": details.fields,
        "values": {**details.values, **extra.pop("values", {})},
        "errors": extra.pop("errors", {}),
        # A personal number is never shown back on a link: say it is there and kept when left empty.
        "warnings": {key: _("대리인이 적은 번호가 있습니다. 비워 두면 그대로 둡니다.") for key in details.filed_secret},
        "signature_field": SIGNATURE,
        "confirmed": bool(_proof(request, delegation.token)) and delegation.phone_confirmed_at is not None,
        "code_sent": bool(delegation.code_expires_at and delegation.code_expires_at > now),
        "expired": delegation.is_open and delegation.expires_at <= now,
        "can_revoke": delegation.status == Delegation.Status.SIGNED
        and submission.status in delegations.lifecycle.MOVES["revoke"].sources,
        **extra,
    }
    failed = context["errors"] or context.get("phone_error")
    return render(request, "intake/cosign.html", context, status=422 if failed else 200)


def _refused(request: HtmxHttpRequest, token: str, exc: ActionRefused) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("intake:cosign", token=token)


@require_GET
@never_cache  # the 위임자's details behind a bearer link: no copy in any cache
def cosign(request: HtmxHttpRequest, token: str) -> HttpResponse:
    return _page(request, _delegation_or_404(token))


@require_POST
def send_code(request: HtmxHttpRequest, token: str) -> HttpResponse:
    delegation = _delegation_or_404(token)
    phone = request.POST.get("phone", "")
    try:
        delegations.send_code(token, phone)
    except ActionRefused as exc:
        if exc.code in ("phone_invalid", "phone_is_proxys"):
            # Said beside the number, which stays as typed.
            return _page(request, delegation, phone_error=exc.message, phone_input=phone)
        return _refused(request, token, exc)
    messages.success(request, _("인증번호를 보냈습니다. 문자로 받은 6자리 숫자를 입력해 주세요."))
    return redirect("intake:cosign", token=token)


@require_POST
def confirm_code(request: HtmxHttpRequest, token: str) -> HttpResponse:
    _delegation_or_404(token)
    try:
        proof = delegations.confirm_code(token, request.POST.get("code", ""))
    except ActionRefused as exc:
        return _refused(request, token, exc)
    request.session[PROOFS] = {**request.session.get(PROOFS, {}), token: proof}
    return redirect("intake:cosign", token=token)


@require_POST
def sign(request: HtmxHttpRequest, token: str) -> HttpResponse:
    delegation = _delegation_or_404(token)
    schema = delegation.submission.form_version.form
    raw = resident.raw_values(request, schema)
    signature = request.POST.get(SIGNATURE.key, "")
    typed = request.POST.get(f"{SIGNATURE.key}__typed", "").strip()
    if not signature.startswith("data:image/png;base64,") and typed:
        signature = resident.signatures.typed_signature(typed)
    own = {f.key for f in delegations.form_schema.principal_fields(schema)}
    entered = {k: v for k, v in raw.items() if k in own}
    try:
        delegations.sign(token, _proof(request, token), raw, signature)
    except InvalidSubmission as exc:
        return _page(request, delegation, values=entered, errors=exc.errors)
    except ActionRefused as exc:
        if exc.code == "signature_required":
            return _page(request, delegation, values=entered, errors={SIGNATURE.key: exc.message})
        return _refused(request, token, exc)
    messages.success(request, _("서명했습니다. 대리인의 신청이 접수되어 번호표가 발급되었습니다."))
    return redirect("intake:cosign", token=token)


def _ending(request: HtmxHttpRequest, token: str, end: Callable[[str], Delegation], done: str) -> HttpResponse:
    _delegation_or_404(token)
    try:
        end(token)
    except ActionRefused as exc:
        return _refused(request, token, exc)
    messages.info(request, done)
    return redirect("intake:cosign", token=token)


@require_POST
def refuse(request: HtmxHttpRequest, token: str) -> HttpResponse:
    return _ending(request, token, delegations.refuse, _("위임하지 않았습니다. 대리인의 신청은 접수되지 않습니다."))


@require_POST
def revoke(request: HtmxHttpRequest, token: str) -> HttpResponse:
    return _ending(request, token, delegations.revoke, _("위임을 철회했습니다. 대리인의 신청은 처리되지 않습니다."))


def _open_delegation(token: str) -> tuple[Submission, Delegation]:
    submission = get_object_or_404(Submission.objects.select_related("office", "form_version"), public_token=token)
    delegation = Delegation.objects.filter(submission=submission).first()
    if delegation is None:
        raise Http404
    return submission, delegation


@require_GET
def cosign_qr(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The 위임자's link as a QR code, shown on the proxy's ticket page for the 위임자's phone."""
    _, delegation = _open_delegation(token)
    response = HttpResponse(
        qr.svg(qr.absolute_url(request, delegations.link_path(delegation))), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def cosign_sms(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The same link by SMS, to the 위임자's number as the proxy entered it."""
    submission, delegation = _open_delegation(token)
    try:
        masked = delegations.send_link(submission, qr.absolute_url(request, delegations.link_path(delegation)))
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("위임자에게 %(phone)s 번호로 서명 링크를 보냈습니다.") % {"phone": masked})
    return redirect("intake:ticket", token=token)
