"""The new office setup guide (adoption kit): the steps and what is done for one office.

The steps reuse the existing services: intake's office and counter set-up,
adoption.import_officers, forms_catalog.packs.import_pack and the poster PDF;
this module only says which steps an office has finished.
"""

from dataclasses import dataclass

from django.utils import timezone

from forms_catalog.models import FormTemplate
from intake.models import Office

from ..models import Membership


@dataclass
class Step:
    number: int
    key: str
    title: str
    done: bool
    summary: str


def checklist(office: Office) -> list[Step]:
    counters = office.counters.count()
    staff = Membership.objects.filter(office=office).count()
    offered = office.forms.filter(versions__status="published").distinct().count()
    published = FormTemplate.objects.filter(versions__status="published").distinct().count()
    printed = office.posters_printed_at
    return [
        Step(1, "office", "기관과 창구 만들기", counters > 0, f"창구 {counters}개"),
        Step(2, "officers", "직원 계정 가져오기", staff > 0, f"직원 {staff}명"),
        Step(3, "pack", "서식 팩 가져오기", published > 0, f"게시된 서식 {published}종"),
        Step(4, "forms", "제공할 서식 고르기", offered > 0, f"제공 서식 {offered}종"),
        Step(
            5,
            "posters",
            "QR 안내문 인쇄하기",
            printed is not None,
            f"{timezone.localtime(printed):%Y-%m-%d %H:%M} 인쇄" if printed else "아직 인쇄하지 않음",
        ),
    ]


def mark_posters_printed(office: Office) -> None:
    office.posters_printed_at = timezone.now()
    office.save(update_fields=["posters_printed_at"])
