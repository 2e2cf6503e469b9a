"""Drawn signatures and uploaded files (the reference a draft keeps)."""

import re
from typing import Any

from django.utils.translation import gettext as _

from ..types import Field
from .base import Cleaned, FieldError, plain_text

ATTACHMENT_CONTENT_TYPES = ("image/jpeg", "image/png", "application/pdf")
SEAL_CONTENT_TYPES = ("image/jpeg", "image/png")
DEFAULT_MAX_SIZE_MB = 10

_SIGNATURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]{40,}={0,2}")
MAX_SIGNATURE_CHARS = 300_000


def clean_signature(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw)
    if len(value) > MAX_SIGNATURE_CHARS:
        raise FieldError(_("서명이 너무 큽니다. '다시 쓰기'를 누르고 한 번만 서명해 주세요."))
    if not _SIGNATURE.fullmatch(value):
        raise FieldError(_("서명란에 손가락이나 마우스로 서명해 주세요."))
    return Cleaned(value)


def accepted_types(field: Field) -> list[str]:
    default = SEAL_CONTENT_TYPES if field.type == "seal" else ATTACHMENT_CONTENT_TYPES
    return list(field.accept or default)


def type_names(content_types: list[str]) -> str:
    names = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}
    return ", ".join(names.get(t, t) for t in content_types)


def clean_attachment(field: Field, raw: Any) -> Cleaned:
    """The stored reference a draft keeps for a file or seal image.

    The bytes are checked when they arrive (intake.uploads); this checks that
    the reference is one the upload step made and still fits the field, so a
    forged or stale reference never reaches a submission.
    """
    again = _("도장(인감) 사진을 다시 올려 주세요.") if field.type == "seal" else _("파일을 다시 올려 주세요.")
    if not (isinstance(raw, dict) and isinstance(raw.get("file"), str)):
        raise FieldError(again)
    name = raw["file"]
    if not re.fullmatch(r"uploads/[0-9a-f]{32}\.(jpg|png|pdf)", name):
        raise FieldError(again)
    accept = accepted_types(field)
    if raw.get("content_type") not in accept:
        raise FieldError(
            _("올릴 수 없는 파일 형식입니다. %(types)s 파일로 다시 올려 주세요.") % {"types": type_names(accept)}
        )
    max_mb = field.max_size_mb if field.max_size_mb is not None else float(DEFAULT_MAX_SIZE_MB)
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0 or size > max_mb * 1024 * 1024:
        raise FieldError(_("파일이 너무 큽니다. %(mb)sMB 이하로 다시 올려 주세요.") % {"mb": f"{max_mb:g}"})
    cleaned = {k: raw[k] for k in ("file", "name", "content_type", "size", "sha256") if k in raw}
    cleaned["name"] = plain_text(cleaned.get("name", ""))[-100:]
    # A PDF's pages, counted at upload: the paper saved and the check view's page viewer read them.
    pages = raw.get("pages")
    if isinstance(pages, int) and not isinstance(pages, bool) and 1 <= pages <= 10_000:
        cleaned["pages"] = pages
    return Cleaned(cleaned)
