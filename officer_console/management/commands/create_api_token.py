from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intake.models import Office
from officer_console.api import tokens
from officer_console.api.models import Scope, ServiceAccount


class Command(BaseCommand):
    help = (
        "Make an API token for an office's back office (the admin does the same: API 토큰 → 추가). "
        "The service account is made if it does not exist. Prints the token once: only its hash is kept."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--office", required=True, help="the office's slug, e.g. seocho-gu")
        parser.add_argument("--account", default="새올 연계", help="service account name (default: 새올 연계)")
        parser.add_argument("--name", required=True, help="the token's name; the access log names it")
        parser.add_argument(
            "--scopes",
            default="read_queue,read_submission",
            help=f"comma-separated, of: {', '.join(s.value for s in Scope)}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        office = Office.objects.filter(slug=options["office"]).first()
        if office is None:
            raise CommandError(f"기관 '{options['office']}'이(가) 없습니다. 주소용 이름(slug)을 확인해 주세요.")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        unknown = sorted(set(scopes) - {s.value for s in Scope})
        if unknown:
            raise CommandError(f"알 수 없는 권한: {', '.join(unknown)} (쓸 수 있는 것: {', '.join(Scope.values)})")
        account = ServiceAccount.objects.filter(office=office, name=options["account"]).first()
        account = account or tokens.create_account(office, options["account"])
        _, raw = tokens.create_token(account, options["name"], scopes)
        self.stdout.write(raw)
