"""The resident's form page: sections with their repeatable rows bound, values as inputs name them."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .reading import rows_of
from .types import Condition, Field, FormSchema, Repeat, Section, bound_to_row, row_path


@dataclass(frozen=True)
class PageRow:
    """One row of a repeatable section on the page, its fields keyed by row path."""

    index: int
    fields: tuple[Field, ...]

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class PageSection:
    """A section as the page renders it; a repeatable one with its rows."""

    section: Section
    rows: tuple[PageRow, ...] = ()
    can_add: bool = False
    min_rows: int = 0
    max_rows: int = 0

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def title_en(self) -> str:
        return self.section.title_en

    @property
    def show_if(self) -> Condition | None:
        return self.section.show_if

    @property
    def repeat(self) -> Repeat | None:
        return self.section.repeat

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.section.fields


def page_section(section: Section, values: Mapping[str, Any]) -> PageSection:
    """A repeatable group shows its stored rows, and at least `min` of them so a
    required group has inputs; with min 0 the resident adds the first row."""
    if section.repeat is None:
        return PageSection(section)
    minimum, maximum = section.repeat.min, section.repeat.max
    count = max(len(rows_of(values, section.key)), minimum)
    rows = tuple(
        PageRow(i, tuple(bound_to_row(section, i, f) if f.is_input else f for f in section.fields))
        for i in range(count)
    )
    return PageSection(section, rows, can_add=count < maximum, min_rows=minimum, max_rows=maximum)


def page_sections(form: FormSchema, values: Mapping[str, Any]) -> list[PageSection]:
    return [page_section(section, values) for section in form.sections]


def page_values(form: FormSchema, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values keyed as the page names its inputs (row fields by row path), defaults filled in."""
    flat = {f.key: f.default for f in form.input_fields if f.default is not None}
    repeat_keys = {s.key for s in form.repeat_sections}
    flat.update({k: v for k, v in values.items() if not isinstance(v, list) or k not in repeat_keys})
    for section in form.repeat_sections:
        for i, row in enumerate(rows_of(values, section.key)):
            for k, v in row.items():
                flat[row_path(section.key, i, k)] = v
    return flat


def add_row(form: FormSchema, values: Mapping[str, Any], section_key: str) -> dict[str, Any]:
    """Values with one more empty row in a repeatable section (up to its max)."""
    section = form.repeat_section(section_key)
    updated = dict(values)
    if section is None or section.repeat is None:
        return updated
    rows = rows_of(values, section_key)
    if len(rows) < section.repeat.max:
        rows = [*rows, {}]
    updated[section_key] = rows
    return updated


def remove_row(values: Mapping[str, Any], section_key: str, index: int) -> dict[str, Any]:
    updated = dict(values)
    rows = rows_of(values, section_key)
    if 0 <= index < len(rows):
        updated[section_key] = rows[:index] + rows[index + 1 :]
    return updated
