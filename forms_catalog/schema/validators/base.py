"""What every validator shares: the error, the cleaned value, text clean-up and length caps."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ..types import Field

# Caps that apply when a field sets no max_length: nobody types a 10,000
# character name, and a value that long is an attack or a paste accident.
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000, "address": 300, "email": 254}


class FieldError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Cleaned:
    value: Any
    warning: str = ""


# Control characters (Unicode category Cc) but tab and newline, and lone
# surrogates (Cs); one regex instead of a category look-up per character.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def plain_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    # NUL, other control characters and lone surrogates have no place in a
    # form value: they break PostgreSQL text/JSON columns. Newlines and tabs
    # survive for long text.
    return _UNWANTED.sub("", str(raw)).strip()


def digits_text(raw: Any) -> str:
    """Text with full-width and other compatibility digits folded to ASCII (０１０ → 010)."""
    return unicodedata.normalize("NFKC", plain_text(raw))


def max_length(field: Field) -> int | None:
    limit = field.max_length or DEFAULT_MAX_LENGTH.get(field.type)
    return int(limit) if limit else None


def check_length(field: Field, value: str) -> None:
    limit = max_length(field)
    if limit and len(value) > limit:
        raise FieldError(
            _("%(limit)s자 이내로 입력해 주세요. 지금 %(length)s자입니다. 줄여서 다시 입력해 주세요.")
            % {"limit": limit, "length": len(value)}
        )
