"""Validating a whole submission, or one field of it, against its form."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .conditions import row_scope, validator_for, visible
from .reading import ROW_PATH, get_field, is_blank, rows_of, text_in
from .types import Field, FormSchema, Section, row_path
from .validators import FieldError

# Shown to residents, so in their language (resolved when a form is checked).
REQUIRED_MESSAGE = gettext_lazy("필수 항목입니다. 값을 입력해 주세요.")
UNKNOWN_FIELD_MESSAGE = gettext_lazy("알 수 없는 항목입니다.")


@dataclass
class Result:
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def check(self, f: Field, path: str, raw: Any) -> Any:
        """Record one field's error or warning under `path`; its cleaned value (None: nothing to keep)."""
        value, error, warning = validate_value(f, raw)
        if error:
            self.errors[path] = error
            return None
        if value is None and f.required:
            self.errors[path] = str(REQUIRED_MESSAGE)
        if warning:
            self.warnings[path] = warning
        return value


def validate_value(f: Field, raw: Any) -> tuple[Any, str, str]:
    """Validate one field: (cleaned value, error, warning). Blank is not an error here."""
    if is_blank(raw):
        return None, "", ""
    try:
        cleaned = validator_for(f)(f, raw)
    except FieldError as exc:
        return None, exc.message, ""
    return cleaned.value, "", cleaned.warning


def _count_error(section: Section, filled: int) -> str:
    assert section.repeat is not None
    title = text_in(section, "title", get_language() != "ko") or section.key
    if filled > section.repeat.max:
        return _("%(title)s은(는) %(max)s명(건)까지 입력할 수 있습니다. 남는 줄은 '삭제'를 눌러 지워 주세요.") % {
            "title": title,
            "max": section.repeat.max,
        }
    if filled < section.repeat.min:
        return _("%(title)s을(를) %(min)s명(건) 이상 입력해 주세요. '줄 추가'를 누르면 칸이 생깁니다.") % {
            "title": title,
            "min": section.repeat.min,
        }
    return ""


def _validate_rows(
    form: FormSchema, section: Section, values: Mapping[str, Any], shown_values: Mapping[str, Any], result: Result
) -> list[dict[str, Any]]:
    assert section.repeat is not None
    filled = [(i, row) for i, row in enumerate(rows_of(values, section.key)) if not is_blank(list(row.values()))]
    if error := _count_error(section, len(filled)):
        result.errors[section.key] = error
    cleaned_rows = []
    for index, row in filled[: section.repeat.max]:
        scope = row_scope(form, section, shown_values, row)
        cleaned_row: dict[str, Any] = {}
        for f in section.input_fields:
            if scope.met(f.show_if):
                value = result.check(f, row_path(section.key, index, f.key), row.get(f.key))
                if value is not None:
                    cleaned_row[f.key] = value
        cleaned_rows.append(cleaned_row)
    return cleaned_rows


def validate(form: FormSchema, raw_values: Mapping[str, Any]) -> Result:
    """Validate every visible field and repeatable row; hidden fields are dropped."""
    result = Result()
    shown = visible(form, raw_values)
    shown_values = {k: v for k, v in raw_values.items() if k in shown}
    for section in form.sections:
        if section.is_repeat:
            if section.key in shown:
                rows = _validate_rows(form, section, raw_values, shown_values, result)
                if rows:
                    result.cleaned[section.key] = rows
            continue
        for f in section.input_fields:
            if f.key in shown:
                value = result.check(f, f.key, raw_values.get(f.key))
                if value is not None:
                    result.cleaned[f.key] = value
    return result


def validate_field(form: FormSchema, key: str, raw: Any, values: Mapping[str, Any]) -> tuple[Any, str, str]:
    """The per-field (htmx) check: the same rules as validate(), for one field or row field."""
    f = get_field(form, key)
    if f is None:
        return None, str(UNKNOWN_FIELD_MESSAGE), ""
    value, error, warning = validate_value(f, raw)
    if error or value is not None or not f.required:
        return value, error, warning
    required = _row_field_shown(form, key, values) if f.row_of else key in visible(form, values)
    return value, str(REQUIRED_MESSAGE) if required else "", warning


def _row_field_shown(form: FormSchema, key: str, values: Mapping[str, Any]) -> bool:
    """As in validate(): a blank row is dropped, not refused, and a row field's
    condition sees its own row over the visible top-level values."""
    match = ROW_PATH.fullmatch(key)
    assert match is not None
    section = form.repeat_section(match.group(1))
    assert section is not None
    rows = rows_of(values, section.key)
    index = int(match.group(2))
    row = rows[index] if index < len(rows) else {}
    shown = visible(form, values)
    if section.key not in shown or is_blank(list(row.values())):
        return False
    original = section.row_field(match.group(3))
    assert original is not None
    scope = row_scope(form, section, {k: v for k, v in values.items() if k in shown}, row)
    return scope.met(original.show_if)
