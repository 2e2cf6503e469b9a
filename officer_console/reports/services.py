"""Manager report: paper saved and waiting times, aggregated in the database.

Every figure comes from GROUP BY queries; Python only walks the grouped rows
(offices × form versions × months, and one histogram row per breakdown and
percentile), never the submissions themselves, so the report stays fast on
millions of rows. The columns read are covered by one index
(intake.Submission "submission_report"), which keeps the wide rows holding the
residents' data out of the scan.

Waiting and handling times are measured in whole seconds (stored, generated
columns on the submission). Percentiles are the continuous (linear
interpolation) definition over those seconds: for n sorted values v[0..n-1] and
p in [0, 1], h = p·(n−1) and the result is v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]).
That is PostgreSQL's percentile_cont, Excel's PERCENTILE.INC and numpy's
default; the median is p = 0.5. Both databases compute it the same way: a
histogram of (breakdown, seconds) counts, then ranks from running totals
(see _percentile_sql), so the cost is one pass over the rows and a sort of the
few thousand distinct values rather than a sort of the submissions.
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, Func, Q, Sum
from django.db.models.functions import Coalesce, Substr

from forms_catalog.models import FormTemplate, FormVersion
from forms_catalog.schema import FormSchema
from intake.models import Office, Submission
from intake.services import submission_values

from .filters import ReportFilter, default_period, submissions_in
from .models import EquivalenceFactorSet
from .waits import WaitRow, wait_row, wait_rows, waiting_times

__all__ = ["ReportFilter", "default_period"]  # what views and tests read here, beside build()

COMPLETED = Submission.Status.COMPLETED
ATTACHMENT_PAGE_TYPES = ("file",)  # a seal image replaces a stamp, not a photocopy
RECENT_DAYS = 90
WEEKDAYS = {1: "월", 2: "화", 3: "수", 4: "목", 5: "금", 6: "토", 7: "일"}
WEEKDAYS_EN = {1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}
# How residents reached the queue, in this order whether or not the period has any (the
# report's words are Korean, like its other labels; the page, CSV and PDF print the same).
CHANNELS = {
    Submission.Channel.PHONE: "휴대전화",
    Submission.Channel.KIOSK: "무인 접수기",
    Submission.Channel.ASSISTED: "직원 대신 작성",
    Submission.Channel.TICKET: "번호표만",
}


# --- sheets fixed on one submission ------------------------------------------


def attachment_pages(form: FormSchema, values: dict[str, Any]) -> int:
    """Pages of the attached documents that paper filing would have photocopied.

    PDFs count their pages (stored at upload time); an image is one page.
    """
    pages = 0
    for f in form.input_fields:
        meta = values.get(f.key)
        if f.type not in ATTACHMENT_PAGE_TYPES or not isinstance(meta, dict) or not meta.get("file"):
            continue
        pages += max(1, int(meta.get("pages") or 1)) if meta.get("content_type") == "application/pdf" else 1
    return pages


def paper_sheets_for(submission: Submission) -> int:
    """Sheets a completed submission saved: the form's paper sheets plus attachment pages.

    Called once, at completion, so the figure is fixed from the exact version
    filed and survives both template edits and the purge of personal data.
    """
    version = submission.form_version
    # Attachment metadata may sit in the encrypted part (e.g. a copy of an ID card).
    return int(version.paper_sheets) + attachment_pages(version.form, submission_values(submission))


# --- scope and filter ----------------------------------------------------------


# --- result shapes -------------------------------------------------------------


@dataclass
class PaperRow:
    key: Any
    label: str
    submissions: int = 0
    completed: int = 0
    sheets: int = 0


@dataclass
class Equivalent:
    key: str
    label: str
    period: Decimal
    annual: Decimal
    unit: str
    factor: str
    source: str


@dataclass
class Report:
    filter: ReportFilter
    factors: EquivalenceFactorSet
    offices: list[Office]
    total: PaperRow
    by_office: list[PaperRow]
    by_form: list[PaperRow]
    by_month: list[PaperRow]
    by_channel: list[PaperRow]
    recent_start: datetime.date
    recent_sheets: int
    annual_projection: int
    equivalents: list[Equivalent]
    wait_total: WaitRow
    waits: dict[str, list[WaitRow]] = field(default_factory=dict)

    @property
    def office_label(self) -> str:
        return ", ".join(o.name for o in self.offices)

    @property
    def paper_sheets_baseline(self) -> int | None:
        """The offices' own paper-era yearly sheet counts (admin data), summed; None if none gave one."""
        known = [o.paper_sheets_baseline_per_year for o in self.offices if o.paper_sheets_baseline_per_year]
        return sum(known) if known else None


# --- paper --------------------------------------------------------------------


def _paper(f: ReportFilter, recent_start: datetime.date) -> tuple[list[dict[str, Any]], int]:
    """One scan grouped by office × form version × channel × month; every breakdown is rolled up from it."""
    grouped = (
        submissions_in(f)
        .values("office_id", "form_version_id", "channel", month=_month("service_date"))
        .annotate(
            # Only columns in the covering index (COUNT(*), not of the id).
            submissions=Count("*"),
            completed=Count("status", filter=Q(status=COMPLETED)),
            sheets=Coalesce(Sum("paper_sheets_saved"), 0),
            recent=Coalesce(Sum("paper_sheets_saved", filter=Q(service_date__gte=recent_start)), 0),
        )
        .order_by()
    )
    templates = dict(FormVersion.objects.values_list("pk", "template_id"))
    rows: list[dict[str, Any]] = [
        {**r, "template_id": templates[r["form_version_id"]], "month": _first_of_month(r["month"])} for r in grouped
    ]
    return rows, sum(r["recent"] for r in rows)


def _month(date_field: str) -> Func:
    # SQLite keeps dates as ISO text: its first seven characters are the month,
    # without the Python call per row that TruncMonth costs there. On
    # PostgreSQL TruncMonth would go through timestamptz, and time zones.
    if connection.vendor == "sqlite":
        return Substr(date_field, 1, 7)
    return Func(date_field, template="DATE_TRUNC('month', %(expressions)s::timestamp)::date", output_field=DateField())


def _first_of_month(value: datetime.date | str) -> datetime.date:
    if isinstance(value, str):
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    return value


def _roll_up(rows: Iterable[dict[str, Any]], key: str, labels: dict[Any, str]) -> list[PaperRow]:
    out: dict[Any, PaperRow] = {}
    for r in rows:
        row = out.setdefault(r[key], PaperRow(r[key], labels.get(r[key], str(r[key]))))
        row.submissions += r["submissions"]
        row.completed += r["completed"]
        row.sheets += r["sheets"]
    return list(out.values())


def _by_channel(rows: Iterable[dict[str, Any]]) -> list[PaperRow]:
    rolled = {r.key: r for r in _roll_up(rows, "channel", dict(CHANNELS))}
    return [rolled.get(key) or PaperRow(key, label) for key, label in CHANNELS.items()]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, d = [], start.replace(day=1)
    while d <= end:
        months.append(d)
        d = (d + datetime.timedelta(days=32)).replace(day=1)
    return months


def equivalents(sheets: int, annual: int, fs: EquivalenceFactorSet) -> list[Equivalent]:
    def both(per_sheet: Decimal) -> tuple[Decimal, Decimal]:
        return Decimal(sheets) * per_sheet, Decimal(annual) * per_sheet

    trees = both(Decimal(1) / Decimal(fs.sheets_per_tree))
    co2 = both(Decimal(fs.co2_grams_per_sheet) / 1000)
    water = both(Decimal(fs.water_litres_per_sheet))
    pine_kg = Decimal(fs.pine_co2_kg_per_year)
    return [
        Equivalent(
            "trees",
            "베어지지 않은 30년생 나무",
            *trees,
            "그루",
            f"A4 {fs.sheets_per_tree:,}매 = 1그루",
            fs.tree_source,
        ),
        Equivalent(
            "co2",
            "줄어든 CO2 배출",
            *co2,
            "kg",
            f"A4 1매 = {fs.co2_grams_per_sheet.normalize():f} g CO2",
            fs.co2_source,
        ),
        Equivalent(
            "pines",
            "같은 CO2를 1년에 흡수하는 30년생 소나무",
            co2[0] / pine_kg,
            co2[1] / pine_kg,
            "그루",
            f"소나무 1그루 = 연 {fs.pine_co2_kg_per_year.normalize():f} kg CO2",
            fs.pine_source,
        ),
        Equivalent(
            "water",
            "아낀 물",
            *water,
            "L",
            f"A4 1매 = 물 {fs.water_litres_per_sheet.normalize():f} L",
            fs.water_source,
        ),
    ]


# --- the whole report ----------------------------------------------------------


def factor_set(pk: int | None = None) -> EquivalenceFactorSet:
    qs = EquivalenceFactorSet.objects.all()
    chosen = qs.filter(pk=pk).first() if pk else None
    return chosen or qs.filter(is_default=True).first() or qs.first() or EquivalenceFactorSet(name="기본")


@contextmanager
def analytic_session() -> Iterator[None]:
    """One read transaction for the report's queries, tuned for analytics on PostgreSQL.

    JIT compilation costs about a second per query here, more than it saves on
    sub-second aggregates. A larger work_mem lets the planner hash every grouping
    set of the histogram in memory (it sorts the sets it expects not to fit).
    SET LOCAL ends with the transaction, so other requests are unaffected.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def build(f: ReportFilter, factors: EquivalenceFactorSet) -> Report:
    with analytic_session():
        return _build(f, factors)


def _build(f: ReportFilter, factors: EquivalenceFactorSet) -> Report:
    offices = list(Office.objects.filter(pk__in=f.office_ids).order_by("name"))
    office_names = {o.pk: o.name for o in offices}
    form_names = dict(FormTemplate.objects.values_list("pk", "title"))
    recent_start = max(f.start, f.end - datetime.timedelta(days=RECENT_DAYS - 1))
    rows, recent_sheets = _paper(f, recent_start)

    total = _roll_up(rows, "office_id", {})
    total_row = PaperRow(None, "합계")
    for r in total:
        total_row.submissions += r.submissions
        total_row.completed += r.completed
        total_row.sheets += r.sheets
    by_month = {r.key: r for r in _roll_up(rows, "month", {})}
    months = [by_month.get(m) or PaperRow(m, "") for m in _months(f.start, f.end)]
    for m in months:
        m.label = f"{m.key:%Y-%m}"
    recent_days = (f.end - recent_start).days + 1
    annual = round(recent_sheets * 365 / recent_days)

    stats = waiting_times(f)
    waits = {
        "office": wait_rows(stats, "office", office_names),
        "form": wait_rows(stats, "form", form_names),
        "weekday": wait_rows(stats, "weekday", WEEKDAYS, order=open_weekdays(offices)),
        "hour": wait_rows(stats, "hour", {h: f"{h:02d}시" for h in range(24)}, order=opening_hours(offices)),
    }
    baselines = {o.pk: o.paper_wait_baseline_minutes for o in offices}
    for row in waits["office"]:
        row.baseline_minutes = baselines.get(row.key)
    wait_total = wait_row(stats.get(("total", None)), None, "합계")
    wait_total.baseline_minutes = _weighted_baseline(waits["office"], baselines, offices)
    for row in waits["form"] + waits["weekday"] + waits["hour"]:
        row.baseline_minutes = wait_total.baseline_minutes

    return Report(
        filter=f,
        factors=factors,
        offices=offices,
        total=total_row,
        by_office=sorted(_roll_up(rows, "office_id", office_names), key=lambda r: r.label),
        by_form=sorted(_roll_up(rows, "template_id", form_names), key=lambda r: (-r.sheets, r.label)),
        by_month=months,
        by_channel=_by_channel(rows),
        recent_start=recent_start,
        recent_sheets=recent_sheets,
        annual_projection=annual,
        equivalents=equivalents(total_row.sheets, annual, factors),
        wait_total=wait_total,
        waits=waits,
    )


def open_weekdays(offices: list[Office]) -> list[int]:
    """ISO weekdays on which any of the offices opens (Office.open_days)."""
    days = {int(d) for o in offices for d in o.open_days if d.isdigit()}
    return sorted(days) or list(WEEKDAYS)


def opening_hours(offices: list[Office]) -> list[int]:
    """Every hour from the earliest opening to the latest closing of the offices (a closing at 18:00 ends with 17시)."""
    if not offices:
        return []
    first = min(o.opens_at.hour for o in offices)
    last = max(o.closes_at.hour - (1 if o.closes_at.minute == 0 else 0) for o in offices)
    return list(range(first, max(first, last) + 1))


def _weighted_baseline(rows: list[WaitRow], baselines: dict[int, int], offices: list[Office]) -> float | None:
    """Paper-era wait for the whole selection: the offices' baselines weighted by residents called."""
    called = sum(r.wait_n for r in rows)
    if called:
        return sum(baselines[r.key] * r.wait_n for r in rows) / called
    if offices:
        return sum(baselines.values()) / len(baselines)
    return None
