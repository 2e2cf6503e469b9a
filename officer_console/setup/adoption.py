"""Bringing a new office's staff on board from a CSV file.

The CSV (UTF-8, with or without BOM, as Excel saves it) has the columns
이름/name, 아이디/login, 기관/offices (office slugs separated by ";") and
optionally 역할/role (officer or manager). Every row is checked first; if any
row is wrong nothing is imported and every problem is reported with its row.
Each new account gets a one-time password and must change it at first log-in.
"""

import csv
import io
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from intake.models import Office

from ..models import Membership, PasswordChangeRequired

COLUMNS = {
    "name": ("이름", "name", "성명"),
    "login": ("아이디", "login", "username"),
    "offices": ("기관", "offices", "office"),
    "role": ("역할", "role"),
}
# No lookalike characters: the password is read off paper.
OTP_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


class OfficerImportError(Exception):
    code = "invalid_officer_csv"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class NewAccount:
    login: str
    name: str
    offices: list[str]
    one_time_password: str


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(h.strip().lower() for h in header):
        for key, aliases in COLUMNS.items():
            if title in aliases:
                found[key] = index
    return found


def one_time_password() -> str:
    return "".join(secrets.choice(OTP_ALPHABET) for _ in range(12))


def import_officers(csv_text: str, default_office: Office | None = None) -> list[NewAccount]:
    """Create the accounts; with default_office the 기관 column may be left out or blank."""
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    if not rows:
        raise OfficerImportError(["파일이 비어 있습니다. 첫 줄에 이름,아이디,기관 제목을 넣어 주세요."])
    columns = _header_map(rows[0])
    required = ("name", "login") if default_office else ("name", "login", "offices")
    missing = [COLUMNS[k][0] for k in required if k not in columns]
    if missing:
        raise OfficerImportError([f"1행: 제목 줄에 {', '.join(missing)} 열이 없습니다. (columns missing)"])

    offices = {o.slug: o for o in Office.objects.all()}
    problems, planned = _plan(rows[1:], columns, offices, default_office)
    if not planned and not problems:
        problems.append("가져올 직원이 없습니다. 둘째 줄부터 한 사람씩 적어 주세요.")
    if problems:
        raise OfficerImportError(problems)
    return _create_accounts(planned, offices)


Planned = tuple[str, str, list[str], str]  # name, login, office slugs, role


def _plan(
    rows: list[list[str]], columns: dict[str, int], offices: dict[str, Office], default_office: Office | None
) -> tuple[list[str], list[Planned]]:
    """Each data row read and checked: the problems, line by line, and the accounts to make."""
    existing = set(User.objects.values_list("username", flat=True))
    problems: list[str] = []
    planned: list[Planned] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        name, login, role = cell("name"), cell("login"), (cell("role") or "officer").lower()
        slugs = [s.strip() for s in cell("offices").split(";") if s.strip()]
        if not slugs and default_office:
            slugs = [default_office.slug]
        problems += _row_problems(line, name, login, role, slugs, offices, taken=existing | seen)
        seen.add(login)
        planned.append((name, login, slugs, role))
    return problems, planned


def _row_problems(
    line: int, name: str, login: str, role: str, slugs: list[str], offices: dict[str, Office], taken: set[str]
) -> list[str]:
    problems = []
    if not name:
        problems.append(f"{line}행: 이름이 비어 있습니다.")
    if not login or not all(ch.isalnum() or ch in "._-" for ch in login) or len(login) > 150:
        problems.append(f"{line}행: 아이디 '{login}'는 영문, 숫자, . _ - 만 쓸 수 있습니다.")
    elif login in taken:
        problems.append(f"{line}행: 아이디 '{login}'는 이미 있습니다. 다른 아이디를 쓰세요.")
    unknown = [s for s in slugs if s not in offices]
    if not slugs:
        example = next(iter(sorted(offices)), "gangnam-gu")
        problems.append(f"{line}행: 기관이 비어 있습니다. 예: {example} (여러 곳은 ; 로 구분)")
    elif unknown:
        problems.append(f"{line}행: 없는 기관 {', '.join(unknown)}. 있는 기관: {', '.join(sorted(offices))}")
    if role not in Membership.Role.values:
        problems.append(f"{line}행: 역할은 officer 또는 manager 입니다. ('{role}')")
    return problems


def _create_accounts(planned: list[Planned], offices: dict[str, Office]) -> list[NewAccount]:
    created: list[NewAccount] = []
    with transaction.atomic():
        for name, login, slugs, role in planned:
            password = one_time_password()
            user = User.objects.create_user(username=login, password=password, first_name=name)
            PasswordChangeRequired.objects.create(user=user)
            for slug in slugs:
                Membership.objects.create(user=user, office=offices[slug], role=role)
            created.append(NewAccount(login, name, slugs, password))
    return created
