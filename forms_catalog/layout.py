"""A filled form laid out as sections of labelled rows: the one layout every reader shares.

The resident's review page, the officer's check view and mirror, and the
archived PDF all show a filled form from this: which sections and fields
are shown (show_if), each repeatable row flattened into numbered rows
("세대원 1 · 성명"), each value as a person reads it (choice labels,
예/아니오), masked where asked. The consumers keep only their presentation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .schema import (
    ATTACHMENT_TYPES,
    Field,
    FormSchema,
    Section,
    choice_label,
    mask,
    row_path,
    row_scope,
    rows_of,
    text_in,
    visible,
)

# Values longer than this take the whole width of a line instead of half.
WIDE_VALUE_CHARS = 16
WIDE_TYPES = frozenset({"address", "textarea", "multichoice", "file", "seal", "choice"})


@dataclass(frozen=True)
class Row:
    key: str  # the field key, or the row path of a repeatable row's field
    label: str  # in the language asked for; "세대원 1 · 성명" for a row's field
    field: Field
    value: Any  # as a person reads it: choice labels, 예/아니오, masked when asked
    stored: Any  # as stored (None when there is no answer)
    given: bool  # the values hold this key (a blank answer included)
    masked: bool  # `value` is the masked form of a sensitive answer

    @property
    def type(self) -> str:
        return self.field.type

    @property
    def label_en(self) -> str:
        return self.field.label_en

    @property
    def sensitive(self) -> bool:
        return self.field.is_sensitive

    @property
    def wide(self) -> bool:
        """Takes a whole line: a long kind of answer, or a long value."""
        return self.type in WIDE_TYPES or len(str("" if self.value is None else self.value)) > WIDE_VALUE_CHARS


@dataclass(frozen=True)
class LaidSection:
    key: str
    title: str
    title_en: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Layout:
    sections: tuple[LaidSection, ...]

    @property
    def signatures(self) -> tuple[Row, ...]:
        """The signature rows, for the 서명 boxes a paper form ends with."""
        return tuple(row for section in self.sections for row in section.rows if row.type == "signature")

    @property
    def attachments(self) -> tuple[Row, ...]:
        """The rows holding a stored upload (a file or a seal image), in form order."""
        return tuple(
            row
            for section in self.sections
            for row in section.rows
            if row.type in ATTACHMENT_TYPES and isinstance(row.stored, dict) and isinstance(row.stored.get("file"), str)
        )

    def without(self, types: frozenset[str]) -> tuple[LaidSection, ...]:
        """The sections without rows of these field types, leaving out any left empty."""
        kept = []
        for section in self.sections:
            rows = tuple(row for row in section.rows if row.type not in types)
            if rows:
                kept.append(LaidSection(section.key, section.title, section.title_en, rows))
        return tuple(kept)


class _Builder:
    def __init__(self, values: Mapping[str, Any], *, masked: bool, english: bool, only_given: bool) -> None:
        self.values = values
        self.masked = masked
        self.english = english
        self.only_given = only_given

    def row(self, f: Field, key: str, label: str, found: Mapping[str, Any]) -> Row | None:
        """A field's row; `found` holds its value (the values, or the repeatable row's)."""
        given = f.key in found
        if self.only_given and not given:
            return None
        stored = found.get(f.key)
        hide = self.masked and f.is_sensitive
        value = mask(f, stored) if hide else choice_label(f, stored, english=self.english)
        return Row(key, label, f, value, stored, given, masked=hide and stored not in (None, ""))

    def label(self, f: Field) -> str:
        return text_in(f, "label", self.english) or f.key

    def rows(self, form: FormSchema, section: Section, shown: set[str]) -> list[Row]:
        if not section.is_repeat:
            found = [self.row(f, f.key, self.label(f), self.values) for f in section.input_fields if f.key in shown]
        elif section.key in shown:
            found = self.repeated_rows(form, section, {k: v for k, v in self.values.items() if k in shown})
        else:
            found = []
        return [row for row in found if row is not None]

    def repeated_rows(self, form: FormSchema, section: Section, shown_values: Mapping[str, Any]) -> list[Row | None]:
        """Each stored row's fields, numbered ("세대원 1 · 성명"); a field its row's condition hides is left out."""
        title = text_in(section, "title", self.english)
        found: list[Row | None] = []
        for i, stored_row in enumerate(rows_of(self.values, section.key)):
            scope = row_scope(form, section, shown_values, stored_row)
            found.extend(
                self.row(f, row_path(section.key, i, f.key), f"{title} {i + 1} · {self.label(f)}", stored_row)
                for f in section.input_fields
                if scope.met(f.show_if)
            )
        return found


def build(
    form: FormSchema, values: Mapping[str, Any], *, masked: bool, english: bool = False, only_given: bool = False
) -> Layout:
    """The shown sections of a filled form, as rows (sections without rows left out).

    masked: sensitive values masked (screens), or in full (the archive).
    english: the form's English texts where it has them (the resident's review page).
    only_given: only keys the values hold (the review page lists what was answered;
    the paper, the mirror and the PDF have a line for every shown field).
    """
    builder = _Builder(values, masked=masked, english=english, only_given=only_given)
    shown = visible(form, values)
    sections = []
    for section in form.sections:
        rows = builder.rows(form, section, shown)
        if rows:
            sections.append(LaidSection(section.key, text_in(section, "title", english), section.title_en, tuple(rows)))
    return Layout(tuple(sections))
