"""Who the resident is and where, read from a request: shared by the resident's views.

Residents have no account: their drafts and tickets belong to the browser's
session (resident_key), the counter they scanned (counter_id) and the office
and form in the address.
"""

import secrets
from typing import Any

from django.http import Http404

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
