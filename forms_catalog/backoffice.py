"""The back-office field mapping of a form: which form field goes into which field code of the
back-office system (새올 and the like), in the order its entry screen takes them.

Kept on the form template and in its pack (`backoffice_fields`); the officer's one-click copy, the
day's export and the API read it through officer_console.backoffice.
"""

from collections.abc import Iterable
from typing import Any

from .schema import parse, row_path


def field_paths(schemas: Iterable[Any]) -> set[str]:
    """Every field a mapping may name in these schemas: top-level keys, and row paths of
    repeatable sections' fields (members-0-member_name) for their first rows."""
    paths: set[str] = set()
    for raw in schemas:
        if not isinstance(raw, dict):
            continue
        form = parse(raw)
        paths.update(f.key for f in form.input_fields)
        for section in form.repeat_sections:
            for index in range(section.repeat.max if section.repeat else 0):
                paths.update(row_path(section.key, index, f.key) for f in section.input_fields)
    return paths


def check(mapping: Any, path: str = "backoffice_fields", *, known: set[str] | None = None) -> list[str]:
    """Problems as "path: Korean message"; `known` limits the fields named to those of the form."""
    if mapping in (None, []):
        return []
    if not isinstance(mapping, list):
        return [f"{path}: 목록 [...] 형식으로 적어 주세요."]
    problems = []
    codes: set[str] = set()
    for i, entry in enumerate(mapping):
        where = f"{path}[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str) or not entry.get("code"):
            problems.append(f'{where}: {{"code": "…", "field": "…"}} 형식으로 적어 주세요.')
            continue
        if not isinstance(entry.get("field"), str) or not entry.get("field"):
            problems.append(f"{where}.field: 값을 가져올 서식 항목 키를 적어 주세요.")
            continue
        if entry["code"] in codes:
            problems.append(f"{where}.code: '{entry['code']}' 코드가 두 번 있습니다. 하나를 지워 주세요.")
        codes.add(entry["code"])
        if known is not None and entry["field"] not in known:
            problems.append(f"{where}.field: 서식에 '{entry['field']}' 항목이 없습니다. 항목 키를 확인해 주세요.")
    return problems
