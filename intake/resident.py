"""Who the resident is and where, read from a request: shared by the resident's views.

Residents have no account: their drafts and tickets belong to the browser's
session (resident_key), the counter they scanned (counter_id) and the office
and form in the address.
"""

import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse

from forms_catalog import schema as form_schema
from project.types import HtmxHttpRequest

from . import i18n, services, signatures
from .models import Counter, Office


def resident_key(request: HtmxHttpRequest) -> str:
    # Residents have no account: their drafts and tickets belong to this
    # browser's session, via a random key that survives session rotation.
    key = request.session.get("resident_key")
    if not key:
        key = secrets.token_urlsafe(16)
        request.session["resident_key"] = key
    return str(key)


def counter_for(request: HtmxHttpRequest, office: Office) -> Counter | None:
    counter_id = request.session.get("counter_id")
    if counter_id is None:
        return None
    return services.office_counter(office, counter_id)


def raw_values(request: HtmxHttpRequest, schema: form_schema.FormSchema) -> dict[str, Any]:
    raw = form_schema.raw_values_from_post(schema, request.POST)
    for f in schema.input_fields:
        # The typed alternative to drawing (keyboard, no JavaScript); a drawn
        # signature wins when both are there.
        typed = request.POST.get(f"{f.key}__typed", "").strip()
        if f.type == "signature" and typed and not raw.get(f.key):
            raw[f.key] = signatures.typed_signature(typed)
        # 올린 파일 빼기: the attachment stored on the draft is dropped (a new one chosen with it wins).
        if f.type in form_schema.ATTACHMENT_TYPES and request.POST.get(f"{f.key}__remove") == "1":
            raw[f.key] = None
    return raw


def error_list(schema: form_schema.FormSchema, errors: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, label, message) for the error summary, labels in the page's language."""
    english = not i18n.is_korean_page()
    return [(k, i18n.marked(form_schema.label_for(schema, k, english=english)), msg) for k, msg in errors.items()]


def office_or_404(slug: str) -> Office:
    office = services.resolve_office(slug)
    if office is None:
        raise Http404
    return office


def form_or_404(office: Office, code: str) -> services.FormContext:
    try:
        return services.resolve_form(office, code)
    except services.FormUnavailable:
        raise Http404(services.FormUnavailable().message) from None


# --- filling at home, checking in on arrival ----------------------------------

# The office the resident opened the office-wide link of: forms filled from it wait for the visit.
HOME_OFFICE = "home_office_id"
# The phone's forms filled at home, until it checks in: outlives the session (the visit may be
# tomorrow), so a signed cookie of the submissions' public tokens (what the ticket link holds).
PRE_ARRIVAL_COOKIE = "pre_arrival"
PRE_ARRIVAL_SALT = "intake.pre_arrival"


def start_at_home(request: HtmxHttpRequest, office: Office) -> None:
    request.session[HOME_OFFICE] = office.pk
    # A counter scanned on an earlier visit is not where this resident is now.
    request.session.pop("counter_id", None)


def filling_at_home(request: HtmxHttpRequest, office: Office) -> bool:
    return request.session.get(HOME_OFFICE) == office.pk and counter_for(request, office) is None


def arrived(request: HtmxHttpRequest) -> None:
    """The resident scanned a code at the office: what they fill from now on is a visit's."""
    request.session.pop(HOME_OFFICE, None)


def pre_arrival_tokens(request: HtmxHttpRequest) -> list[str]:
    raw = request.get_signed_cookie(PRE_ARRIVAL_COOKIE, default="", salt=PRE_ARRIVAL_SALT) or ""
    return [t for t in raw.split(",") if t][:20]


def remember_pre_arrival(request: HtmxHttpRequest, response: HttpResponse, token: str, days: int) -> None:
    tokens = pre_arrival_tokens(request)
    if token in tokens:
        return
    response.set_signed_cookie(
        PRE_ARRIVAL_COOKIE,
        ",".join([*tokens[-19:], token]),
        salt=PRE_ARRIVAL_SALT,
        max_age=(days + 1) * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
