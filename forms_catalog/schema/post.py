"""Reading a form POST into values, keyed as they are stored."""

from typing import Any

from .reading import ROW_PATH
from .types import Field, FormSchema, Section, row_path

MAX_ROWS_READ = 100
# Composite inputs arrive as ``key__part``.
_PARTS = {"address": ("postcode", "road", "detail"), "daterange": ("start", "end")}


def raw_values_from_post(form: FormSchema, post: Any) -> dict[str, Any]:
    """The values a form POST carries (a QueryDict), keyed as they are stored.

    Only keys present in the POST are returned, so an autosave of part of the
    page never blanks the rest. Composite inputs (address parts, date range
    ends) arrive as ``key__part`` and are kept as a dict.
    """
    values: dict[str, Any] = {}
    for f in form.input_fields:
        found, value = _read_field(f, f.key, post)
        if found:
            values[f.key] = value
    for section in form.repeat_sections:
        rows = _read_rows(section, post)
        if rows is not None:
            values[section.key] = rows
    return values


def _read_rows(section: Section, post: Any) -> list[dict[str, Any]] | None:
    """The rows of a repeatable section the POST carries; None when it carries none of it."""
    if f"{section.key}__rows" not in post and not any(name.startswith(section.key + "-") for name in post):
        return None
    indices = sorted(
        {
            int(m.group(2))
            for name in post
            if (m := ROW_PATH.fullmatch(name.split("__")[0])) and m.group(1) == section.key
        }
    )[:MAX_ROWS_READ]
    rows = []
    for index in indices:
        row = {}
        for f in section.input_fields:
            found, value = _read_field(f, row_path(section.key, index, f.key), post)
            if found:
                row[f.key] = value
        rows.append(row)
    return rows


def _read_field(f: Field, name: str, post: Any) -> tuple[bool, Any]:
    if f.type == "multichoice":
        if name in post or f"{name}__present" in post:
            return True, post.getlist(name)
        return False, None
    if f.type in _PARTS:
        parts = {part: post.get(f"{name}__{part}") for part in _PARTS[f.type]}
        if any(v is not None for v in parts.values()):
            return True, {k: v or "" for k, v in parts.items()}
    if name in post:
        return True, post.get(name, "")
    return False, None
