"""Checking the stored JSON of a form (admin editing, pack import, publishing).

These read the raw dict, not a FormSchema: their job is to say, path by path,
what is wrong with JSON that may not parse into a sensible form at all.
"""

import re
from collections.abc import Mapping
from typing import Any

from .types import ATTACHMENT_TYPES, CHOICE_VALUES, CONSENT_PARTS, DISPLAY_ONLY_TYPES
from .validators import VALIDATORS, resolve_date_bound

RawField = dict[str, Any]

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
# Types that cannot sit in a repeatable row: uploads and the signature are
# one per form.
NOT_IN_ROWS = ATTACHMENT_TYPES | {"signature", "consent"}
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


def stored_sections(schema: Any) -> list[dict[str, Any]]:
    """The section dicts of the stored JSON (for editing it as rows and diffing versions)."""
    sections = schema.get("sections") if isinstance(schema, Mapping) else None
    return [s for s in sections if isinstance(s, dict)] if isinstance(sections, list) else []


# --- one field -------------------------------------------------------------------
def _check_basics(f: RawField, kind: str, path: str, problems: list[str], in_rows: bool) -> None:
    if kind not in DISPLAY_ONLY_TYPES and not str(f.get("label", "")).strip():
        problems.append(f"{path}.label: 항목 이름(label)을 적어 주세요.")
    if kind in DISPLAY_ONLY_TYPES and not str(f.get("help", "")).strip():
        problems.append(f"{path}.help: 안내문에 보여 줄 글(help)을 적어 주세요.")
    if in_rows and kind in NOT_IN_ROWS:
        problems.append(
            f"{path}.type: '{FIELD_TYPE_LABELS[kind]}' 항목은 반복 구역에 둘 수 없습니다. 반복하지 않는 구역으로 옮겨 주세요."
        )


def _check_choices(f: RawField, kind: str, path: str, problems: list[str]) -> None:
    if kind not in {"choice", "multichoice"}:
        return
    choices = f.get("choices")
    if not isinstance(choices, list) or not choices:
        problems.append(f"{path}.choices: 고를 항목(choices)을 하나 이상 적어 주세요.")
        return
    seen: set[str] = set()
    for c, choice in enumerate(choices):
        if not isinstance(choice, dict) or "value" not in choice or not str(choice.get("label", "")).strip():
            problems.append(f"{path}.choices[{c}]: value와 label을 모두 적어 주세요.")
            continue
        if str(choice["value"]) in seen:
            problems.append(f"{path}.choices[{c}].value: '{choice['value']}' 값이 중복됩니다. 다른 값으로 고쳐 주세요.")
        seen.add(str(choice["value"]))


def _check_consent(f: RawField, kind: str, path: str, problems: list[str]) -> None:
    if kind != "consent" or not f.get("required"):
        return
    consent = f.get("consent")
    parts = {k: str(consent.get(k, "")) for k in CONSENT_PARTS} if isinstance(consent, dict) else {}
    missing = [label for k, label in CONSENT_PARTS.items() if not parts.get(k, "").strip()]
    if missing:
        problems.append(
            f"{path}.consent: 필수 동의에는 {', '.join(missing)}을(를) 적어야 합니다 (개인정보 보호법 제15조)."
        )


def _check_bounds(f: RawField, path: str, problems: list[str]) -> None:
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


def _check_help_and_accept(f: RawField, kind: str, path: str, problems: list[str]) -> None:
    if "help" in f and not isinstance(f["help"], str):
        problems.append(f"{path}.help: 도움말은 글로 적어 주세요.")
    if kind in ATTACHMENT_TYPES and f.get("accept"):
        allowed = {"image/jpeg", "image/png"} | ({"application/pdf"} if kind == "file" else set())
        for a, content_type in enumerate(f["accept"]):
            if content_type not in allowed:
                problems.append(
                    f"{path}.accept[{a}]: '{content_type}'은(는) 받을 수 없습니다. {', '.join(sorted(allowed))} 중에서 고르세요."
                )


def _check_field(f: RawField, path: str, problems: list[str], in_rows: bool) -> None:
    kind = f.get("type")
    if not isinstance(kind, str) or kind not in FIELD_TYPES:
        problems.append(
            f"{path}.type: 알 수 없는 형식 '{kind}'입니다. {', '.join(sorted(FIELD_TYPES))} 중 하나로 고쳐 주세요."
        )
        return
    _check_basics(f, kind, path, problems, in_rows)
    _check_choices(f, kind, path, problems)
    _check_consent(f, kind, path, problems)
    _check_bounds(f, path, problems)
    _check_help_and_accept(f, kind, path, problems)


# --- conditions and keys -----------------------------------------------------------
def _choice_values_of(f: RawField) -> list[str] | None:
    if f.get("type") in CHOICE_VALUES:
        return CHOICE_VALUES[f["type"]]
    if f.get("type") in {"choice", "multichoice"}:
        return [str(c.get("value")) for c in f.get("choices", []) if isinstance(c, dict)]
    return None


def _check_condition(
    cond: Any, path: str, problems: list[str], targets: Mapping[str, RawField], own_key: str | None
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


def _repeat_ok(repeat: Any) -> bool:
    return repeat is None or (
        isinstance(repeat, dict)
        and all(isinstance(repeat.get(b), int) and not isinstance(repeat.get(b), bool) for b in ("min", "max"))
        and 0 <= repeat["min"] <= repeat["max"] <= 50
        and repeat["max"] >= 1
    )


class _Checker:
    """One walk over a schema: keys seen so far, top-level fields, condition dependencies."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[str] = []
        self.top: dict[str, RawField] = {}
        self.keys: set[str] = set()
        self.depends: dict[str, set[str]] = {}

    def section(self, spath: str, section: Any) -> None:
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            self.problems.append(f"{spath}.fields: 항목(fields) 목록이 필요합니다.")
            return
        skey = _key_ok(section.get("key"), f"{spath}.key", "구역 키", "applicant", self.keys, self.problems)
        if skey:
            self.keys.add(skey)
        if not str(section.get("title", "")).strip():
            self.problems.append(f"{spath}.title: 구역 제목(title)을 적어 주세요.")
        if not _repeat_ok(section.get("repeat")):
            self.problems.append(
                f'{spath}.repeat: {{"min": 0 이상, "max": 1~50}} 형식으로, min은 max 이하로 적어 주세요.'
            )
        in_rows = section.get("repeat") is not None
        row_keys = self._fields(spath, section["fields"], in_rows)
        for j, f in enumerate(section["fields"]):
            if isinstance(f, dict) and f.get("show_if") is not None:
                scope = {**self.top, **row_keys} if in_rows else self.top
                target = _check_condition(
                    f["show_if"], f"{spath}.fields[{j}].show_if", self.problems, scope, f.get("key")
                )
                if target and not in_rows:
                    self.depends.setdefault(str(f.get("key")), set()).add(target)

    def _fields(self, spath: str, fields: list[Any], in_rows: bool) -> dict[str, RawField]:
        """Check a section's fields; its row fields by key (a repeatable section's)."""
        row_keys: dict[str, RawField] = {}
        for j, f in enumerate(fields):
            fpath = f"{spath}.fields[{j}]"
            if not isinstance(f, dict):
                self.problems.append(f"{fpath}: 항목은 {{...}} 형식이어야 합니다.")
                continue
            taken = self.keys | set(row_keys)
            key = _key_ok(f.get("key"), f"{fpath}.key", "항목 키", "applicant_name", taken, self.problems)
            if key and in_rows:
                row_keys[key] = f
            elif key:
                self.keys.add(key)
                if f.get("type") not in DISPLAY_ONLY_TYPES:
                    self.top[key] = f
            _check_field(f, fpath, self.problems, in_rows)
        return row_keys

    def section_condition(self, spath: str, section: Any) -> None:
        """Section conditions may point at any top-level field: checked once all are known."""
        if not isinstance(section, dict) or section.get("show_if") is None:
            return
        own = {f.get("key") for f in section.get("fields", []) if isinstance(f, dict)}
        target = _check_condition(section["show_if"], f"{spath}.show_if", self.problems, self.top, None)
        if target in own:
            self.problems.append(f"{spath}.show_if.field: 구역 안의 항목을 그 구역의 조건으로 쓸 수 없습니다.")
        elif target:
            for key in own:
                self.depends.setdefault(str(key), set()).add(target)

    def delegation(self, dpath: str, raw: Any) -> None:
        """How a 위임장 is signed: co-signed on the 위임자's phone, or their 인감 (the law's word)."""
        if raw is None:
            return
        if not isinstance(raw, dict) or raw.get("signature") not in ("cosign", "seal"):
            self.problems.append(
                f'{dpath}.signature: "cosign"(위임자 휴대전화 서명) 또는 "seal"(인감 날인)로 적어 주세요.'
            )
            return
        _check_condition(raw.get("when"), f"{dpath}.when", self.problems, self.top, None)
        letter = raw.get("paper_letter")
        if letter and (self.top.get(letter) or {}).get("type") != "file":
            self.problems.append(
                f"{dpath}.paper_letter: '{letter}'는 파일 항목이 아닙니다. 종이 위임장을 올리는 파일 항목의 키로 고쳐 주세요."
            )

    def semantic_clashes(self) -> None:
        seen: dict[str, str] = {}
        for key, f in self.top.items():
            semantic = f.get("semantic")
            if semantic and semantic in seen:
                self.problems.append(
                    f"{self.path}: 공유 키 '{semantic}'를 '{seen[semantic]}'와 '{key}' 두 항목이 씁니다. 하나는 다른 공유 키로 고쳐 주세요."
                )
            elif semantic:
                seen[str(semantic)] = key


def check_schema(schema: Any, path: str = "schema") -> list[str]:
    """Every problem of a schema as "path: Korean message that says how to fix it"."""
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        return [f"{path}.sections: 구역(sections) 목록이 필요합니다."]
    checker = _Checker(path)
    for i, section in enumerate(schema["sections"]):
        checker.section(f"{path}.sections[{i}]", section)
    for i, section in enumerate(schema["sections"]):
        checker.section_condition(f"{path}.sections[{i}]", section)
    checker.problems.extend(_cycles(checker.depends, path))
    checker.semantic_clashes()
    checker.delegation(f"{path}.delegation", schema.get("delegation"))
    return checker.problems


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
