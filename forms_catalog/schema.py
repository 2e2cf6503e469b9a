"""Reading a FormVersion schema and validating a whole submission against it.

Schema shape (see docs/FORM_PACKS.md)::

    {"sections": [{"key", "title", "title_en", "show_if"?, "fields": [
        {"key", "type", "label", "label_en", "required", "help", "help_en",
         "max_length"?, "min"?, "max"?, "choices"?, "semantic"?, "sensitive"?,
         "show_if"?: {"field": key, "equals": value | [values]}}]}]}
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .validators import DISPLAY_ONLY_TYPES, SENSITIVE_TYPES, VALIDATORS, FieldError

Schema = Mapping[str, Any]
Field = dict[str, Any]

REQUIRED_MESSAGE = "필수 항목입니다. 값을 입력해 주세요."


@dataclass
class Result:
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def sections(schema: Schema) -> list[dict[str, Any]]:
    return list(schema.get("sections", []))


def iter_fields(schema: Schema) -> Iterator[tuple[dict[str, Any], Field]]:
    for section in sections(schema):
        for f in section.get("fields", []):
            yield section, f


def input_fields(schema: Schema) -> list[Field]:
    return [f for _, f in iter_fields(schema) if f.get("type") not in DISPLAY_ONLY_TYPES]


def get_field(schema: Schema, key: str) -> Field | None:
    for f in input_fields(schema):
        if f["key"] == key:
            return f
    return None


def is_sensitive(f: Field) -> bool:
    return bool(f.get("sensitive")) or f.get("type") in SENSITIVE_TYPES


def sensitive_keys(schema: Schema) -> set[str]:
    return {f["key"] for f in input_fields(schema) if is_sensitive(f)}


def _condition_met(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> bool:
    if not condition:
        return True
    expected = condition.get("equals")
    actual = values.get(condition.get("field", ""))
    if isinstance(expected, list):
        return actual in expected
    return actual == expected


def visible(schema: Schema, values: Mapping[str, Any]) -> set[str]:
    """Keys of the input fields shown for these values.

    A field hidden by a condition is neither required nor kept, so a value
    left over from an earlier choice never reaches the archive.
    """
    shown: set[str] = set()
    for section in sections(schema):
        if not _condition_met(section.get("show_if"), values):
            continue
        if (
            section.get("repeat")
            and int(section["repeat"].get("min", 0)) == 0
            and not any(not _is_blank(values.get(f.get("key", ""))) for f in section.get("fields", []))
        ):
            # An optional group (e.g. 세대원 when moving in alone) left empty.
            continue
        for f in section.get("fields", []):
            if f.get("type") in DISPLAY_ONLY_TYPES:
                continue
            if _condition_met(f.get("show_if"), values):
                shown.add(f["key"])
    return shown


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list):
        return not any(str(item).strip() for item in raw)
    return not str(raw).strip()


def validate_value(f: Field, raw: Any) -> tuple[Any, str, str]:
    """Validate one field: (cleaned value, error, warning). Blank is not an error here."""
    if _is_blank(raw):
        return None, "", ""
    validator = VALIDATORS.get(f.get("type", "text"), VALIDATORS["text"])
    try:
        cleaned = validator(f, raw)
    except FieldError as exc:
        return None, exc.message, ""
    return cleaned.value, "", cleaned.warning


def validate_field(schema: Schema, key: str, raw: Any, values: Mapping[str, Any]) -> tuple[Any, str, str]:
    f = get_field(schema, key)
    if f is None:
        return None, "알 수 없는 항목입니다.", ""
    value, error, warning = validate_value(f, raw)
    if not error and value is None and f.get("required") and key in visible(schema, values):
        error = REQUIRED_MESSAGE
    return value, error, warning


def validate(schema: Schema, raw_values: Mapping[str, Any]) -> Result:
    """Validate every visible field; hidden fields are dropped."""
    result = Result()
    # Conditions look at the raw choice values, which validation keeps as-is.
    shown = visible(schema, raw_values)
    for f in input_fields(schema):
        key = f["key"]
        if key not in shown:
            continue
        raw = raw_values.get(key)
        value, error, warning = validate_value(f, raw)
        if error:
            result.errors[key] = error
            continue
        if value is None:
            if f.get("required"):
                result.errors[key] = REQUIRED_MESSAGE
            continue
        if f.get("type") == "consent" and f.get("required") and value != "agree":
            result.errors[key] = (
                "동의하셔야 신청할 수 있습니다. 동의하지 않으시면 창구에서 종이 서식으로 신청해 주세요."
            )
            continue
        result.cleaned[key] = value
        if warning:
            result.warnings[key] = warning
    return result


def mask(f: Field, value: Any) -> str:
    """Masked form of a sensitive value for screens, e.g. 900101-1******."""
    text = "" if value is None else str(value)
    if f.get("type") in SENSITIVE_TYPES and len(text) == 14:
        return text[:8] + "*" * 6
    if len(text) <= 2:
        return "*" * len(text)
    return text[:1] + "*" * (len(text) - 1)
