"""A stored value as a person reads it: choice labels, 예/아니오, masked personal numbers."""

from typing import Any

from .reading import text_in
from .types import SENSITIVE_TYPES, Field

_FIXED_LABELS = {"yesno": {"yes": "예", "no": "아니오"}, "consent": {"agree": "동의함", "disagree": "동의하지 않음"}}
_FIXED_LABELS_EN = {"yesno": {"yes": "Yes", "no": "No"}, "consent": {"agree": "Agreed", "disagree": "Not agreed"}}


def choice_label(f: Field, value: Any, *, english: bool = False) -> Any:
    """A stored value as a person reads it: choice labels, 예/아니오, 동의함.

    english=True (the resident's review page) takes the English labels where
    the form has them; archives and the console stay Korean.
    """
    if value is None:
        return None
    fixed = (_FIXED_LABELS_EN if english else _FIXED_LABELS).get(f.type)
    labels = fixed or {c.value: text_in(c, "label", english) for c in f.choices}
    if isinstance(value, list):
        return ", ".join(str(labels.get(str(v), v)) for v in value)
    if isinstance(value, dict):
        return value.get("name") or ""
    return labels.get(str(value), value)


def mask(f: Field, value: Any) -> str:
    """Masked form of a sensitive value for screens, e.g. 900101-1******."""
    text = "" if value is None else str(value)
    if f.type in SENSITIVE_TYPES and len(text) == 14:
        return text[:8] + "*" * 6
    if len(text) <= 2:
        return "*" * len(text)
    return text[:1] + "*" * (len(text) - 1)
