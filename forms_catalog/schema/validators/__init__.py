"""Server-side validation for each field type of a form schema.

Every validator takes the field definition and the raw submitted value and
returns the cleaned value, or raises FieldError with a message that says how
to fix the value (Korean, the source language, or the resident's language). The same functions drive the htmx per-field check
and the final submit, so the two can never disagree.

Cleaned values are plain JSON (strings, numbers, lists, small dicts) and
validating a cleaned value again gives the same value: a submission keeps
validating against its version for as long as it is kept.
"""

from collections.abc import Callable
from typing import Any

from ..types import Field
from .address import address_parts, address_problem, clean_address, format_address
from .base import DEFAULT_MAX_LENGTH, Cleaned, FieldError
from .choices import REFUSED_CONSENT_MESSAGE, clean_choice, clean_consent, clean_multichoice, clean_yesno
from .dates import clean_date, clean_daterange, resolve_date_bound
from .files import (
    ATTACHMENT_CONTENT_TYPES,
    DEFAULT_MAX_SIZE_MB,
    MAX_SIGNATURE_CHARS,
    SEAL_CONTENT_TYPES,
    accepted_types,
    clean_attachment,
    clean_signature,
    type_names,
)
from .numbers import clean_brn, clean_frn, clean_phone, clean_rrn
from .text import clean_email, clean_guidance, clean_number, clean_text, clean_textarea

Validator = Callable[[Field, Any], Cleaned]

VALIDATORS: dict[str, Validator] = {
    "text": clean_text,
    "textarea": clean_textarea,
    "number": clean_number,
    "date": clean_date,
    "daterange": clean_daterange,
    "phone": clean_phone,
    "email": clean_email,
    "rrn": clean_rrn,
    "frn": clean_frn,
    "brn": clean_brn,
    "address": clean_address,
    "choice": clean_choice,
    "multichoice": clean_multichoice,
    "yesno": clean_yesno,
    "consent": clean_consent,
    "signature": clean_signature,
    "file": clean_attachment,
    "seal": clean_attachment,
    "guidance": clean_guidance,
}


__all__ = [
    "ATTACHMENT_CONTENT_TYPES",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_SIZE_MB",
    "MAX_SIGNATURE_CHARS",
    "REFUSED_CONSENT_MESSAGE",
    "SEAL_CONTENT_TYPES",
    "VALIDATORS",
    "Cleaned",
    "FieldError",
    "Validator",
    "accepted_types",
    "address_parts",
    "address_problem",
    "format_address",
    "resolve_date_bound",
    "type_names",
]
