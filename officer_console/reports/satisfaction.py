"""The residents' ratings in the report: the satisfaction rate by office, form, counter and month.

Ratings are few beside submissions (one at most each, given by some): one
GROUP BY office × form × counter × service day over the report's filter
(filters.submissions_in), rolled up here into the four breakdowns and the
total. Satisfied: 만족 or 매우 만족 (Rating.SATISFIED_FROM).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from forms_catalog.models import FormTemplate
from intake.models import Counter, Office, Rating

from .filters import ReportFilter, submissions_in


@dataclass
class SatisfactionRow:
    key: Any
    label: str
    ratings: int = 0
    satisfied: int = 0
    score_sum: int = 0

    @property
    def rate(self) -> float | None:
        """Percent of ratings that were 만족 or better."""
        return 100 * self.satisfied / self.ratings if self.ratings else None

    @property
    def mean(self) -> float | None:
        """The mean score, 1 (매우 불만족) to 5 (매우 만족)."""
        return self.score_sum / self.ratings if self.ratings else None

    def add(self, other: "SatisfactionRow") -> None:
        self.ratings += other.ratings
        self.satisfied += other.satisfied
        self.score_sum += other.score_sum


@dataclass
class Satisfaction:
    total: SatisfactionRow
    by: dict[str, list[SatisfactionRow]] = field(default_factory=dict)

    @property
    def sections(self) -> list[tuple[str, str, list[SatisfactionRow]]]:
        """(breakdown, its title, its rows), in the report's order."""
        return [(name, title, self.by.get(name, [])) for name, title in BREAKDOWNS.items()]


BREAKDOWNS = {"office": "기관 (office)", "form": "서식 (form)", "counter": "창구 (counter)", "month": "월 (month)"}


def _grouped(f: ReportFilter) -> list[dict[str, Any]]:
    rows = (
        Rating.objects.filter(submission__in=submissions_in(f))
        .values(
            "submission__office_id",
            "submission__form_version__template_id",
            "submission__called_counter_id",
            "submission__service_date",
        )
        .annotate(
            ratings=Count("pk"),
            satisfied=Count("pk", filter=Q(score__gte=Rating.SATISFIED_FROM)),
            score_sum=Sum("score"),
        )
        .order_by()
    )
    return [dict(r) for r in rows]


def build(f: ReportFilter) -> Satisfaction:
    grouped = _grouped(f)
    offices = dict(Office.objects.filter(pk__in=f.office_ids).values_list("pk", "name"))
    forms = dict(FormTemplate.objects.values_list("pk", "title"))
    counters = {c.pk: c for c in Counter.objects.filter(office_id__in=f.office_ids)}
    several = len(f.office_ids) > 1

    def counter_label(pk: int | None) -> str:
        counter = counters.get(pk) if pk else None
        if counter is None:
            return "창구 없음 (no counter)"
        return (
            f"{offices.get(counter.office_id, '')} {counter.number}번 창구" if several else f"{counter.number}번 창구"
        )

    total = SatisfactionRow(None, "합계 (total)")
    by: dict[str, dict[Any, SatisfactionRow]] = {name: {} for name in BREAKDOWNS}
    for g in grouped:
        row = SatisfactionRow(None, "", g["ratings"], g["satisfied"], g["score_sum"])
        total.add(row)
        day: datetime.date = g["submission__service_date"]
        keys = {
            "office": (g["submission__office_id"], offices.get(g["submission__office_id"], "")),
            "form": (
                g["submission__form_version__template_id"],
                forms.get(g["submission__form_version__template_id"], ""),
            ),
            "counter": (g["submission__called_counter_id"], counter_label(g["submission__called_counter_id"])),
            "month": (day.replace(day=1), f"{day:%Y-%m}"),
        }
        for name, (key, label) in keys.items():
            by[name].setdefault(key, SatisfactionRow(key, label)).add(row)
    ordered = {name: sorted(rows.values(), key=lambda r: r.label) for name, rows in by.items()}
    return Satisfaction(total=total, by=ordered)
