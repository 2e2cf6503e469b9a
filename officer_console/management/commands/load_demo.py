"""Demo offices, forms and staff for `make run`. Safe to run again.

Never part of a release: in production mode (DJANGO_DEBUG=false) it refuses
unless --allow-production is given, and then every demo account still on the
published demo password must change it at its first log-in.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import OuterRef, Subquery

from forms_catalog import packs
from forms_catalog.models import FormTemplate, Service
from intake.models import Counter, Office, Submission
from officer_console import demo_history
from officer_console.models import Membership, PasswordChangeRequired

DEMO_PACK = Path(__file__).resolve().parents[3] / "forms_catalog" / "packs" / "demo.json"
DEMO_PASSWORD = "demo1234!"  # noqa: S105 (demo accounts, printed by make run)

# 업무 구분 of the demo forms, by the pack's category; 상담 has no form (a ticket for a talk).
SERVICES: list[dict[str, Any]] = [
    {"code": "resident", "name": "주민등록", "name_en": "Resident registration", "categories": ["주민등록"]},
    {"code": "family", "name": "가족관계", "name_en": "Family relations", "categories": ["가족관계"]},
    {
        "code": "certificates",
        "name": "인감·증명",
        "name_en": "Seals and certificates",
        "categories": ["인감", "세무", "일반"],
    },
    {"code": "welfare", "name": "복지·보건", "name_en": "Welfare and health", "categories": ["복지", "보건"]},
    {"code": "consult", "name": "상담", "name_en": "Consultation", "categories": []},
]
# The ward centre routes by service (counters 1–2 주민등록, 3 가족관계; 4–5 general, they call every service).
COUNTER_SERVICES = {"seocho-gu": {1: ["resident"], 2: ["resident"], 3: ["family"]}}

OFFICES: list[dict[str, Any]] = [
    {
        "slug": "seocho-gu",
        "name": "서초구청 OK민원센터",
        "name_en": "Seocho-gu Office OK Civil Service Centre",
        "kind": "ward",
        "counters": 5,
        "officer": "officer.seocho",
    },
    {
        "slug": "seocho-health",
        "name": "서초구 보건소",
        "name_en": "Seocho-gu Health Centre",
        "kind": "health",
        "counters": 2,
        "officer": "officer.health",
    },
    {
        "slug": "banpo1-dong",
        "name": "반포1동 주민센터",
        "name_en": "Banpo 1-dong Community Centre",
        "kind": "dong",
        "counters": 2,
        "officer": "officer.banpo1",
    },
    {
        "slug": "seocho1-dong",
        "name": "서초1동 주민센터",
        "name_en": "Seocho 1-dong Community Centre",
        "kind": "dong",
        "counters": 2,
        "officer": "officer.seocho1",
    },
]


class Command(BaseCommand):
    help = "Load the demo offices, forms and staff accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="skip the 90 days of past visits that give the manager's report something to show",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load even with DJANGO_DEBUG=false (a training install); demo accounts must then change their password",
        )

    def handle(self, *args: Any, allow_production: bool = False, no_history: bool = False, **options: Any) -> None:
        production = settings.PRODUCTION_MODE
        if production and not allow_production:
            raise CommandError(
                "운영 모드(DJANGO_DEBUG=false)에서는 데모 데이터를 넣지 않습니다: 데모 계정의 비밀번호가 공개되어 있습니다. "
                "첫 관리자는 `manage.py createsuperuser`로 만드세요. 교육용 설치라면 --allow-production을 붙이세요 "
                "(데모 계정은 첫 로그인 때 비밀번호를 바꿔야 합니다)."
            )
        pack = packs.load_pack_file(DEMO_PACK)
        with transaction.atomic():
            packs.import_pack(pack)
            self._services()
            kinds_by_code = {form["code"]: set(form.get("offices", ["ward", "dong"])) for form in pack["forms"]}
            User = get_user_model()
            offices = []
            for spec in OFFICES:
                office, _ = Office.objects.get_or_create(
                    slug=spec["slug"], defaults={"name": spec["name"], "name_en": spec["name_en"], "kind": spec["kind"]}
                )
                offices.append(office)
                for number in range(1, spec["counters"] + 1):
                    Counter.objects.get_or_create(office=office, number=number, defaults={"name": f"{number}번 창구"})
                for number, service_codes in COUNTER_SERVICES.get(office.slug, {}).items():
                    Counter.objects.get(office=office, number=number).services.set(
                        Service.objects.filter(code__in=service_codes)
                    )
                codes = [code for code, kinds in kinds_by_code.items() if office.kind in kinds]
                office.forms.add(*FormTemplate.objects.filter(code__in=codes))
                officer = self._user(User, spec["officer"], "담당자", office.name)
                Membership.objects.get_or_create(
                    user=officer, office=office, defaults={"role": Membership.Role.OFFICER}
                )
            admin = self._user(User, "admin", "서식", "관리자", is_staff=True, is_superuser=True)
            manager = self._user(User, "manager", "관리자", "서초구")
            for office in offices:
                Membership.objects.get_or_create(
                    user=manager, office=office, defaults={"role": Membership.Role.MANAGER}
                )
            del admin
            if production:
                self._require_password_change(User)
            history = 0 if no_history else demo_history.load(offices)
            # Visits loaded before forms had services take their form's now (the wait estimate reads them).
            Submission.objects.filter(office__in=offices, service=None).update(
                service=Subquery(
                    FormTemplate.objects.filter(versions=OuterRef("form_version_id")).values("service")[:1]
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(offices)} offices, {len(pack['forms'])} forms, "
                f"{history} past visits added ({demo_history.DAYS} days)."
            )
        )

    def _services(self) -> None:
        """The demo's 업무 구분, and each demo form in its own (set again on every run, like the pack)."""
        for order, spec in enumerate(SERVICES, start=1):
            service, _ = Service.objects.update_or_create(
                code=spec["code"], defaults={"name": spec["name"], "name_en": spec["name_en"], "order": order}
            )
            FormTemplate.objects.filter(category__in=spec["categories"]).exclude(service=service).update(
                service=service
            )

    def _user(self, User: Any, username: str, first: str, last: str, **flags: Any) -> Any:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, **flags}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _require_password_change(self, User: Any) -> None:
        """Every demo account still on the published password must replace it first."""
        usernames = [spec["officer"] for spec in OFFICES] + ["admin", "manager"]
        for user in User.objects.filter(username__in=usernames):
            if user.check_password(DEMO_PASSWORD):
                PasswordChangeRequired.objects.get_or_create(user=user)
        self.stdout.write(
            self.style.WARNING("Production mode: demo accounts must change their password at first log-in.")
        )
