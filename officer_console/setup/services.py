"""The new office setup guide (adoption kit): the steps and what is done for one office.

The steps reuse the existing services: intake's office and counter set-up,
adoption.import_officers, forms_catalog.packs.import_pack and the poster PDF;
this module only says which steps an office has finished.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intake import offices
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
    published = len(offices.publishable_forms())
    printed = office.posters_printed_at
    return [
        Step(
            1,
            "office",
            _("기관과 창구 만들기"),
            counters > 0,
            ngettext("창구 %(count)d개", "창구 %(count)d개", counters) % {"count": counters},
        ),
        Step(
            2,
            "officers",
            _("직원 계정 가져오기"),
            staff > 0,
            ngettext("직원 %(count)d명", "직원 %(count)d명", staff) % {"count": staff},
        ),
        Step(
            3,
            "pack",
            _("서식 팩 가져오기"),
            published > 0,
            ngettext("게시된 서식 %(count)d종", "게시된 서식 %(count)d종", published) % {"count": published},
        ),
        Step(
            4,
            "forms",
            _("제공할 서식 고르기"),
            offered > 0,
            ngettext("제공 서식 %(count)d종", "제공 서식 %(count)d종", offered) % {"count": offered},
        ),
        Step(
            5,
            "posters",
            _("QR 안내문 인쇄하기"),
            printed is not None,
            _("%(when)s 인쇄") % {"when": f"{timezone.localtime(printed):%Y-%m-%d %H:%M}"}
            if printed
            else _("아직 인쇄하지 않음"),
        ),
    ]


def mark_posters_printed(office: Office) -> None:
    office.posters_printed_at = timezone.now()
    office.save(update_fields=["posters_printed_at"])
