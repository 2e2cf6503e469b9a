"""A form version's service terms: its legal processing period, its fee, whether the ID check is required.

Stored as FormVersion.service_terms (JSON, beside the schema, not in it) and
read through `parse()`, which gives typed values or Korean problems that say
how to fix them. Packs carry the same object per version (docs/FORM_PACKS.md).

    {
      "processing": {"unit": "working_days", "amount": 3, "source": "…"},
      "fee": {"basis": "per_copy", "amount": 400, "copies_field": "copies", "source": "…",
              "exemptions": [{"code": "basic_livelihood", "label": "…", "evidence": "…"}]},
      "bring": ["신분증"],
      "id_check": {"required": true, "source": "인감증명법 시행령 제13조"},
      "department": {"name": "민원여권과", "phone": "02-123-4567"}
    }
"""

from dataclasses import dataclass, field
from typing import Any

# 즉시 (immediately) is 3 working hours unless there is a good reason (민원처리법 시행령).
IMMEDIATE_HOURS = 3
UNITS = {
    "immediate": "즉시 (immediately)",
    "hours": "근무시간 (working hours)",
    "working_days": "근무일 (working days)",
}
BASES = {"free": "무료 (free)", "per_copy": "1통당 (per copy)", "per_case": "1건당 (per case)"}
MAX_AMOUNT = 10_000_000


@dataclass(frozen=True)
class Processing:
    unit: str  # one of UNITS
    amount: int = 0
    source: str = ""

    @property
    def label(self) -> str:
        if self.unit == "immediate":
            return "즉시"
        if self.unit == "hours":
            return f"{self.amount}근무시간"
        return f"{self.amount}일"


@dataclass(frozen=True)
class Exemption:
    code: str
    label: str
    evidence: str = ""


@dataclass(frozen=True)
class Fee:
    basis: str = "free"  # one of BASES
    amount: int = 0  # KRW per copy or per case
    copies_field: str = ""
    source: str = ""
    exemptions: tuple[Exemption, ...] = ()

    def exemption(self, code: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.code == code), None)


@dataclass(frozen=True)
class Department:
    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class IdCheck:
    """신분증 확인 필수: the lifecycle refuses `complete` until an officer has ticked the ID check."""

    required: bool = False
    source: str = ""


@dataclass(frozen=True)
class ServiceTerms:
    processing: Processing | None = None
    fee: Fee | None = None
    bring: tuple[str, ...] = ()
    department: Department = field(default_factory=Department)
    id_check: IdCheck = field(default_factory=IdCheck)

    @property
    def id_check_required(self) -> bool:
        return self.id_check.required


class TermsError(Exception):
    code = "invalid_terms"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(raw: dict[str, Any], key: str, path: str, problems: list[str], limit: int = 500) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        problems.append(f"{path}.{key}: {limit}자 이내의 글로 적어 주세요.")
        return ""
    return value


def _amount(raw: dict[str, Any], key: str, path: str, problems: list[str]) -> int:
    value = raw.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_AMOUNT:
        problems.append(f"{path}.{key}: 0 이상 {MAX_AMOUNT} 이하의 정수로 적어 주세요.")
        return 0
    return value


def _processing(raw: Any, path: str, problems: list[str]) -> Processing | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("unit") not in UNITS:
        problems.append(f"{path}.unit: {', '.join(UNITS)} 중 하나로 적어 주세요.")
        return None
    amount = _amount(raw, "amount", path, problems)
    if raw["unit"] != "immediate" and amount < 1:
        problems.append(f"{path}.amount: 처리기간을 1 이상으로 적어 주세요.")
    return Processing(raw["unit"], amount, _text(raw, "source", path, problems))


def _exemptions(raw: Any, path: str, problems: list[str]) -> tuple[Exemption, ...]:
    if not isinstance(raw, list):
        problems.append(f"{path}: 감면 대상을 목록 [...]으로 적어 주세요.")
        return ()
    out, seen = [], set()
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            problems.append(f"{where}: code와 label을 적어 주세요.")
            continue
        code = _text(item, "code", where, problems, 40)
        if code in seen:
            problems.append(f"{where}.code: '{code}'가 두 번 있습니다. 하나를 지워 주세요.")
        seen.add(code)
        out.append(
            Exemption(code, _text(item, "label", where, problems, 200), _text(item, "evidence", where, problems))
        )
    return tuple(out)


def _fee(raw: Any, path: str, problems: list[str]) -> Fee | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("basis", "free") not in BASES:
        problems.append(f"{path}.basis: {', '.join(BASES)} 중 하나로 적어 주세요.")
        return Fee()
    basis = raw.get("basis", "free")
    amount = _amount(raw, "amount", path, problems)
    if basis != "free" and amount < 1:
        problems.append(f"{path}.amount: 유료 수수료는 1원 이상으로 적어 주세요 (무료면 basis를 free로).")
    return Fee(
        basis=basis,
        amount=amount if basis != "free" else 0,
        copies_field=_text(raw, "copies_field", path, problems, 64),
        source=_text(raw, "source", path, problems),
        exemptions=_exemptions(raw.get("exemptions", []), f"{path}.exemptions", problems),
    )


def _id_check(raw: Any, path: str, problems: list[str]) -> IdCheck:
    if raw is None:
        return IdCheck()
    if not isinstance(raw, dict) or not isinstance(raw.get("required", False), bool):
        problems.append(
            f'{path}.required: 신분증 확인이 필수이면 true, 아니면 false로 적어 주세요 ({{"required": true}}).'
        )
        return IdCheck()
    return IdCheck(raw.get("required", False), _text(raw, "source", path, problems))


def check(raw: Any, path: str = "service_terms") -> tuple[ServiceTerms, list[str]]:
    """The terms and every problem found, as "path: Korean message"."""
    problems: list[str] = []
    if raw in (None, {}):
        return ServiceTerms(), problems
    if not isinstance(raw, dict):
        return ServiceTerms(), [f"{path}: {{...}} 형식으로 적어 주세요."]
    unknown = sorted(set(raw) - {"processing", "fee", "bring", "department", "id_check"})
    if unknown:
        problems.append(f"{path}: 알 수 없는 항목 {', '.join(unknown)}입니다. 철자를 확인해 주세요.")
    bring = raw.get("bring", [])
    if not isinstance(bring, list) or not all(isinstance(b, str) for b in bring):
        problems.append(f"{path}.bring: 준비물을 글의 목록 [...]으로 적어 주세요.")
        bring = []
    dept = raw.get("department", {}) if isinstance(raw.get("department", {}), dict) else {}
    terms = ServiceTerms(
        processing=_processing(raw.get("processing"), f"{path}.processing", problems),
        fee=_fee(raw.get("fee"), f"{path}.fee", problems),
        bring=tuple(bring),
        department=Department(
            _text(dept, "name", f"{path}.department", problems, 100),
            _text(dept, "phone", f"{path}.department", problems, 40),
        ),
        id_check=_id_check(raw.get("id_check"), f"{path}.id_check", problems),
    )
    return terms, problems


def parse(raw: Any) -> ServiceTerms:
    terms, problems = check(raw)
    if problems:
        raise TermsError(problems)
    return terms


def of(version: Any) -> ServiceTerms:
    """A stored version's terms; ones that no longer parse count as none rather than breaking a page."""
    terms, problems = check(getattr(version, "service_terms", None))
    return ServiceTerms() if problems else terms
