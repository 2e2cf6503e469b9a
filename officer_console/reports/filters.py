"""What a report covers: the period, the offices and the form."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from forms_catalog.models import FormVersion
from intake.models import Submission


@dataclass(frozen=True)
class ReportFilter:
    start: datetime.date
    end: datetime.date  # inclusive
    office_ids: tuple[int, ...]
    template_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve calendar months, this one included."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1), today


def submissions_in(f: ReportFilter) -> QuerySet[Submission]:
    # A form filled at home counts from its check-in, when it takes its ticket: one never
    # brought in (still waiting, withdrawn or expired before the visit) was never a 접수.
    qs = Submission.objects.filter(
        service_date__range=(f.start, f.end), office_id__in=f.office_ids, ticket_number__isnull=False
    )
    if f.template_id:
        # Versions rather than a join, so the covering index alone answers.
        qs = qs.filter(form_version_id__in=FormVersion.objects.filter(template_id=f.template_id).values("pk"))
    return qs
