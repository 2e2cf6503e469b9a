"""Form packs: the JSON format offices use to share forms (docs/FORM_PACKS.md).

Import validates everything first and writes in one transaction, so a pack
is either imported whole or not at all. Importing the same pack twice changes
nothing.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import FormTemplate, FormVersion
from .validators import DISPLAY_ONLY_TYPES, VALIDATORS

PACK_FORMAT = "minwon-form-pack"
FIELD_TYPES = set(VALIDATORS) | set(DISPLAY_ONLY_TYPES) | {"file", "seal"}


class PackError(Exception):
    code = "invalid_pack"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    created_forms: list[str] = field(default_factory=list)
    created_versions: list[str] = field(default_factory=list)
    unchanged_versions: list[str] = field(default_factory=list)


def _check_schema(schema: Any, path: str, problems: list[str]) -> None:
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        problems.append(f"{path}.sections: 섹션 목록이 필요합니다 (a list of sections is required)")
        return
    keys: set[str] = set()
    for i, section in enumerate(schema["sections"]):
        spath = f"{path}.sections[{i}]"
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            problems.append(f"{spath}.fields: 필드 목록이 필요합니다 (a list of fields is required)")
            continue
        for j, f in enumerate(section["fields"]):
            fpath = f"{spath}.fields[{j}]"
            if not isinstance(f, dict) or not f.get("key"):
                problems.append(f"{fpath}.key: 필드 키가 필요합니다 (key is required)")
                continue
            if f["key"] in keys:
                problems.append(f"{fpath}.key: '{f['key']}' 키가 중복됩니다 (duplicate key)")
            keys.add(f["key"])
            if f.get("type") not in FIELD_TYPES:
                problems.append(f"{fpath}.type: 알 수 없는 형식 '{f.get('type')}' (unknown field type)")
    for i, section in enumerate(schema["sections"]):
        for j, f in enumerate(section.get("fields", []) if isinstance(section, dict) else []):
            for where, cond in (
                ("", f.get("show_if") if isinstance(f, dict) else None),
                ("section ", section.get("show_if")),
            ):
                if cond and cond.get("field") not in keys:
                    problems.append(
                        f"{path}.sections[{i}].fields[{j}].show_if: {where}조건의 필드 '{cond.get('field')}'가 없습니다 (unknown field)"
                    )


def validate_pack(pack: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT:
        return [f"format: '{PACK_FORMAT}' 형식이 아닙니다 (not a form pack)"]
    if pack.get("format_version") != 1:
        problems.append("format_version: 1만 지원합니다 (only version 1 is supported)")
    forms = pack.get("forms")
    if not isinstance(forms, list) or not forms:
        return [*problems, "forms: 서식이 하나 이상 필요합니다 (at least one form)"]
    for i, form in enumerate(forms):
        fpath = f"forms[{i}]"
        for key in ("code", "title"):
            if not isinstance(form.get(key), str) or not form.get(key):
                problems.append(f"{fpath}.{key}: 값이 필요합니다 (required)")
        versions = form.get("versions")
        if not isinstance(versions, list) or not versions:
            problems.append(f"{fpath}.versions: 버전이 하나 이상 필요합니다 (at least one version)")
            continue
        for j, version in enumerate(versions):
            vpath = f"{fpath}.versions[{j}]"
            if not isinstance(version.get("number"), int) or version["number"] < 1:
                problems.append(f"{vpath}.number: 1 이상의 정수가 필요합니다 (a positive integer)")
            if version.get("status", "published") not in FormVersion.Status.values:
                problems.append(f"{vpath}.status: draft, published, retired 중 하나여야 합니다")
            if not isinstance(version.get("paper_sheets", 1), int) or version.get("paper_sheets", 1) < 0:
                problems.append(f"{vpath}.paper_sheets: 0 이상의 정수가 필요합니다")
            _check_schema(version.get("schema"), f"{vpath}.schema", problems)
    return problems


def import_pack(pack: dict[str, Any]) -> ImportReport:
    problems = validate_pack(pack)
    if problems:
        raise PackError(problems)
    report = ImportReport()
    with transaction.atomic():
        for form in pack["forms"]:
            template, created = FormTemplate.objects.get_or_create(
                code=form["code"],
                defaults={
                    "title": form["title"],
                    "title_en": form.get("title_en", ""),
                    "category": form.get("category", ""),
                    "legal_basis": form.get("legal_basis", ""),
                    "retention_years": form.get("retention_years", 5),
                },
            )
            if created:
                report.created_forms.append(template.code)
            for version in form["versions"]:
                label = f"{template.code} v{version['number']}"
                existing = FormVersion.objects.filter(template=template, number=version["number"]).first()
                if existing is not None:
                    if existing.schema != version["schema"] and existing.is_frozen:
                        problems.append(f"{label}: 이미 게시된 버전과 내용이 다릅니다. 새 버전 번호로 내보내 주세요.")
                    report.unchanged_versions.append(label)
                    continue
                status = version.get("status", FormVersion.Status.PUBLISHED)
                FormVersion.objects.create(
                    template=template,
                    number=version["number"],
                    status=status,
                    schema=version["schema"],
                    paper_sheets=version.get("paper_sheets", 1),
                    published_at=timezone.now() if status != FormVersion.Status.DRAFT else None,
                )
                report.created_versions.append(label)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise PackError(problems)
    return report


def load_pack_file(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
