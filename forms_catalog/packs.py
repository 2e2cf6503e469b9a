"""Form packs: the JSON format offices use to share forms (docs/FORM_PACKS.md).

A pack is checked in three layers before anything is written: its shape
against packs/form-pack.schema.json (jsonschema), each version's schema
against the rules of schema.check_schema, and the pack against the database
(a published version may never change). Every problem is reported with its
path. The import then writes in one transaction, so a pack is imported whole
or not at all, and importing the same pack twice changes nothing.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as JsonSchemaError

from . import backoffice, terms
from .models import FormTemplate, FormVersion, Service
from .schema import check_schema

PACK_FORMAT = "minwon-form-pack"
PACK_FORMAT_VERSION = 1
JSON_SCHEMA_PATH = Path(__file__).resolve().parent / "packs" / "form-pack.schema.json"
TEMPLATE_FIELDS = ("title", "title_en", "category", "legal_basis", "retention_years", "backoffice_fields")
TEMPLATE_DEFAULTS: dict[str, Any] = {
    "title_en": "",
    "category": "",
    "legal_basis": "",
    "retention_years": 5,
    "backoffice_fields": [],
}


class PackError(Exception):
    code = "invalid_pack"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    created_forms: list[str] = field(default_factory=list)
    updated_forms: list[str] = field(default_factory=list)
    created_versions: list[str] = field(default_factory=list)
    updated_versions: list[str] = field(default_factory=list)
    unchanged_versions: list[str] = field(default_factory=list)
    retired_versions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created_forms
            or self.updated_forms
            or self.created_versions
            or self.updated_versions
            or self.retired_versions
        )


# --- checking ----------------------------------------------------------------
@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(pack)"


def _korean(error: JsonSchemaError) -> str:
    """A jsonschema error as a Korean message that says how to fix it."""
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return f"'{missing}' 값이 필요합니다. 추가해 주세요."
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"알 수 없는 속성 {', '.join(map(repr, extra))}입니다. 철자를 확인하거나 지워 주세요."
    if kind == "type":
        names = {"string": "글", "integer": "정수", "number": "숫자", "boolean": "true/false", "array": "목록 [...]"}
        wanted = expected if isinstance(expected, list) else [expected]
        return f"{' 또는 '.join(names.get(str(w), str(w)) for w in wanted)} 형식으로 적어 주세요."
    if kind == "enum":
        return f"{', '.join(map(str, expected))} 중 하나로 적어 주세요. 지금: {error.instance!r}"
    if kind == "const":
        return f"{expected!r}이어야 합니다."
    if kind in {"minimum", "exclusiveMinimum"}:
        return f"{expected}{' 이상' if kind == 'minimum' else '보다 크게'} 적어 주세요."
    if kind == "maximum":
        return f"{expected} 이하로 적어 주세요."
    if kind == "minLength":
        return "비어 있습니다. 값을 적어 주세요."
    if kind == "maxLength":
        return f"{expected}자 이내로 줄여 주세요."
    if kind == "minItems":
        return f"{expected}개 이상 적어 주세요."
    if kind == "pattern":
        return f"형식이 맞지 않습니다 (규칙: {expected}). 영문 소문자·숫자·_ 로 적어 주세요."
    if kind == "uniqueItems":
        return "같은 값이 두 번 있습니다. 하나를 지워 주세요."
    return f"형식이 맞지 않습니다. docs/FORM_PACKS.md를 확인해 주세요. ({error.message})"


def _problem_path(problem: str) -> str:
    return problem.split(": ", 1)[0]


def validate_pack(pack: Any) -> list[str]:
    """Every problem in the pack as "path: Korean message", without touching the database."""
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT:
        return [f"format: '{PACK_FORMAT}' 형식의 서식 팩이 아닙니다. 내보내기로 만든 파일인지 확인해 주세요."]
    structural = [f"{_path(e.absolute_path)}: {_korean(e)}" for e in _validator().iter_errors(pack)]
    semantic: list[str] = []
    forms: list[Any] = pack["forms"] if isinstance(pack.get("forms"), list) else []
    codes: set[Any] = set()
    for i, form in enumerate(forms):
        if not isinstance(form, dict):
            continue
        if form.get("code") in codes:
            semantic.append(f"forms[{i}].code: '{form['code']}' 서식이 팩에 두 번 있습니다. 하나로 합쳐 주세요.")
        codes.add(form.get("code"))
        versions: list[Any] = form["versions"] if isinstance(form.get("versions"), list) else []
        numbers: set[Any] = set()
        published = 0
        for j, version in enumerate(versions):
            if not isinstance(version, dict):
                continue
            if version.get("number") in numbers:
                semantic.append(f"forms[{i}].versions[{j}].number: 버전 {version['number']}이(가) 두 번 있습니다.")
            numbers.add(version.get("number"))
            published += version.get("status", "published") == "published"
            semantic.extend(check_schema(version.get("schema"), f"forms[{i}].versions[{j}].schema"))
            semantic.extend(terms.check(version.get("service_terms"), f"forms[{i}].versions[{j}].service_terms")[1])
        if published > 1:
            semantic.append(f"forms[{i}].versions: 게시(published) 버전은 서식마다 하나만 둘 수 있습니다.")
        semantic.extend(
            backoffice.check(
                form.get("backoffice_fields", []),
                f"forms[{i}].backoffice_fields",
                known=backoffice.field_paths(v.get("schema") for v in versions if isinstance(v, dict)),
            )
        )
    # The rule checks say more than the shape check about the same spot.
    covered = {_problem_path(p) for p in semantic}
    return semantic + [p for p in structural if _problem_path(p) not in covered]


def _database_problems(pack: dict[str, Any]) -> list[str]:
    problems = []
    for i, form in enumerate(pack["forms"]):
        existing = {v.number: v for v in FormVersion.objects.filter(template__code=form["code"]) if v.is_frozen}
        for j, version in enumerate(form["versions"]):
            local = existing.get(version["number"])
            if local is not None and local.schema != version["schema"]:
                problems.append(
                    f"forms[{i}].versions[{j}]: {form['code']} v{version['number']}은(는) 이미 게시된 버전과 내용이 다릅니다. "
                    "게시된 버전은 바꿀 수 없으니 새 버전 번호로 내보내 주세요."
                )
    return problems


# --- import ------------------------------------------------------------------
def _published_at(version: dict[str, Any]) -> datetime.datetime | None:
    raw = version.get("published_at")
    if not raw:
        return None
    return datetime.datetime.fromisoformat(raw)


def import_pack(pack: dict[str, Any]) -> ImportReport:
    problems = validate_pack(pack)
    if not problems:
        problems = _database_problems(pack)
    if problems:
        raise PackError(problems)
    report = ImportReport()
    with transaction.atomic():
        for form in pack["forms"]:
            _import_form(form, report)
    return report


def _import_form(form: dict[str, Any], report: ImportReport) -> None:
    wanted = {name: form.get(name, TEMPLATE_DEFAULTS.get(name)) for name in TEMPLATE_FIELDS}
    template, created = FormTemplate.objects.select_for_update().get_or_create(code=form["code"], defaults=wanted)
    if created:
        report.created_forms.append(template.code)
    elif any(getattr(template, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(template, name, value)
        template.save(update_fields=list(TEMPLATE_FIELDS))
        report.updated_forms.append(template.code)
    _import_service(template, form.get("service"), report)
    for version in sorted(form["versions"], key=lambda v: v["number"]):
        _import_version(template, version, report)


def _import_service(template: FormTemplate, spec: dict[str, Any] | None, report: ImportReport) -> None:
    """The pack's 업무 구분, by code (made if new; local names kept). A pack without one leaves the form's own."""
    if not spec:
        return
    service, _ = Service.objects.get_or_create(
        code=spec["code"], defaults={"name": spec["name"], "name_en": spec.get("name_en", "")}
    )
    if template.service_id != service.pk:
        template.service = service
        template.save(update_fields=["service"])
        if template.code not in report.created_forms + report.updated_forms:
            report.updated_forms.append(template.code)


def _import_version(template: FormTemplate, version: dict[str, Any], report: ImportReport) -> None:
    label = f"{template.code} v{version['number']}"
    status = version.get("status", FormVersion.Status.PUBLISHED)
    sheets = version.get("paper_sheets", 1)
    service_terms = version.get("service_terms", {})
    local = FormVersion.objects.select_for_update().filter(template=template, number=version["number"]).first()
    if local is not None:
        # Checked before the transaction: a frozen version here has the same schema.
        if local.schema == version["schema"] and local.paper_sheets == sheets and local.service_terms == service_terms:
            report.unchanged_versions.append(label)
            return
        local.schema = version["schema"] if not local.is_frozen else local.schema
        local.paper_sheets = sheets
        local.service_terms = service_terms
        local.save(update_fields=["schema", "paper_sheets", "service_terms"])
        report.updated_versions.append(label)
        return
    now = timezone.now()
    current = template.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    if status == FormVersion.Status.PUBLISHED and current is not None:
        if current.number > version["number"]:
            # An older published version than ours arrives: keep ours live.
            status = FormVersion.Status.RETIRED
        else:
            current.status, current.retired_at = FormVersion.Status.RETIRED, now
            current.save(update_fields=["status", "retired_at"])
            report.retired_versions.append(f"{template.code} v{current.number}")
    FormVersion.objects.create(
        template=template,
        number=version["number"],
        status=status,
        schema=version["schema"],
        paper_sheets=sheets,
        service_terms=service_terms,
        published_at=(_published_at(version) or now) if status != FormVersion.Status.DRAFT else None,
        retired_at=now if status == FormVersion.Status.RETIRED else None,
    )
    report.created_versions.append(label)


# --- export ------------------------------------------------------------------
def export_pack(templates: Iterable[FormTemplate], *, published_only: bool = False, name: str = "") -> dict[str, Any]:
    """The pack for these forms: every version, or only the published one of each."""
    forms = []
    for template in templates:
        versions = template.versions.order_by("number")
        if published_only:
            versions = versions.filter(status=FormVersion.Status.PUBLISHED)
        exported = [
            {
                "number": v.number,
                "status": v.status,
                "paper_sheets": v.paper_sheets,
                "published_at": v.published_at.isoformat() if v.published_at else None,
                **({"service_terms": v.service_terms} if v.service_terms else {}),
                "schema": v.schema,
            }
            for v in versions
        ]
        if not exported:
            continue
        forms.append(
            {
                "code": template.code,
                **{name: getattr(template, name) for name in TEMPLATE_FIELDS if name != "backoffice_fields"},
                **({"backoffice_fields": template.backoffice_fields} if template.backoffice_fields else {}),
                **({"service": _exported_service(template.service)} if template.service else {}),
                "versions": exported,
            }
        )
    pack: dict[str, Any] = {"format": PACK_FORMAT, "format_version": PACK_FORMAT_VERSION}
    if name:
        pack["name"] = name
    pack["exported_at"] = timezone.now().isoformat()
    pack["forms"] = forms
    return pack


def _exported_service(service: Service) -> dict[str, str]:
    return {"code": service.code, "name": service.name, **({"name_en": service.name_en} if service.name_en else {})}


def dump_pack(pack: dict[str, Any]) -> str:
    return json.dumps(pack, ensure_ascii=False, indent=2) + "\n"


def load_pack_file(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
