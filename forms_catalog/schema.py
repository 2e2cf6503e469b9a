"""Reading a FormVersion schema and validating a whole submission against it.

Schema shape (the full reference is docs/FORM_PACKS.md)::

    {"sections": [{"key", "title", "title_en", "show_if"?, "repeat"?: {"min", "max"},
                   "fields": [{"key", "type", "label", "label_en", "required", "help", "help_en",
                               "max_length"?, "min"?, "max"?, "choices"?, "semantic"?, "sensitive"?,
                               "show_if"?: {"field": key, "equals": value | [values]}}]}]}

Values are a flat dict keyed by field key, except a repeatable section
(`"repeat"`), whose rows are stored as a list of row dicts under the section
key: ``{"members": [{"member_name": "홍길순", "member_rrn": "..."}]}``. On
the page and in error keys a row field is addressed as ``members-0-member_name``.
"""

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .validators import (
    ATTACHMENT_TYPES,
    CHOICE_VALUES,
    DISPLAY_ONLY_TYPES,
    SENSITIVE_TYPES,
    VALIDATORS,
    FieldError,
    resolve_date_bound,
)

Schema = Mapping[str, Any]
Field = dict[str, Any]

# Shown to residents, so in their language (resolved when a form is checked).
REQUIRED_MESSAGE = gettext_lazy("필수 항목입니다. 값을 입력해 주세요.")
UNKNOWN_FIELD_MESSAGE = gettext_lazy("알 수 없는 항목입니다.")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
ROW_PATH = re.compile(r"([a-z][a-z0-9_]*)-(\d{1,3})-([a-z][a-z0-9_]*)")
# Types that cannot sit in a repeatable row: uploads and the signature are
# one per form.
NOT_IN_ROWS = ATTACHMENT_TYPES | {"signature", "consent"}
MAX_ROWS_READ = 100


@dataclass
class Result:
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading a schema ------------------------------------------------------
def sections(schema: Schema) -> list[dict[str, Any]]:
    return list(schema.get("sections", []))


def is_repeat(section: Mapping[str, Any]) -> bool:
    return bool(section.get("repeat"))


def repeat_bounds(section: Mapping[str, Any]) -> tuple[int, int]:
    repeat = section.get("repeat") or {}
    return int(repeat.get("min", 0)), int(repeat.get("max", 10))


def iter_fields(schema: Schema) -> Iterator[tuple[dict[str, Any], Field]]:
    for section in sections(schema):
        for f in section.get("fields", []):
            yield section, f


def input_fields(schema: Schema) -> list[Field]:
    """Fields stored at the top level of the values (not in a repeatable section)."""
    return [f for s, f in iter_fields(schema) if not is_repeat(s) and f.get("type") not in DISPLAY_ONLY_TYPES]


def repeat_sections(schema: Schema) -> list[dict[str, Any]]:
    return [s for s in sections(schema) if is_repeat(s)]


def row_fields(section: Mapping[str, Any]) -> list[Field]:
    return [f for f in section.get("fields", []) if f.get("type") not in DISPLAY_ONLY_TYPES]


def stored_keys(schema: Schema) -> set[str]:
    """Every top-level key a draft or submission may hold."""
    return {f["key"] for f in input_fields(schema)} | {s["key"] for s in repeat_sections(schema)}


def row_path(section_key: str, index: int, key: str) -> str:
    return f"{section_key}-{index}-{key}"


def _row_field(section: Mapping[str, Any], index: int, f: Field) -> Field:
    """A row field as the page and the per-field check see it: keyed by its row path."""
    bound = copy.deepcopy(f)
    bound["key"] = row_path(section["key"], index, f["key"])
    bound["row_of"] = section["key"]
    siblings = {g.get("key") for g in section.get("fields", [])}
    cond = bound.get("show_if")
    if cond and cond.get("field") in siblings:
        bound["show_if"] = {**cond, "field": row_path(section["key"], index, cond["field"])}
    return bound


def get_field(schema: Schema, key: str) -> Field | None:
    """A top-level field by key, or a row field by its row path (members-0-member_name)."""
    for f in input_fields(schema):
        if f["key"] == key:
            return f
    match = ROW_PATH.fullmatch(key)
    if match:
        section_key, index, field_key = match.group(1), int(match.group(2)), match.group(3)
        for section in repeat_sections(schema):
            if section["key"] == section_key and index < repeat_bounds(section)[1]:
                for f in row_fields(section):
                    if f["key"] == field_key:
                        return _row_field(section, index, f)
    return None


def _text_in(item: Mapping[str, Any], attr: str, english: bool, default: str) -> str:
    return str((english and item.get(f"{attr}_en")) or item.get(attr, default))


def label_for(schema: Schema, key: str, *, english: bool = False) -> str:
    """The label an error summary shows for a key: a field, a row field or a repeatable section.

    english=True takes the *_en texts where the form has them, Korean where not.
    """
    f = get_field(schema, key)
    if f is not None:
        label = _text_in(f, "label", english, key)
        match = ROW_PATH.fullmatch(key)
        if match:
            section = next(s for s in sections(schema) if s.get("key") == match.group(1))
            return f"{_text_in(section, 'title', english, match.group(1))} {int(match.group(2)) + 1} · {label}"
        return label
    for section in sections(schema):
        if section.get("key") == key:
            return _text_in(section, "title", english, key)
    return key


def value_at(values: Mapping[str, Any], key: str) -> Any:
    match = ROW_PATH.fullmatch(key)
    if match and isinstance(values.get(match.group(1)), list):
        rows = values[match.group(1)]
        index = int(match.group(2))
        if index < len(rows) and isinstance(rows[index], Mapping):
            return rows[index].get(match.group(3))
        return None
    return values.get(key)


def is_sensitive(f: Field) -> bool:
    return bool(f.get("sensitive")) or f.get("type") in SENSITIVE_TYPES


def sensitive_keys(schema: Schema) -> set[str]:
    """Top-level keys to encrypt: sensitive fields, and whole repeatable sections holding one."""
    keys = {f["key"] for f in input_fields(schema) if is_sensitive(f)}
    keys |= {s["key"] for s in repeat_sections(schema) if any(is_sensitive(f) for f in row_fields(s))}
    return keys


# --- conditional display -----------------------------------------------------
def _normalised(f: Field | None, raw: Any) -> Any:
    """The value a condition compares: the cleaned one when it validates (e.g. "예" → "yes")."""
    if _is_blank(raw):
        return None
    if f is None:
        return raw
    validator = VALIDATORS.get(f.get("type", "text"), VALIDATORS["text"])
    try:
        return validator(f, raw).value
    except FieldError:
        return raw


def _condition_met(condition: Mapping[str, Any] | None, values: Mapping[str, Any], fields: Mapping[str, Field]) -> bool:
    if not condition:
        return True
    key = condition.get("field", "")
    if key not in values:
        return False
    actual = _normalised(fields.get(key), values[key])
    expected = condition.get("equals")
    wanted = [str(v) for v in expected] if isinstance(expected, list) else [str(expected)]
    if isinstance(actual, list):
        # A multiple choice meets the condition when any chosen value is wanted.
        return any(str(v) in wanted for v in actual)
    return actual is not None and str(actual) in wanted


def visible(schema: Schema, values: Mapping[str, Any]) -> set[str]:
    """Top-level keys shown for these values: input fields and repeatable sections.

    A field hidden by a condition is neither required nor kept, so a value
    left over from an earlier choice never reaches the archive. A condition on
    a hidden field is never met, so hiding cascades (대리인 구분 → 대리인 필드).
    """
    fields = {f["key"]: f for f in input_fields(schema)}
    shown = set(fields) | {s["key"] for s in repeat_sections(schema)}
    # Conditions may point forwards; a few passes reach the fixed point
    # (check_schema refuses cycles, and the pass count bounds a bad schema).
    for _pass in range(len(shown) + 1):
        current = {k: v for k, v in values.items() if k in shown}
        now: set[str] = set()
        for section in sections(schema):
            if not _condition_met(section.get("show_if"), current, fields):
                continue
            if is_repeat(section):
                now.add(section["key"])
                continue
            for f in section.get("fields", []):
                if f.get("type") in DISPLAY_ONLY_TYPES:
                    continue
                if _condition_met(f.get("show_if"), current, fields):
                    now.add(f["key"])
        if now == shown:
            break
        shown = now
    return shown


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list):
        return not any(str(item).strip() for item in raw)
    if isinstance(raw, dict):
        return not any(str(v).strip() for v in raw.values() if v is not None)
    return not str(raw).strip()


# --- validation ------------------------------------------------------------
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


def _rows(values: Mapping[str, Any], section_key: str) -> list[dict[str, Any]]:
    rows = values.get(section_key)
    if not isinstance(rows, list):
        return []
    return [row if isinstance(row, dict) else {} for row in rows]


def _fields_for_rows(schema: Schema, section: Mapping[str, Any]) -> dict[str, Field]:
    """Fields a row condition may name: top-level ones, and the row's own (which win)."""
    return {**{f["key"]: f for f in input_fields(schema)}, **{f["key"]: f for f in row_fields(section)}}


def _validate_rows(
    section: Mapping[str, Any], values: Mapping[str, Any], shown_values: Mapping[str, Any], all_fields: dict[str, Field]
) -> Result:
    result = Result()
    key = section["key"]
    minimum, maximum = repeat_bounds(section)
    fields = row_fields(section)
    filled = [(i, row) for i, row in enumerate(_rows(values, key)) if not _is_blank(list(row.values()))]
    title = _text_in(section, "title", get_language() != "ko", key)
    if len(filled) < minimum:
        result.errors[key] = _(
            "%(title)s을(를) %(min)s명(건) 이상 입력해 주세요. '줄 추가'를 누르면 칸이 생깁니다."
        ) % {"title": title, "min": minimum}
    if len(filled) > maximum:
        result.errors[key] = _(
            "%(title)s은(는) %(max)s명(건)까지 입력할 수 있습니다. 남는 줄은 '삭제'를 눌러 지워 주세요."
        ) % {"title": title, "max": maximum}
    cleaned_rows = []
    for index, row in filled[:maximum]:
        scope = {**shown_values, **row}
        cleaned_row: dict[str, Any] = {}
        for f in fields:
            if not _condition_met(f.get("show_if"), scope, all_fields):
                continue
            path = row_path(key, index, f["key"])
            value, error, warning = validate_value(f, row.get(f["key"]))
            if error:
                result.errors[path] = error
            elif value is None and f.get("required"):
                result.errors[path] = str(REQUIRED_MESSAGE)
            elif value is not None:
                cleaned_row[f["key"]] = value
            if warning:
                result.warnings[path] = warning
        cleaned_rows.append(cleaned_row)
    result.cleaned[key] = cleaned_rows
    return result


def validate_field(schema: Schema, key: str, raw: Any, values: Mapping[str, Any]) -> tuple[Any, str, str]:
    """The per-field (htmx) check: the same rules as validate(), for one field or row field."""
    f = get_field(schema, key)
    if f is None:
        return None, str(UNKNOWN_FIELD_MESSAGE), ""
    value, error, warning = validate_value(f, raw)
    if error or value is not None or not f.get("required"):
        return value, error, warning
    if f.get("row_of"):
        # As in validate(): a blank row is dropped, not refused, and a row
        # field's condition sees its own row over the visible top-level values.
        match = ROW_PATH.fullmatch(key)
        assert match is not None
        section = next(s for s in repeat_sections(schema) if s["key"] == match.group(1))
        rows = _rows(values, section["key"])
        index = int(match.group(2))
        row = rows[index] if index < len(rows) else {}
        shown = visible(schema, values)
        if section["key"] not in shown or _is_blank(list(row.values())):
            return value, "", warning
        original = next(g for g in row_fields(section) if g["key"] == match.group(3))
        scope = {**{k: v for k, v in values.items() if k in shown}, **row}
        if _condition_met(original.get("show_if"), scope, _fields_for_rows(schema, section)):
            return value, str(REQUIRED_MESSAGE), warning
        return value, "", warning
    if key in visible(schema, values):
        error = str(REQUIRED_MESSAGE)
    return value, error, warning


def validate(schema: Schema, raw_values: Mapping[str, Any]) -> Result:
    """Validate every visible field and repeatable row; hidden fields are dropped."""
    result = Result()
    shown = visible(schema, raw_values)
    shown_values = {k: v for k, v in raw_values.items() if k in shown}
    for section in sections(schema):
        if is_repeat(section):
            if section["key"] not in shown:
                continue
            rows = _validate_rows(section, raw_values, shown_values, _fields_for_rows(schema, section))
            result.errors.update(rows.errors)
            result.warnings.update(rows.warnings)
            if rows.cleaned[section["key"]]:
                result.cleaned[section["key"]] = rows.cleaned[section["key"]]
            continue
        for f in section.get("fields", []):
            key = f.get("key", "")
            if f.get("type") in DISPLAY_ONLY_TYPES or key not in shown:
                continue
            value, error, warning = validate_value(f, raw_values.get(key))
            if error:
                result.errors[key] = error
                continue
            if value is None:
                if f.get("required"):
                    result.errors[key] = str(REQUIRED_MESSAGE)
                continue
            result.cleaned[key] = value
            if warning:
                result.warnings[key] = warning
    return result


# --- the page: reading a POST, rows, display ---------------------------------
def raw_values_from_post(schema: Schema, post: Any) -> dict[str, Any]:
    """The values a form POST carries (a QueryDict), keyed as they are stored.

    Only keys present in the POST are returned, so an autosave of part of the
    page never blanks the rest. Composite inputs (address parts, date range
    ends) arrive as ``key__part`` and are kept as a dict.
    """
    values: dict[str, Any] = {}
    for f in input_fields(schema):
        found, value = _read_field(f, f["key"], post)
        if found:
            values[f["key"]] = value
    for section in repeat_sections(schema):
        if f"{section['key']}__rows" not in post and not any(name.startswith(section["key"] + "-") for name in post):
            continue
        indices = sorted(
            {
                int(m.group(2))
                for name in post
                if (m := ROW_PATH.fullmatch(name.split("__")[0])) and m.group(1) == section["key"]
            }
        )[:MAX_ROWS_READ]
        rows = []
        for index in indices:
            row = {}
            for f in row_fields(section):
                found, value = _read_field(f, row_path(section["key"], index, f["key"]), post)
                if found:
                    row[f["key"]] = value
            rows.append(row)
        values[section["key"]] = rows
    return values


_PARTS = {"address": ("postcode", "road", "detail"), "daterange": ("start", "end")}


def _read_field(f: Field, name: str, post: Any) -> tuple[bool, Any]:
    kind = f.get("type")
    if kind == "multichoice":
        if name in post or f"{name}__present" in post:
            return True, post.getlist(name)
        return False, None
    if kind in _PARTS:
        parts = {part: post.get(f"{name}__{part}") for part in _PARTS[kind]}
        if any(v is not None for v in parts.values()):
            return True, {k: v or "" for k, v in parts.items()}
    if name in post:
        return True, post.get(name, "")
    return False, None


def add_row(schema: Schema, values: Mapping[str, Any], section_key: str) -> dict[str, Any]:
    """Values with one more empty row in a repeatable section (up to its max)."""
    section = next((s for s in repeat_sections(schema) if s["key"] == section_key), None)
    updated = dict(values)
    if section is None:
        return updated
    rows = _rows(values, section_key)
    if len(rows) < repeat_bounds(section)[1]:
        rows = [*rows, {}]
    updated[section_key] = rows
    return updated


def remove_row(values: Mapping[str, Any], section_key: str, index: int) -> dict[str, Any]:
    updated = dict(values)
    rows = _rows(values, section_key)
    if 0 <= index < len(rows):
        updated[section_key] = rows[:index] + rows[index + 1 :]
    return updated


def page_sections(schema: Schema, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Sections as the form page renders them: repeatable ones with their rows bound.

    A group shows its stored rows, and at least `min` of them so a required
    group has inputs; with min 0 the resident adds the first row.
    """
    out = []
    for section in sections(schema):
        if not is_repeat(section):
            out.append(section)
            continue
        minimum, maximum = repeat_bounds(section)
        count = max(len(_rows(values, section["key"])), minimum)
        rows = [
            {
                "index": i,
                "number": i + 1,
                "fields": [
                    _row_field(section, i, f) if f.get("type") not in DISPLAY_ONLY_TYPES else f
                    for f in section.get("fields", [])
                ],
            }
            for i in range(count)
        ]
        out.append({**section, "rows": rows, "can_add": count < maximum, "min_rows": minimum, "max_rows": maximum})
    return out


def page_values(schema: Schema, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values keyed as the page names its inputs (row fields by row path), defaults filled in."""
    flat = {f["key"]: f["default"] for f in input_fields(schema) if "default" in f}
    flat.update({k: v for k, v in values.items() if not isinstance(v, list) or k not in _repeat_keys(schema)})
    for section in repeat_sections(schema):
        for i, row in enumerate(_rows(values, section["key"])):
            for k, v in row.items():
                flat[row_path(section["key"], i, k)] = v
    return flat


def _repeat_keys(schema: Schema) -> set[str]:
    return {s["key"] for s in repeat_sections(schema)}


_FIXED_LABELS = {"yesno": {"yes": "예", "no": "아니오"}, "consent": {"agree": "동의함", "disagree": "동의하지 않음"}}
_FIXED_LABELS_EN = {"yesno": {"yes": "Yes", "no": "No"}, "consent": {"agree": "Agreed", "disagree": "Not agreed"}}


def choice_label(f: Field, value: Any, *, english: bool = False) -> Any:
    """A stored value as a person reads it: choice labels, 예/아니오, 동의함.

    english=True (the resident's review page) takes the English labels where
    the form has them; archives and the console stay Korean.
    """
    if value is None:
        return None
    fixed = (_FIXED_LABELS_EN if english else _FIXED_LABELS).get(f.get("type", ""))
    labels = fixed or {str(c["value"]): _text_in(c, "label", english, str(c["value"])) for c in f.get("choices", [])}
    if isinstance(value, list):
        return ", ".join(str(labels.get(str(v), v)) for v in value)
    if isinstance(value, dict):
        return value.get("name") or ""
    return labels.get(str(value), value)


def mask(f: Field, value: Any) -> str:
    """Masked form of a sensitive value for screens, e.g. 900101-1******."""
    text = "" if value is None else str(value)
    if f.get("type") in SENSITIVE_TYPES and len(text) == 14:
        return text[:8] + "*" * 6
    if len(text) <= 2:
        return "*" * len(text)
    return text[:1] + "*" * (len(text) - 1)


def display_sections(
    schema: Schema, values: Mapping[str, Any], *, masked: bool = True, english: bool = False
) -> list[dict[str, Any]]:
    """Visible sections as rows of (label, readable value), repeatable rows flattened.

    Offered to the console and the PDF so a 세대원 list shows as
    "세대원 1 · 성명" rows; sensitive values are masked unless masked=False.
    english=True takes the form's English texts where it has them (the
    resident's review page); the console and the archived PDF stay Korean.
    """
    shown = visible(schema, values)
    out = []
    for section in sections(schema):
        if section.get("key") not in shown and is_repeat(section):
            continue
        rows: list[dict[str, Any]] = []
        if is_repeat(section):
            for i, row in enumerate(_rows(values, section["key"])):
                for f in row_fields(section):
                    if f["key"] in row:
                        value = row[f["key"]]
                        rows.append(
                            {
                                "key": row_path(section["key"], i, f["key"]),
                                "label": f"{_text_in(section, 'title', english, '')} {i + 1} · "
                                f"{_text_in(f, 'label', english, f['key'])}",
                                "type": f.get("type"),
                                "value": mask(f, value)
                                if masked and is_sensitive(f)
                                else choice_label(f, value, english=english),
                            }
                        )
        else:
            for f in section.get("fields", []):
                key = f.get("key", "")
                if f.get("type") in DISPLAY_ONLY_TYPES or key not in shown or key not in values:
                    continue
                value = values[key]
                rows.append(
                    {
                        "key": key,
                        "label": _text_in(f, "label", english, key),
                        "type": f.get("type"),
                        "value": mask(f, value)
                        if masked and is_sensitive(f)
                        else choice_label(f, value, english=english),
                    }
                )
        if rows:
            out.append({"title": _text_in(section, "title", english, ""), "rows": rows})
    return out


# --- shared fields (semantic keys) -------------------------------------------
def semantic_values(schema: Schema, values: Mapping[str, Any]) -> dict[str, Any]:
    """{semantic key: value} for the filled, visible fields of a form (e.g. applicant.name)."""
    shown = visible(schema, values)
    return {
        f["semantic"]: values[f["key"]]
        for f in input_fields(schema)
        if f.get("semantic") and f["key"] in shown and not _is_blank(values.get(f["key"]))
    }


def prefill(schema: Schema, shared: Mapping[str, Any]) -> dict[str, Any]:
    """Values for this form's fields that share a semantic key with something already entered.

    A value only carries over when it is valid for the target field, so a
    text field's value never lands in a stricter field unchecked.
    """
    out: dict[str, Any] = {}
    for f in input_fields(schema):
        semantic = f.get("semantic")
        if semantic and semantic in shared:
            value, error, _ = validate_value(f, shared[semantic])
            if not error and value is not None:
                out[f["key"]] = value
    return out


# --- checking a schema (admin editing, pack import, publishing) --------------
FIELD_TYPES = frozenset(VALIDATORS)
FIELD_TYPE_LABELS = {
    "text": "짧은 글",
    "textarea": "긴 글",
    "number": "숫자",
    "date": "날짜",
    "daterange": "기간",
    "phone": "전화번호",
    "email": "전자우편",
    "rrn": "주민등록번호",
    "frn": "외국인등록번호",
    "brn": "사업자등록번호",
    "address": "주소",
    "choice": "하나 고르기",
    "multichoice": "여러 개 고르기",
    "yesno": "예/아니오",
    "consent": "동의",
    "signature": "서명",
    "file": "파일 첨부",
    "seal": "도장(인감) 사진",
    "guidance": "안내문",
}
CONSENT_PARTS = {
    "purpose": "수집·이용 목적",
    "items": "수집 항목",
    "retention": "보유·이용 기간",
    "refusal": "동의를 거부할 권리와 거부 시 불이익",
}


def consent_parts(f: Field) -> dict[str, str]:
    """The four parts a 개인정보 수집·이용 동의 must state (개인정보 보호법 제15조②)."""
    consent = f.get("consent")
    return {k: str(consent.get(k, "")) for k in CONSENT_PARTS} if isinstance(consent, dict) else {}


def _check_field(f: Field, path: str, problems: list[str], in_rows: bool) -> None:
    kind = f.get("type")
    if kind not in FIELD_TYPES:
        problems.append(
            f"{path}.type: 알 수 없는 형식 '{kind}'입니다. {', '.join(sorted(FIELD_TYPES))} 중 하나로 고쳐 주세요."
        )
        return
    if kind not in DISPLAY_ONLY_TYPES and not str(f.get("label", "")).strip():
        problems.append(f"{path}.label: 항목 이름(label)을 적어 주세요.")
    if kind in DISPLAY_ONLY_TYPES and not str(f.get("help", "")).strip():
        problems.append(f"{path}.help: 안내문에 보여 줄 글(help)을 적어 주세요.")
    if in_rows and kind in NOT_IN_ROWS:
        problems.append(
            f"{path}.type: '{FIELD_TYPE_LABELS[kind]}' 항목은 반복 구역에 둘 수 없습니다. 반복하지 않는 구역으로 옮겨 주세요."
        )
    if kind in {"choice", "multichoice"}:
        choices = f.get("choices")
        if not isinstance(choices, list) or not choices:
            problems.append(f"{path}.choices: 고를 항목(choices)을 하나 이상 적어 주세요.")
        else:
            seen: set[str] = set()
            for c, choice in enumerate(choices):
                if not isinstance(choice, dict) or "value" not in choice or not str(choice.get("label", "")).strip():
                    problems.append(f"{path}.choices[{c}]: value와 label을 모두 적어 주세요.")
                    continue
                if str(choice["value"]) in seen:
                    problems.append(
                        f"{path}.choices[{c}].value: '{choice['value']}' 값이 중복됩니다. 다른 값으로 고쳐 주세요."
                    )
                seen.add(str(choice["value"]))
    if kind == "consent" and f.get("required"):
        parts = consent_parts(f)
        missing = [label for k, label in CONSENT_PARTS.items() if not parts.get(k, "").strip()]
        if missing:
            problems.append(
                f"{path}.consent: 필수 동의에는 {', '.join(missing)}을(를) 적어야 합니다 (개인정보 보호법 제15조)."
            )
    for bound in ("max_length", "min", "max", "max_size_mb", "max_days"):
        if bound in f and (not isinstance(f[bound], int | float) or isinstance(f[bound], bool)):
            problems.append(f"{path}.{bound}: 숫자로 적어 주세요.")
    if isinstance(f.get("max_length"), int) and f["max_length"] < 1:
        problems.append(f"{path}.max_length: 1 이상으로 적어 주세요.")
    if isinstance(f.get("min"), int | float) and isinstance(f.get("max"), int | float) and f["min"] > f["max"]:
        problems.append(f"{path}.min: 최솟값이 최댓값보다 큽니다. 두 값을 바꿔 주세요.")
    for bound in ("min_date", "max_date"):
        if bound in f:
            try:
                resolve_date_bound(f[bound])
            except (TypeError, ValueError):
                problems.append(
                    f"{path}.{bound}: 'YYYY-MM-DD', 'today', 'today-30d', 'today+30d' 중 하나의 형식으로 적어 주세요."
                )
    if "help" in f and not isinstance(f["help"], str):
        problems.append(f"{path}.help: 도움말은 글로 적어 주세요.")
    if kind in ATTACHMENT_TYPES and f.get("accept"):
        allowed = {"image/jpeg", "image/png"} | ({"application/pdf"} if kind == "file" else set())
        for a, content_type in enumerate(f["accept"]):
            if content_type not in allowed:
                problems.append(
                    f"{path}.accept[{a}]: '{content_type}'은(는) 받을 수 없습니다. {', '.join(sorted(allowed))} 중에서 고르세요."
                )


def _choice_values_of(f: Field) -> list[str] | None:
    if f.get("type") in CHOICE_VALUES:
        return CHOICE_VALUES[f["type"]]
    if f.get("type") in {"choice", "multichoice"}:
        return [str(c.get("value")) for c in f.get("choices", []) if isinstance(c, dict)]
    return None


def _check_condition(
    cond: Any, path: str, problems: list[str], targets: Mapping[str, Field], own_key: str | None
) -> str | None:
    if cond is None:
        return None
    if not isinstance(cond, dict) or "field" not in cond or "equals" not in cond:
        problems.append(f'{path}: 조건은 {{"field": 항목 키, "equals": 값}} 형식으로 적어 주세요.')
        return None
    target = cond["field"]
    if target == own_key:
        problems.append(f"{path}.field: 자기 자신을 조건으로 쓸 수 없습니다.")
        return None
    if target not in targets:
        problems.append(f"{path}.field: 조건의 필드 '{target}'가 없습니다. 이 구역 앞쪽의 항목 키로 고쳐 주세요.")
        return None
    allowed = _choice_values_of(targets[target])
    wanted = cond["equals"] if isinstance(cond["equals"], list) else [cond["equals"]]
    if allowed is not None:
        for value in wanted:
            if str(value) not in allowed:
                problems.append(
                    f"{path}.equals: '{value}'은(는) '{target}'의 선택지에 없습니다. {', '.join(allowed)} 중에서 고르세요."
                )
    return str(target)


def _key_ok(key: Any, path: str, what: str, example: str, taken: set[str], problems: list[str]) -> str | None:
    """The key when it is well formed and new, else None with the problem recorded."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        problems.append(f"{path}: {what}는 영문 소문자로 시작하는 소문자·숫자·_ 로 적어 주세요. 예: {example}")
        return None
    if key in taken:
        problems.append(f"{path}: '{key}' 키가 중복됩니다. 다른 키로 고쳐 주세요.")
        return None
    return key


def check_schema(schema: Any, path: str = "schema") -> list[str]:
    """Every problem of a schema as "path: Korean message that says how to fix it"."""
    problems: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        return [f"{path}.sections: 구역(sections) 목록이 필요합니다."]
    top: dict[str, Field] = {}
    keys: set[str] = set()
    depends: dict[str, set[str]] = {}
    for i, section in enumerate(schema["sections"]):
        spath = f"{path}.sections[{i}]"
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            problems.append(f"{spath}.fields: 항목(fields) 목록이 필요합니다.")
            continue
        skey = _key_ok(section.get("key"), f"{spath}.key", "구역 키", "applicant", keys, problems)
        if skey:
            keys.add(skey)
        if not str(section.get("title", "")).strip():
            problems.append(f"{spath}.title: 구역 제목(title)을 적어 주세요.")
        repeat = section.get("repeat")
        if repeat is not None and (
            not isinstance(repeat, dict)
            or not all(isinstance(repeat.get(b), int) and not isinstance(repeat.get(b), bool) for b in ("min", "max"))
            or not 0 <= repeat["min"] <= repeat["max"] <= 50
            or repeat["max"] < 1
        ):
            problems.append(f'{spath}.repeat: {{"min": 0 이상, "max": 1~50}} 형식으로, min은 max 이하로 적어 주세요.')
        in_rows = repeat is not None
        row_keys: dict[str, Field] = {}
        for j, f in enumerate(section["fields"]):
            fpath = f"{spath}.fields[{j}]"
            if not isinstance(f, dict):
                problems.append(f"{fpath}: 항목은 {{...}} 형식이어야 합니다.")
                continue
            key = _key_ok(f.get("key"), f"{fpath}.key", "항목 키", "applicant_name", keys | set(row_keys), problems)
            if not key:
                _check_field(f, fpath, problems, in_rows)
                continue
            if in_rows:
                row_keys[key] = f
            else:
                keys.add(key)
                if f.get("type") not in DISPLAY_ONLY_TYPES:
                    top[key] = f
            _check_field(f, fpath, problems, in_rows)
        for j, f in enumerate(section["fields"]):
            if isinstance(f, dict) and f.get("show_if") is not None:
                scope = {**top, **row_keys} if in_rows else top
                target = _check_condition(f["show_if"], f"{spath}.fields[{j}].show_if", problems, scope, f.get("key"))
                if target and not in_rows:
                    depends.setdefault(str(f.get("key")), set()).add(target)
    # Section conditions may point at any top-level field; check after all are known.
    for i, section in enumerate(schema["sections"]):
        if isinstance(section, dict) and section.get("show_if") is not None:
            own = {f.get("key") for f in section.get("fields", []) if isinstance(f, dict)}
            target = _check_condition(section["show_if"], f"{path}.sections[{i}].show_if", problems, top, None)
            if target in own:
                problems.append(
                    f"{path}.sections[{i}].show_if.field: 구역 안의 항목을 그 구역의 조건으로 쓸 수 없습니다."
                )
            elif target:
                for key in own:
                    depends.setdefault(str(key), set()).add(target)
    problems.extend(_cycles(depends, path))
    seen: dict[str, str] = {}
    for key, f in top.items():
        semantic = f.get("semantic")
        if semantic and semantic in seen:
            problems.append(
                f"{path}: 공유 키 '{semantic}'를 '{seen[semantic]}'와 '{key}' 두 항목이 씁니다. 하나는 다른 공유 키로 고쳐 주세요."
            )
        elif semantic:
            seen[str(semantic)] = key
    return problems


def _cycles(depends: Mapping[str, set[str]], path: str) -> list[str]:
    problems = []
    for start in sorted(depends):
        stack, seen = list(depends[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                problems.append(f"{path}: '{start}' 항목의 표시 조건이 돌고 돕니다(순환). 조건 중 하나를 지워 주세요.")
                break
            if node not in seen:
                seen.add(node)
                stack.extend(depends.get(node, ()))
    return problems
