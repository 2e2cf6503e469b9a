"""The form schema as typed, immutable values, parsed once from the stored JSON.

The stored form (FormVersion.schema, the form packs, the admin's JSON editor)
stays a plain dict: that is what is checked (checks.check_schema), diffed and
exported. Everything that reads a form to serve it reads these values
instead, parsed once per version (FormVersion.form, parse_version).

parse() is lenient: a schema still being typed in the admin's preview may
have problems (check_schema lists them), so a missing or wrongly typed
attribute reads as its default instead of failing.
"""

import copy
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

# Field types whose values are encrypted at rest and masked on screens.
SENSITIVE_TYPES = frozenset({"rrn", "frn"})
# Field types that carry no value (guidance text shown to the resident).
DISPLAY_ONLY_TYPES = frozenset({"guidance"})
# Field types stored as uploaded files.
ATTACHMENT_TYPES = frozenset({"file", "seal"})
# Field types whose value is one of a fixed set, usable in show_if conditions.
CHOICE_VALUES: dict[str, list[str]] = {"yesno": ["yes", "no"], "consent": ["agree", "disagree"]}
# A repeatable section without a stated maximum holds up to this many rows.
DEFAULT_MAX_ROWS = 10


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    label_en: str = ""


@dataclass(frozen=True)
class Condition:
    """show_if: shown when the field `field` holds one of `equals` (compared as text)."""

    field: str
    equals: tuple[str, ...]


# The four parts a 개인정보 수집·이용 동의 must state (개인정보 보호법 제15조②), in their legal order.
CONSENT_PARTS = {
    "purpose": "수집·이용 목적",
    "items": "수집 항목",
    "retention": "보유·이용 기간",
    "refusal": "동의를 거부할 권리와 거부 시 불이익",
}


@dataclass(frozen=True)
class Consent:
    purpose: str = ""
    items: str = ""
    retention: str = ""
    refusal: str = ""

    def parts(self) -> dict[str, str]:
        """{part: text} in CONSENT_PARTS order."""
        return {part: getattr(self, part) for part in CONSENT_PARTS}


@dataclass(frozen=True)
class Repeat:
    min: int = 0
    max: int = DEFAULT_MAX_ROWS


@dataclass(frozen=True)
class Field:
    key: str
    type: str = "text"
    label: str = ""
    label_en: str = ""
    required: bool = False
    help: str = ""
    help_en: str = ""
    semantic: str = ""
    sensitive: bool = False
    show_if: Condition | None = None
    # Preselected value (None: none); a list for a multiple choice.
    default: Any = None
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    min: int | float | None = None
    max: int | float | None = None
    min_date: str | None = None
    max_date: str | None = None
    max_days: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    mobile_only: bool = False
    require_postcode: bool = False
    require_detail: bool = False
    address_level: str = ""
    accept: tuple[str, ...] = ()
    max_size_mb: float | None = None
    consent: Consent | None = None
    consent_en: Consent | None = None
    # Set on a field of a repeatable row bound to its row (key = "members-0-member_name").
    row_of: str = ""

    @property
    def is_sensitive(self) -> bool:
        """Encrypted at rest and masked on screens."""
        return self.sensitive or self.type in SENSITIVE_TYPES

    @property
    def is_input(self) -> bool:
        """Carries a value (guidance text does not)."""
        return self.type not in DISPLAY_ONLY_TYPES


@dataclass(frozen=True)
class Section:
    key: str
    title: str = ""
    title_en: str = ""
    show_if: Condition | None = None
    repeat: Repeat | None = None
    fields: tuple[Field, ...] = ()

    @property
    def is_repeat(self) -> bool:
        return self.repeat is not None

    @cached_property
    def input_fields(self) -> tuple[Field, ...]:
        """The fields that carry a value (for a repeatable section: each row's)."""
        return tuple(f for f in self.fields if f.is_input)

    def row_field(self, key: str) -> Field | None:
        return next((f for f in self.input_fields if f.key == key), None)


# How a 위임장 is signed (the form's "delegation"): the 위임자 co-signs on their
# own phone, or the law asks for their registered seal (인감증명 발급 위임장).
DELEGATION_SIGNATURES = ("cosign", "seal")


@dataclass(frozen=True)
class Delegation:
    """When a 대리인 files the form (`when`) and how the 위임자 signs for it.

    `paper_letter`: the file field holding a scanned paper 위임장; given, it
    stands in for the co-signature (the fallback, marked as such).
    """

    signature: str  # one of DELEGATION_SIGNATURES
    when: Condition | None = None
    paper_letter: str = ""

    @property
    def cosign(self) -> bool:
        return self.signature == "cosign"


@dataclass(frozen=True)
class FormSchema:
    sections: tuple[Section, ...] = ()
    delegation: Delegation | None = None

    def iter_fields(self) -> Iterator[tuple[Section, Field]]:
        for section in self.sections:
            for f in section.fields:
                yield section, f

    @cached_property
    def input_fields(self) -> tuple[Field, ...]:
        """Fields stored at the top level of the values (not in a repeatable section)."""
        return tuple(f for s in self.sections if not s.is_repeat for f in s.input_fields)

    @cached_property
    def fields_by_key(self) -> Mapping[str, Field]:
        found: dict[str, Field] = {}
        for f in self.input_fields:
            found.setdefault(f.key, f)
        return found

    @cached_property
    def repeat_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_repeat)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def repeat_section(self, key: str) -> Section | None:
        return next((s for s in self.repeat_sections if s.key == key), None)

    @cached_property
    def stored_keys(self) -> frozenset[str]:
        """Every top-level key a draft or submission may hold."""
        return frozenset(self.fields_by_key) | {s.key for s in self.repeat_sections}

    @cached_property
    def sensitive_keys(self) -> frozenset[str]:
        """Top-level keys to encrypt: sensitive fields, and whole repeatable sections holding one."""
        keys = {f.key for f in self.input_fields if f.is_sensitive}
        keys |= {s.key for s in self.repeat_sections if any(f.is_sensitive for f in s.input_fields)}
        return frozenset(keys)


# --- parsing the stored JSON ----------------------------------------------------
def _text(raw: Mapping[str, Any], name: str, default: str = "") -> str:
    value = raw.get(name)
    return default if value is None else str(value)


def _text_or_none(raw: Mapping[str, Any], name: str) -> str | None:
    return None if raw.get(name) is None else str(raw[name])


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _whole(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _condition(raw: Any) -> Condition | None:
    if not isinstance(raw, Mapping) or not raw:
        return None
    equals = raw.get("equals")
    wanted = equals if isinstance(equals, list) else [equals]
    return Condition(_text(raw, "field"), tuple(str(v) for v in wanted))


def _consent(raw: Any) -> Consent | None:
    if not isinstance(raw, Mapping) or not raw:
        return None
    return Consent(*(_text(raw, part) for part in CONSENT_PARTS))


def _choices(raw: Any) -> tuple[Choice, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Choice(str(c["value"]), _text(c, "label", str(c["value"])), _text(c, "label_en"))
        for c in raw
        if isinstance(c, Mapping) and "value" in c
    )


def field_of(raw: Mapping[str, Any]) -> Field:
    """One field definition of the stored JSON as a Field."""
    accept = raw.get("accept")
    size = _number(raw.get("max_size_mb"))
    return Field(
        key=_text(raw, "key"),
        type=_text(raw, "type", "text"),
        label=_text(raw, "label"),
        label_en=_text(raw, "label_en"),
        required=bool(raw.get("required")),
        help=_text(raw, "help"),
        help_en=_text(raw, "help_en"),
        semantic=_text(raw, "semantic"),
        sensitive=bool(raw.get("sensitive")),
        show_if=_condition(raw.get("show_if")),
        default=copy.deepcopy(raw.get("default")),
        choices=_choices(raw.get("choices")),
        max_length=_whole(raw.get("max_length")),
        min=_number(raw.get("min")),
        max=_number(raw.get("max")),
        min_date=_text_or_none(raw, "min_date"),
        max_date=_text_or_none(raw, "max_date"),
        max_days=_whole(raw.get("max_days")),
        min_choices=_whole(raw.get("min_choices")),
        max_choices=_whole(raw.get("max_choices")),
        mobile_only=bool(raw.get("mobile_only")),
        require_postcode=bool(raw.get("require_postcode")),
        require_detail=bool(raw.get("require_detail")),
        address_level=_text(raw, "address_level"),
        accept=tuple(str(a) for a in accept) if isinstance(accept, list) else (),
        max_size_mb=float(size) if size is not None else None,
        consent=_consent(raw.get("consent")),
        consent_en=_consent(raw.get("consent_en")),
    )


def _repeat(raw: Any) -> Repeat | None:
    if not isinstance(raw, Mapping) or not raw:
        return None
    minimum, maximum = _whole(raw.get("min")), _whole(raw.get("max"))
    return Repeat(0 if minimum is None else minimum, DEFAULT_MAX_ROWS if maximum is None else maximum)


def _section(raw: Mapping[str, Any]) -> Section:
    fields = raw.get("fields")
    return Section(
        key=_text(raw, "key"),
        title=_text(raw, "title"),
        title_en=_text(raw, "title_en"),
        show_if=_condition(raw.get("show_if")),
        repeat=_repeat(raw.get("repeat")),
        fields=tuple(field_of(f) for f in fields if isinstance(f, Mapping)) if isinstance(fields, list) else (),
    )


def parse(data: Any) -> FormSchema:
    """The stored JSON of a form ({"sections": [...]}) as a FormSchema."""
    sections = data.get("sections") if isinstance(data, Mapping) else None
    if not isinstance(sections, list):
        return FormSchema()
    return FormSchema(
        tuple(_section(s) for s in sections if isinstance(s, Mapping)), delegation=_delegation(data.get("delegation"))
    )


def _delegation(raw: Any) -> Delegation | None:
    if not isinstance(raw, Mapping) or raw.get("signature") not in DELEGATION_SIGNATURES:
        return None
    return Delegation(str(raw["signature"]), _condition(raw.get("when")), _text(raw, "paper_letter"))


# version pk -> (a copy of the JSON parsed, the parse). Compared by content, so
# a draft edited in the admin, or a test database reusing a pk, is parsed
# again; published versions never change, so they are parsed once a process.
_BY_VERSION: dict[int, tuple[Any, FormSchema]] = {}
_MAX_VERSIONS = 256
_storing = threading.Lock()


def parse_version(pk: int | None, data: Any) -> FormSchema:
    """parse(data), reused across requests for the same version with the same content."""
    if pk is None:
        return parse(data)
    cached = _BY_VERSION.get(pk)
    if cached is not None and cached[0] == data:
        return cached[1]
    form = parse(data)
    with _storing:
        if len(_BY_VERSION) >= _MAX_VERSIONS:
            _BY_VERSION.pop(next(iter(_BY_VERSION)))
        _BY_VERSION[pk] = (copy.deepcopy(data), form)
    return form


def row_path(section_key: str, index: int, key: str) -> str:
    """How a field of a repeatable row is named on the page and in errors: members-0-member_name."""
    return f"{section_key}-{index}-{key}"


def bound_to_row(section: Section, index: int, f: Field) -> Field:
    """A row field as the page and the per-field check see it: keyed by its row path."""
    show_if = f.show_if
    if show_if is not None and any(g.key == show_if.field for g in section.fields):
        # A condition on a sibling names that sibling in the same row.
        show_if = replace(show_if, field=row_path(section.key, index, show_if.field))
    return replace(f, key=row_path(section.key, index, f.key), row_of=section.key, show_if=show_if)
