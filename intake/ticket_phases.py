"""What the resident's ticket page says at each moment: one phase per state, each its own partial.

The page's heading, banner and sound follow the phase, not the raw status: a
waiting ticket becomes "곧 차례" when few people are left ahead. A new phase
(a state, or a moment of one) is a row in PHASES and a template
`intake/ticket/<name>.html`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .models import Submission

# "곧 차례" from this many people ahead (the text alerts say "next" at 0 and warn at 3).
SOON_AHEAD = 2


@dataclass(frozen=True)
class Phase:
    name: str
    heading: str | Promise
    # The phone asks for the resident's attention (vibration, a sound) on entering it.
    alerts: bool = False
    # The screen is kept on (Wake Lock) while waiting for the call.
    keep_awake: bool = False

    @property
    def template(self) -> str:
        return f"intake/ticket/{self.name}.html"


PHASES = {
    phase.name: phase
    for phase in (
        Phase("waiting", gettext_lazy("접수되었습니다"), keep_awake=True),
        Phase("soon", gettext_lazy("곧 차례입니다"), alerts=True, keep_awake=True),
        Phase("called", gettext_lazy("차례입니다"), alerts=True, keep_awake=True),
        Phase("correction", gettext_lazy("보완이 필요합니다"), alerts=True),
        Phase("processing", gettext_lazy("처리 중입니다")),
        Phase("completed", gettext_lazy("처리가 끝났습니다")),
        Phase("rejected", gettext_lazy("반려되었습니다")),
        Phase("no_show", gettext_lazy("부재 처리되었습니다")),
        Phase("withdrawn", gettext_lazy("취하했습니다")),
        Phase("expired", gettext_lazy("번호표가 마감되었습니다")),
        # Filled at home: no ticket until check-in (the page is ticket_pre_arrival.html; this names it).
        Phase("pre_arrival", gettext_lazy("방문 전")),
        # A 대리인's filing: no ticket until the 위임자 signs on their own phone (intake/delegations.py).
        Phase("awaiting_cosign", gettext_lazy("위임자 서명 대기")),
        Phase("revoked", gettext_lazy("위임이 거절·철회되었습니다")),
    )
}


def phase_of(submission: Submission, people_ahead: int) -> Phase:
    if submission.status == Submission.Status.SUBMITTED:
        return PHASES["soon" if people_ahead <= SOON_AHEAD else "waiting"]
    return PHASES.get(submission.status, PHASES["waiting"])
