"""Reading values against a form: keys and row paths, labels, blanks.

Values are a flat dict keyed by field key, except a repeatable section, whose
rows are stored as a list of row dicts under the section key:
``{"members": [{"member_name": "홍길순", "member_rrn": "..."}]}``. On the page
and in error keys a row field is addressed as ``members-0-member_name``.
"""

import re
from collections.abc import Mapping
from typing import Any

from .types import Choice, Field, FormSchema, Section, bound_to_row

ROW_PATH = re.compile(r"([a-z][a-z0-9_]*)-(\d{1,3})-([a-z][a-z0-9_]*)")


def text_in(item: Field | Section | Choice, attr: str, english: bool) -> str:
    """item.<attr>, or item.<attr>_en when english and the form has it."""
    return str((english and getattr(item, f"{attr}_en")) or getattr(item, attr))


def get_field(form: FormSchema, key: str) -> Field | None:
    """A top-level field by key, or a row field by its row path (members-0-member_name)."""
    found = form.fields_by_key.get(key)
    if found is not None:
        return found
    match = ROW_PATH.fullmatch(key)
    if match:
        section, index = form.repeat_section(match.group(1)), int(match.group(2))
        if section is not None and section.repeat is not None and index < section.repeat.max:
            f = section.row_field(match.group(3))
            if f is not None:
                return bound_to_row(section, index, f)
    return None


def label_for(form: FormSchema, key: str, *, english: bool = False) -> str:
    """The label an error summary shows for a key: a field, a row field or a repeatable section.

    english=True takes the *_en texts where the form has them, Korean where not.
    """
    f = get_field(form, key)
    if f is not None:
        label = text_in(f, "label", english) or key
        match = ROW_PATH.fullmatch(key)
        if match:
            section = form.section(match.group(1))
            title = (text_in(section, "title", english) if section else "") or match.group(1)
            return f"{title} {int(match.group(2)) + 1} · {label}"
        return label
    section = form.section(key)
    return (text_in(section, "title", english) or key) if section else key


def value_at(values: Mapping[str, Any], key: str) -> Any:
    match = ROW_PATH.fullmatch(key)
    if match and isinstance(values.get(match.group(1)), list):
        rows = values[match.group(1)]
        index = int(match.group(2))
        if index < len(rows) and isinstance(rows[index], Mapping):
            return rows[index].get(match.group(3))
        return None
    return values.get(key)


def rows_of(values: Mapping[str, Any], section_key: str) -> list[dict[str, Any]]:
    """The rows stored for a repeatable section (anything not a row reads as an empty one)."""
    rows = values.get(section_key)
    if not isinstance(rows, list):
        return []
    return [row if isinstance(row, dict) else {} for row in rows]


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list):
        return not any(str(item).strip() for item in raw)
    if isinstance(raw, dict):
        return not any(str(v).strip() for v in raw.values() if v is not None)
    return not str(raw).strip()
