"""The report's 민원 beyond the visit: 처리기한 kept, tickets ended uncalled, 취하, and fees.

One GROUP BY office × form over the report's filter (filters.submissions_in);
the rows roll up into per-office, per-form and total lines.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from forms_catalog.models import FormTemplate
from intake.models import FeeRecord, Office, Submission

from .filters import ReportFilter, submissions_in

S = Submission.Status
# A 반려 is a decision within the period too: both count as processed.
PROCESSED = (S.COMPLETED, S.REJECTED)


@dataclass
class CaseRow:
    key: Any
    label: str
    with_due: int = 0  # processed 민원 that had a 처리예정일
    on_time: int = 0
    expired: int = 0  # 미호출 마감
    withdrawn: int = 0
    collected: int = 0  # KRW
    waived: int = 0  # KRW
    waived_cases: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.on_time / self.with_due if self.with_due else None

    def add(self, other: "CaseRow") -> None:
        for name in ("with_due", "on_time", "expired", "withdrawn", "collected", "waived", "waived_cases"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Casework:
    total: CaseRow
    by_office: list[CaseRow] = field(default_factory=list)
    by_form: list[CaseRow] = field(default_factory=list)


def _grouped(f: ReportFilter) -> list[dict[str, Any]]:
    paid, waived = Q(fee_record__outcome=FeeRecord.Outcome.PAID), Q(fee_record__outcome=FeeRecord.Outcome.WAIVED)
    with_due = Q(status__in=PROCESSED, due_at__isnull=False, completed_at__isnull=False)
    rows = (
        submissions_in(f)
        .values("office_id", template_id=F("form_version__template_id"))
        .annotate(
            with_due=Count("pk", filter=with_due),
            on_time=Count("pk", filter=with_due & Q(completed_at__lte=F("due_at"))),
            expired=Count("pk", filter=Q(status=S.EXPIRED)),
            withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)),
            collected=Coalesce(Sum("fee_record__amount", filter=paid), 0),
            waived=Coalesce(Sum("fee_record__amount", filter=waived), 0),
            waived_cases=Count("fee_record", filter=waived),
        )
        .order_by()
    )
    return [dict(r) for r in rows]


def build(f: ReportFilter) -> Casework:
    grouped = _grouped(f)
    offices = dict(Office.objects.filter(pk__in=f.office_ids).values_list("pk", "name"))
    forms = dict(FormTemplate.objects.values_list("pk", "title"))
    total = CaseRow(None, "합계")
    by_office: dict[Any, CaseRow] = {}
    by_form: dict[Any, CaseRow] = {}
    for g in grouped:
        row = CaseRow(None, "", **{k: v for k, v in g.items() if k not in ("office_id", "template_id")})
        total.add(row)
        by_office.setdefault(g["office_id"], CaseRow(g["office_id"], offices.get(g["office_id"], ""))).add(row)
        by_form.setdefault(g["template_id"], CaseRow(g["template_id"], forms.get(g["template_id"], ""))).add(row)
    return Casework(
        total=total,
        by_office=sorted(by_office.values(), key=lambda r: r.label),
        by_form=sorted(by_form.values(), key=lambda r: r.label),
    )
