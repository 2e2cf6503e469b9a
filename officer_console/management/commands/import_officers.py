from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officer_console.setup import adoption


class Command(BaseCommand):
    help = "Create staff accounts from a CSV (이름,아이디,기관[,역할]) and print their one-time passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args: Any, csv_path: Path, **options: Any) -> None:
        try:
            accounts = adoption.import_officers(csv_path.read_text(encoding="utf-8-sig"))
        except adoption.OfficerImportError as exc:
            raise CommandError("가져오지 않았습니다 (nothing imported):\n" + "\n".join(exc.problems)) from exc
        self.stdout.write("아이디\t이름\t기관\t임시 비밀번호 (첫 로그인 때 바꿔야 함)")
        for account in accounts:
            self.stdout.write(
                f"{account.login}\t{account.name}\t{';'.join(account.offices)}\t{account.one_time_password}"
            )
