"""Form version lifecycle: draft → published → retired, and the diff admins read.

Each function owns its transaction and locks the rows it changes; errors carry
a stable `code` (see intake/services.py for the same pattern).
"""

import copy
import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import schema as form_schema
from .models import FormTemplate, FormVersion, VersionFrozen

__all__ = [
    "CatalogError",
    "Change",
    "DraftExists",
    "EditsNotSaved",
    "InvalidSchema",
    "Unchanged",
    "VersionFrozen",
    "WrongStatus",
    "compile_rows",
    "diff_versions",
    "new_draft_from",
    "publish_version",
    "retire_version",
    "rows_from_schema",
    "save_draft_schema",
    "save_rows",
]


class CatalogError(Exception):
    code = "catalog_error"
    message = "서식을 처리하지 못했습니다."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class WrongStatus(CatalogError):
    code = "wrong_status"
    message = "지금 상태에서는 할 수 없는 일입니다."


class DraftExists(CatalogError):
    code = "draft_exists"
    message = "이미 고치고 있는 초안이 있습니다. 그 초안을 고치거나 게시해 주세요."


class EditsNotSaved(CatalogError):
    code = "edits_not_saved"
    message = (
        "항목 표에 저장되지 않은 변경이 있어 게시하지 않았습니다. "
        "표에 표시된 고칠 곳을 고쳐 저장한 뒤 다시 게시해 주세요."
    )


class Unchanged(CatalogError):
    code = "unchanged"
    message = "게시 중인 버전과 바뀐 곳이 없어 게시하지 않았습니다. 필드를 고쳐 저장한 뒤 게시해 주세요."


class InvalidSchema(CatalogError):
    code = "invalid_schema"
    message = "서식 정의에 고칠 곳이 있습니다."

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{self.message} " + "; ".join(problems))
        self.problems = problems


def _locked(version: FormVersion) -> FormVersion:
    return FormVersion.objects.select_for_update().select_related("template").get(pk=version.pk)


def save_draft_schema(version: FormVersion, schema: dict[str, Any], paper_sheets: int | None = None) -> FormVersion:
    """Replace a draft's fields. A published version is frozen: make a new draft instead."""
    problems = form_schema.check_schema(schema)
    if problems:
        raise InvalidSchema(problems)
    with transaction.atomic():
        locked = _locked(version)
        if locked.is_frozen:
            raise VersionFrozen(["schema"])
        locked.schema = schema
        if paper_sheets is not None:
            locked.paper_sheets = paper_sheets
        locked.save(update_fields=["schema", "paper_sheets"])
    return locked


def publish_version(version: FormVersion, *, now: Any = None) -> FormVersion:
    """Publish a draft; the version published before it is retired in the same transaction.

    Drafts and submissions already made on the old version stay on it: they
    keep validating and rendering against their own frozen schema.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the form's versions in a fixed order, so two admins publishing
        # at once queue instead of leaving two published versions.
        list(FormVersion.objects.select_for_update().filter(template_id=version.template_id).order_by("pk"))
        locked = _locked(version)
        if locked.status != FormVersion.Status.DRAFT:
            raise WrongStatus("초안만 게시할 수 있습니다. 이 버전은 이미 게시되었거나 폐지되었습니다.")
        problems = form_schema.check_schema(locked.schema)
        if problems:
            raise InvalidSchema(problems)
        _refuse_unsaved_rows(locked)
        published = FormVersion.objects.filter(
            template_id=locked.template_id, status=FormVersion.Status.PUBLISHED
        ).first()
        if published is not None and _same_content(published, locked):
            raise Unchanged(
                f"게시 중인 v{published.number}와 바뀐 곳이 없어 게시하지 않았습니다. "
                "필드를 고쳐 저장한 뒤 게시해 주세요."
            )
        FormVersion.objects.filter(template_id=locked.template_id, status=FormVersion.Status.PUBLISHED).update(
            status=FormVersion.Status.RETIRED, retired_at=now
        )
        locked.status = FormVersion.Status.PUBLISHED
        locked.published_at = now
        locked.save(update_fields=["status", "published_at"])
        # The editing rows served the draft; the frozen schema is all that remains.
        locked.field_rows.all().delete()
    return locked


def _refuse_unsaved_rows(version: FormVersion) -> None:
    """The field rows are what the admin last saw; a schema that does not match
    them means a save was refused (or never made), and publishing would put on
    residents' phones something other than what the admin believes they did."""
    if not version.field_rows.exists():
        return
    schema, problems = compile_rows(version)
    if problems or schema != version.schema:
        raise EditsNotSaved()


def _same_content(a: FormVersion, b: FormVersion) -> bool:
    return a.schema == b.schema and a.paper_sheets == b.paper_sheets


def retire_version(version: FormVersion, *, now: Any = None) -> FormVersion:
    """Take a published version off residents' phones. Its submissions are untouched."""
    with transaction.atomic():
        locked = _locked(version)
        if locked.status != FormVersion.Status.PUBLISHED:
            raise WrongStatus("게시 중인 버전만 폐지할 수 있습니다.")
        locked.status = FormVersion.Status.RETIRED
        locked.retired_at = now or timezone.now()
        locked.save(update_fields=["status", "retired_at"])
    return locked


def new_draft_from(version: FormVersion) -> FormVersion:
    """The next version number as a draft, starting from a copy of `version`."""
    with transaction.atomic():
        template = FormTemplate.objects.select_for_update().get(pk=version.template_id)
        if template.versions.filter(status=FormVersion.Status.DRAFT).exists():
            raise DraftExists()
        number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return FormVersion.objects.create(
            template=template,
            number=number,
            status=FormVersion.Status.DRAFT,
            schema=copy.deepcopy(version.schema),
            paper_sheets=version.paper_sheets,
        )


# --- diff ------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed", "moved"
    where: str  # the section or field, as the admin reads it
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}" if self.detail else self.where


_ATTRIBUTE_NAMES = {
    "label": "이름",
    "label_en": "영문 이름",
    "type": "형식",
    "required": "필수",
    "help": "도움말",
    "help_en": "영문 도움말",
    "max_length": "최대 글자 수",
    "min": "최솟값",
    "max": "최댓값",
    "min_date": "가장 이른 날짜",
    "max_date": "가장 늦은 날짜",
    "max_days": "최대 기간(일)",
    "semantic": "공유 키",
    "sensitive": "민감정보",
    "show_if": "표시 조건",
    "accept": "받는 파일 형식",
    "max_size_mb": "최대 크기(MB)",
    "default": "기본값",
    "consent": "동의 내용",
    "consent_en": "영문 동의 내용",
    "title": "제목",
    "title_en": "영문 제목",
    "repeat": "반복 줄 수",
    "require_postcode": "우편번호 필수",
    "require_detail": "상세 주소 필수",
    "address_level": "주소 수준",
}


def _shown(value: Any) -> str:
    if value is True:
        return "예"
    if value is False or value is None:
        return "아니오" if value is False else "(없음)"
    if isinstance(value, dict) and "field" in value:
        equals = value.get("equals")
        return f"{value['field']} = {' 또는 '.join(map(str, equals)) if isinstance(equals, list) else equals}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _attribute_changes(old: dict[str, Any], new: dict[str, Any], where: str) -> list[Change]:
    changes = []
    for name in sorted(
        set(old) | set(new), key=lambda n: list(_ATTRIBUTE_NAMES).index(n) if n in _ATTRIBUTE_NAMES else 99
    ):
        if name in {"key", "fields", "choices"} or old.get(name) == new.get(name):
            continue
        label = _ATTRIBUTE_NAMES.get(name, name)
        changes.append(Change("changed", where, f"{label} {_shown(old.get(name))} → {_shown(new.get(name))}"))
    old_choices = {str(c.get("value")): c for c in old.get("choices", []) if isinstance(c, dict)}
    new_choices = {str(c.get("value")): c for c in new.get("choices", []) if isinstance(c, dict)}
    for value in new_choices.keys() - old_choices.keys():
        changes.append(Change("added", where, f"선택지 '{new_choices[value].get('label', value)}' 추가"))
    for value in old_choices.keys() - new_choices.keys():
        changes.append(Change("removed", where, f"선택지 '{old_choices[value].get('label', value)}' 삭제"))
    for value in old_choices.keys() & new_choices.keys():
        if old_choices[value].get("label") != new_choices[value].get("label"):
            changes.append(
                Change(
                    "changed",
                    where,
                    f"선택지 '{old_choices[value].get('label')}' → '{new_choices[value].get('label')}'",
                )
            )
    return changes


def _field_index(schema: dict[str, Any]) -> dict[str, tuple[str, int, dict[str, Any]]]:
    return {
        f["key"]: (str(section.get("key")), position, f)
        for section in form_schema.stored_sections(schema)
        for position, f in enumerate(section.get("fields", []))
        if isinstance(f, dict) and "key" in f
    }


def diff_versions(old: FormVersion, new: FormVersion) -> list[Change]:
    """What changed from `old` to `new`, in words an admin reads: sections, fields, choices, sheets."""
    changes: list[Change] = []
    old_sections = {s.get("key"): s for s in form_schema.stored_sections(old.schema)}
    new_sections = {s.get("key"): s for s in form_schema.stored_sections(new.schema)}
    for key, section in new_sections.items():
        where = f"구역 '{section.get('title', key)}'"
        if key not in old_sections:
            changes.append(Change("added", where, "추가"))
        else:
            changes.extend(_attribute_changes(old_sections[key], section, where))
    for key, section in old_sections.items():
        if key not in new_sections:
            changes.append(Change("removed", f"구역 '{section.get('title', key)}'", "삭제"))
    old_fields, new_fields = _field_index(old.schema), _field_index(new.schema)
    # A field counts as moved only when it leaves the longest common order,
    # so inserting one field does not mark every field after it as moved.
    old_order = [k for k in old_fields if k in new_fields]
    new_order = [k for k in new_fields if k in old_fields]
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    in_place = {old_order[b.a + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
    for key, (section_key, position, f) in new_fields.items():
        where = f"항목 '{f.get('label') or key}' ({key})"
        if key not in old_fields:
            title = new_sections.get(section_key, {}).get("title", section_key)
            changes.append(Change("added", where, f"'{title}' 구역에 추가"))
            continue
        old_section, old_position, old_f = old_fields[key]
        if old_section != section_key:
            title = new_sections.get(section_key, {}).get("title", section_key)
            changes.append(Change("moved", where, f"'{title}' 구역으로 옮김"))
        elif key not in in_place:
            changes.append(Change("moved", where, f"순서 {old_position + 1}번째 → {position + 1}번째"))
        changes.extend(_attribute_changes(old_f, f, where))
    for key, (_, _, f) in old_fields.items():
        if key not in new_fields:
            changes.append(Change("removed", f"항목 '{f.get('label') or key}' ({key})", "삭제"))
    if old.paper_sheets != new.paper_sheets:
        changes.append(Change("changed", "종이 매수", f"{old.paper_sheets}매 → {new.paper_sheets}매"))
    return changes


# --- editing a draft as rows (admin) ---------------------------------------------
_ROW_COLUMNS = ("label", "label_en", "required", "help", "max_length", "semantic")
_NOT_OPTIONS = {"key", "type", "choices", "show_if", *_ROW_COLUMNS}


def _choices_text(choices: list[dict[str, Any]]) -> str:
    lines = []
    for c in choices:
        line = f"{c.get('value')}={c.get('label', '')}"
        lines.append(line + (f" | {c['label_en']}" if c.get("label_en") else ""))
    return "\n".join(lines)


def _show_if_text(condition: dict[str, Any] | None) -> str:
    if not condition:
        return ""
    equals = condition.get("equals")
    return f"{condition.get('field')}={'|'.join(map(str, equals)) if isinstance(equals, list) else equals}"


def rows_from_schema(version: FormVersion) -> list[Any]:
    """Replace a draft's editing rows with its current schema, one row per field."""
    from .models import FieldRow

    with transaction.atomic():
        FieldRow.objects.filter(version=version).delete()
        rows = []
        order = 0
        for section in form_schema.stored_sections(version.schema):
            for position, f in enumerate(section.get("fields", [])):
                order += 10
                rows.append(
                    FieldRow(
                        version=version,
                        order=order,
                        section=section.get("key", ""),
                        section_title=section.get("title", "") if position == 0 else "",
                        key=f.get("key", ""),
                        type=f.get("type", "text"),
                        label=f.get("label", ""),
                        label_en=f.get("label_en", ""),
                        required=bool(f.get("required")),
                        help=f.get("help", ""),
                        max_length=f.get("max_length"),
                        choices=_choices_text(f.get("choices", [])),
                        semantic=f.get("semantic", ""),
                        show_if=_show_if_text(f.get("show_if")),
                        options={k: v for k, v in f.items() if k not in _NOT_OPTIONS},
                    )
                )
        return FieldRow.objects.bulk_create(rows)


def _parse_choices(text: str, where: str, problems: list[str]) -> list[dict[str, Any]]:
    choices = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value, sep, label = line.partition("=")
        if not sep or not value.strip() or not label.strip():
            problems.append(f"{where}.choices {n}번째 줄: '값=이름' 형식으로 적어 주세요. 예: self=본인")
            continue
        label, _, label_en = label.partition(" | ")
        choice = {"value": value.strip(), "label": label.strip()}
        if label_en.strip():
            choice["label_en"] = label_en.strip()
        choices.append(choice)
    return choices


def _parse_show_if(text: str, where: str, problems: list[str]) -> dict[str, Any] | None:
    if not text.strip():
        return None
    field_key, sep, values = text.partition("=")
    wanted = [v.strip() for v in values.split("|") if v.strip()]
    if not sep or not field_key.strip() or not wanted:
        problems.append(
            f"{where}.show_if: '항목키=값' 또는 '항목키=값1|값2' 형식으로 적어 주세요. 예: applicant_type=proxy"
        )
        return None
    return {"field": field_key.strip(), "equals": wanted[0] if len(wanted) == 1 else wanted}


def compile_rows(version: FormVersion) -> tuple[dict[str, Any], list[str]]:
    """The schema the draft's rows describe, and any problems (Korean, with where)."""
    problems: list[str] = []
    existing = {s.get("key"): s for s in form_schema.stored_sections(version.schema)}
    sections: dict[str, dict[str, Any]] = {}
    for row in version.field_rows.order_by("order", "pk"):
        where = f"항목 '{row.key or '?'}'"
        section = sections.get(row.section)
        if section is None:
            kept = {k: v for k, v in existing.get(row.section, {}).items() if k != "fields"}
            section = sections[row.section] = {**kept, "key": row.section, "fields": []}
        if row.section_title:
            section["title"] = row.section_title
        f: dict[str, Any] = {"key": row.key, "type": row.type}
        for column in _ROW_COLUMNS:
            value = getattr(row, column)
            if value not in ("", None) or column == "required":
                f[column] = value
        if row.choices.strip():
            f["choices"] = _parse_choices(row.choices, where, problems)
        condition = _parse_show_if(row.show_if, where, problems)
        if condition:
            f["show_if"] = condition
        if not isinstance(row.options, dict):
            problems.append(f"{where}.options: {{...}} 형식의 JSON으로 적어 주세요.")
        else:
            f.update({k: v for k, v in row.options.items() if k not in _NOT_OPTIONS})
        section["fields"].append(f)
    # What the rows do not edit (the 위임장 rule) is kept as the schema had it.
    schema = {
        "sections": list(sections.values()),
        **{k: v for k, v in (version.schema or {}).items() if k != "sections"},
    }
    for problem in form_schema.check_schema(schema):
        path, _, message = problem.partition(": ")
        problems.append(f"{_readable_path(schema, path)}: {message}")
    return schema, problems


def _readable_path(schema: dict[str, Any], path: str) -> str:
    """schema.sections[1].fields[2].type → 항목 'proxy_name' (schema.sections[1].fields[2].type)."""
    match = re.match(r"schema\.sections\[(\d+)\](?:\.fields\[(\d+)\])?", path)
    if not match:
        return path
    section = schema["sections"][int(match.group(1))]
    if match.group(2) is None:
        return f"구역 '{section.get('key')}' ({path})"
    return f"항목 '{section['fields'][int(match.group(2))].get('key')}' ({path})"


def save_rows(version: FormVersion) -> FormVersion:
    """Compile a draft's rows into its schema; refuse (InvalidSchema) and keep the old schema on any problem."""
    schema, problems = compile_rows(version)
    if problems:
        raise InvalidSchema(problems)
    return save_draft_schema(version, schema)
