"""The setup guide's five steps without a browser: office and counters, officers, pack, forms, posters."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from forms_catalog import packs
from intake import offices
from intake.models import Office
from pdfgen.posters import posters_pdf

from ...setup import adoption
from ...setup import services as setup


class Command(BaseCommand):
    help = (
        "Set up an office in one go (새 기관 개설): create or update it with N counters, import officers "
        "from a CSV, import a form pack, choose the forms offered and write the QR posters PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="address name, e.g. gangnam-gu (/o/gangnam-gu/)")
        parser.add_argument("--name", help="기관명, required for a new office")
        parser.add_argument("--name-en", default="")
        parser.add_argument("--kind", choices=Office.Kind.values, default=Office.Kind.WARD)
        parser.add_argument("--counters", type=int, help="number of counters")
        parser.add_argument("--officers", type=Path, help="CSV: 이름,아이디[,기관][,역할]")
        parser.add_argument("--pack", type=Path, help="form pack JSON to import")
        parser.add_argument("--forms", help="'all' or comma-separated form codes to offer")
        parser.add_argument("--posters", type=Path, help="write the counters' QR posters PDF here")

    def handle(self, *args: Any, slug: str, **opts: Any) -> None:
        # All or nothing: a run that stops at step 4 must not leave officers
        # created (and their passwords printed) that a corrected re-run then
        # refuses as existing logins. What it did is printed once it holds.
        self.lines: list[str] = []
        try:
            with transaction.atomic():
                office = self._set_up(slug, opts)
        except CommandError as exc:
            raise CommandError(
                f"{exc}\n(아무것도 바꾸지 않았습니다. 고친 뒤 같은 명령을 다시 실행하세요. Nothing was changed.)"
            ) from exc
        for line in self.lines:
            self.stdout.write(line)
        for step in setup.checklist(office):
            self.stdout.write(f"{'✔' if step.done else '☐'} {step.number}. {step.title}: {step.summary}")

    def _set_up(self, slug: str, opts: dict[str, Any]) -> Office:
        office = Office.objects.filter(slug=slug).first()
        if office is None:
            if not opts["name"]:
                raise CommandError(f"'{slug}' 기관이 없습니다. 새로 만들려면 --name 을 주세요.")
            office = Office.objects.create(slug=slug, name=opts["name"], name_en=opts["name_en"], kind=opts["kind"])
            self.lines.append(f"기관을 만들었습니다: {office.name} (/o/{slug}/)")
        if opts["counters"]:
            try:
                offices.set_counters(office, opts["counters"])
            except offices.OfficeSetupError as exc:
                raise CommandError(str(exc)) from exc
        if opts["pack"]:
            try:
                report = packs.import_pack(packs.load_pack_file(opts["pack"]))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise CommandError(f"JSON 형식이 아닙니다: {exc}") from exc
            except packs.PackError as exc:
                raise CommandError("서식 팩을 가져오지 않았습니다:\n" + "\n".join(exc.problems)) from exc
            self.lines.append(f"서식 팩: 새 서식 {len(report.created_forms)}종")
        if opts["forms"]:
            self._offer(office, opts["forms"])
        if opts["officers"]:
            try:
                text = opts["officers"].read_text(encoding="utf-8-sig")
                accounts = adoption.import_officers(text, default_office=office)
            except adoption.OfficerImportError as exc:
                raise CommandError("직원을 가져오지 않았습니다:\n" + "\n".join(exc.problems)) from exc
            self.lines.append("아이디\t이름\t임시 비밀번호 (첫 로그인 때 바꿔야 함)")
            for account in accounts:
                self.lines.append(f"{account.login}\t{account.name}\t{account.one_time_password}")
        if opts["posters"]:
            try:
                opts["posters"].write_bytes(posters_pdf(None, office))
            except ValueError as exc:
                raise CommandError(
                    "QR 주소를 만들려면 PUBLIC_BASE_URL 환경 변수(예: https://minwon.example.go.kr)가 필요합니다."
                ) from exc
            setup.mark_posters_printed(office)
            self.lines.append(f"QR 안내문: {opts['posters']}")
        return office

    def _offer(self, office: Office, spec: str) -> None:
        available = offices.publishable_forms()
        if spec == "all":
            chosen = available
        else:
            codes = [c.strip() for c in spec.split(",") if c.strip()]
            by_code = {t.code: t for t in available}
            unknown = [c for c in codes if c not in by_code]
            if unknown:
                known = ", ".join(sorted(by_code)) or "(없음: --pack 으로 먼저 가져오세요)"
                raise CommandError(f"게시된 서식이 아닙니다: {', '.join(unknown)}. 있는 서식: {known}")
            chosen = [by_code[c] for c in codes]
        offices.offer_forms(office, chosen)
        self.stdout.write(f"제공 서식 {len(chosen)}종")
