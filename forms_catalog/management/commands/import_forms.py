"""Import a form pack: `manage.py import_forms pack.json [--check]`. All or nothing."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forms_catalog import packs


class Command(BaseCommand):
    help = "Import a form pack (docs/FORM_PACKS.md). Validates first; imports all of it or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the pack file (JSON)")
        parser.add_argument("--check", action="store_true", help="only validate; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pack = packs.load_pack_file(Path(options["path"]))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"파일을 읽을 수 없습니다 (cannot read): {exc}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON 형식이 아닙니다: {exc.lineno}번째 줄 {exc.colno}번째 글자 ({exc.msg})") from None
        if options["check"]:
            problems = packs.validate_pack(pack)
            if problems:
                raise CommandError(self._problems(problems))
            self.stdout.write("문제없음 (pack is valid)")
            return
        try:
            report = packs.import_pack(pack)
        except packs.PackError as exc:
            raise CommandError(self._problems(exc.problems)) from None
        for label, items in (
            ("created forms", report.created_forms),
            ("updated forms", report.updated_forms),
            ("created versions", report.created_versions),
            ("updated versions", report.updated_versions),
            ("retired versions", report.retired_versions),
            ("unchanged versions", report.unchanged_versions),
        ):
            if items:
                self.stdout.write(f"{label}: {', '.join(items)}")
        if not report.changed:
            self.stdout.write("변경 없음 (nothing changed)")

    @staticmethod
    def _problems(problems: list[str]) -> str:
        return f"서식 팩에 고칠 곳이 {len(problems)}군데 있습니다. 아무것도 가져오지 않았습니다.\n" + "\n".join(
            f"  - {p}" for p in problems
        )
