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
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Func, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, Substr
from django.utils import timezone

from forms_catalog.models import FormTemplate, FormVersion
from forms_catalog.schema import FormSchema
from intake.expressions import REPORT_ZONE, LocalPart
from intake.models import Office, Submission
from intake.services import submission_values

from ..models import Membership
from .models import EquivalenceFactorSet

COMPLETED = Submission.Status.COMPLETED
ATTACHMENT_PAGE_TYPES = ("file",)  # a seal image replaces a stamp, not a photocopy
RECENT_DAYS = 90
WEEKDAYS = {1: "월", 2: "화", 3: "수", 4: "목", 5: "금", 6: "토", 7: "일"}
WEEKDAYS_EN = {1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}


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


def manager_offices(user: User | AnonymousUser) -> list[Office]:
    """Offices whose report this account may read: its manager memberships, or all for a superuser."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Office.objects.order_by("name"))
    return list(
        Office.objects.filter(memberships__user_id=user.pk, memberships__role=Membership.Role.MANAGER)
        .distinct()
        .order_by("name")
    )


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
    qs = Submission.objects.filter(service_date__range=(f.start, f.end), office_id__in=f.office_ids)
    if f.template_id:
        # Versions rather than a join, so the covering index alone answers.
        qs = qs.filter(form_version_id__in=FormVersion.objects.filter(template_id=f.template_id).values("pk"))
    return qs


# --- result shapes -------------------------------------------------------------


@dataclass
class PaperRow:
    key: Any
    label: str
    submissions: int = 0
    completed: int = 0
    sheets: int = 0


def _to_minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


@dataclass
class WaitRow:
    key: Any
    label: str
    wait_n: int = 0
    wait_median: float | None = None  # seconds
    wait_p90: float | None = None
    handle_n: int = 0
    handle_median: float | None = None
    handle_p90: float | None = None
    baseline_minutes: float | None = None

    # Minutes for display; the seconds above are what the database computed.
    @property
    def wait_median_min(self) -> float | None:
        return _to_minutes(self.wait_median)

    @property
    def wait_p90_min(self) -> float | None:
        return _to_minutes(self.wait_p90)

    @property
    def handle_median_min(self) -> float | None:
        return _to_minutes(self.handle_median)

    @property
    def handle_p90_min(self) -> float | None:
        return _to_minutes(self.handle_p90)

    @property
    def saved_minutes(self) -> float | None:
        if self.baseline_minutes is None or self.wait_median is None:
            return None
        return self.baseline_minutes - self.wait_median / 60


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
    """One scan grouped by office × form version × month; the three breakdowns are rolled up from it."""
    grouped = (
        submissions_in(f)
        .values("office_id", "form_version_id", month=_month("service_date"))
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
            "베어지지 않은 30년생 나무 (30-year trees not cut)",
            *trees,
            "그루",
            f"A4 {fs.sheets_per_tree:,}매 = 1그루",
            fs.tree_source,
        ),
        Equivalent(
            "co2",
            "줄어든 CO2 배출 (CO2 avoided)",
            *co2,
            "kg",
            f"A4 1매 = {fs.co2_grams_per_sheet.normalize():f} g CO2",
            fs.co2_source,
        ),
        Equivalent(
            "pines",
            "같은 CO2를 1년에 흡수하는 30년생 소나무 (pines absorbing that CO2 in a year)",
            co2[0] / pine_kg,
            co2[1] / pine_kg,
            "그루",
            f"소나무 1그루 = 연 {fs.pine_co2_kg_per_year.normalize():f} kg CO2",
            fs.pine_source,
        ),
        Equivalent(
            "water",
            "아낀 물 (water saved)",
            *water,
            "L",
            f"A4 1매 = 물 {fs.water_litres_per_sheet.normalize():f} L",
            fs.water_source,
        ),
    ]


# --- waiting and handling times --------------------------------------------------

# Percentiles in hundredths, so the rank arithmetic stays in integers in SQL.
PERCENTILES = (50, 90)
# Each breakdown's column and code (its GROUPING() bits on PostgreSQL); the
# SQL carries integer codes, which sort and hash faster than text.
DIMENSIONS = {
    "office": ("k_office", 7),
    "form": ("k_version", 11),
    "weekday": ("k_weekday", 13),
    "hour": ("k_hour", 14),
}
TOTAL = 15
DIMENSION_CODES = {code: dim for dim, (_, code) in DIMENSIONS.items()} | {TOTAL: "total"}
METRICS = ("wait", "handle")
TEMP_TABLE = "temp.report_durations"


def fixed_utc_offset(f: ReportFilter) -> int | None:
    """The current zone's UTC offset in seconds if it is the same on every day of the period, else None."""
    tz = timezone.get_current_timezone()
    offsets = {
        tz.utcoffset(datetime.datetime.combine(f.start + datetime.timedelta(days=d), datetime.time(hour)))
        for d in range(-1, f.days + 1)
        for hour in (0, 12)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds())


def _local_parts(f: ReportFilter) -> dict[str, Any]:
    """Weekday and hour of submission in local time: when residents arrive.

    The stored columns hold them in Korean time; in any other zone they are
    worked out from submitted_at (slower, but the same definition).
    """
    if timezone.get_current_timezone_name() == REPORT_ZONE:
        return {"k_weekday": F("submitted_weekday"), "k_hour": F("submitted_hour")}
    offset = fixed_utc_offset(f) if connection.vendor == "sqlite" else None
    if offset is None:
        return {"k_weekday": ExtractIsoWeekDay("submitted_at"), "k_hour": ExtractHour("submitted_at")}
    return {
        "k_weekday": LocalPart("submitted_at", "weekday", offset_seconds=offset),
        "k_hour": LocalPart("submitted_at", "hour", offset_seconds=offset),
    }


def _durations_sql(f: ReportFilter) -> tuple[str, tuple[Any, ...]]:
    """The filtered submissions as (office, form version, weekday, hour, wait, handle) rows, as SQL to nest."""
    qs = (
        submissions_in(f)
        .annotate(
            k_office=F("office_id"),
            k_version=F("form_version_id"),
            **_local_parts(f),
            wait=F("wait_seconds"),
            handle=F("handle_seconds"),
        )
        .values("k_office", "k_version", "k_weekday", "k_hour", "wait", "handle")
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _histogram_postgresql(base: str) -> str:
    """(dimension, key, metric, seconds, residents) for every breakdown, one hashed pass per metric.

    The two passes are separate branches of a UNION ALL so PostgreSQL can run
    them side by side in parallel workers.
    """
    branches = []
    for m, metric in enumerate(METRICS):
        sets = ", ".join(f"({column}, {metric})" for column, _ in DIMENSIONS.values())
        branches.append(
            f"""SELECT GROUPING(k_office, k_version, k_weekday, k_hour), COALESCE(k_office, k_version, k_weekday, k_hour),
                   {m}, {metric}, COUNT(*)
            FROM ({base}) AS d
            GROUP BY GROUPING SETS ({sets})"""  # noqa: S608 (base is SQL compiled by the ORM, the rest our identifiers)
        )
    return " UNION ALL ".join(branches)


def _histogram_sqlite() -> str:
    return " UNION ALL ".join(
        f"SELECT {code}, {column}, {m}, {metric}, COUNT(*) FROM {TEMP_TABLE} GROUP BY {column}, {metric}"  # noqa: S608
        for m, metric in enumerate(METRICS)
        for column, code in DIMENSIONS.values()
    )


def _percentile_sql(histogram: str) -> str:
    """Each breakdown's count and, per percentile, the values at ranks ⌊h⌋ and ⌊h⌋+1 (h = p·(n−1)).

    Ranks come from running totals over the histogram, so only the distinct
    (key, seconds) pairs are sorted, never the submissions. Form versions are
    merged into their form here, and the total is the sum of the offices.
    Metric m is 0 for waits, 1 for handling.
    """
    form, office = DIMENSIONS["form"][1], DIMENSIONS["office"][1]
    picks = ", ".join(
        f"MIN(v) FILTER (WHERE upto > (n - 1) * {p} / 100), MIN(v) FILTER (WHERE upto > (n - 1) * {p} / 100 + 1)"
        for p in PERCENTILES
    )
    return f"""
        WITH hist(dim, k, m, v, c) AS ({histogram}),
        merged(dim, k, m, v, c) AS (
            SELECT dim, k, m, v, c FROM hist WHERE dim <> {form} AND v IS NOT NULL
            UNION ALL
            SELECT h.dim, fv.template_id, h.m, h.v, SUM(h.c)
            FROM hist AS h JOIN {FormVersion._meta.db_table} AS fv ON fv.id = h.k
            WHERE h.dim = {form} AND h.v IS NOT NULL
            GROUP BY h.dim, fv.template_id, h.m, h.v
            UNION ALL
            SELECT {TOTAL}, 0, m, v, SUM(c) FROM hist WHERE dim = {office} AND v IS NOT NULL GROUP BY m, v
        ),
        ranked AS (
            SELECT dim, k, m, v,
                   CAST(SUM(c) OVER (PARTITION BY dim, k, m ORDER BY v) AS INTEGER) AS upto,
                   CAST(SUM(c) OVER (PARTITION BY dim, k, m) AS INTEGER) AS n
            FROM merged
        )
        SELECT dim, k, m, n, {picks} FROM ranked GROUP BY dim, k, m, n
    """  # noqa: S608 (our identifiers)


def _interpolated(n: int, p: int, low: int, high: int | None) -> float:
    """PERCENTILE.INC from the values at ranks ⌊h⌋ and ⌊h⌋+1, in exact arithmetic."""
    fraction = Fraction((n - 1) * p % 100, 100)
    return float(low + fraction * ((high if high is not None else low) - low))


def waiting_times(f: ReportFilter) -> dict[tuple[str, Any], dict[str, Any]]:
    """Count, median and 90th percentile of waits and handling, for the total and each breakdown."""
    base, params = _durations_sql(f)
    out: dict[tuple[str, Any], dict[str, Any]] = defaultdict(
        lambda: {"wait_n": 0, "wait": [None, None], "handle_n": 0, "handle": [None, None]}
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_percentile_sql(_histogram_postgresql(base)), params * len(METRICS))
            rows = cursor.fetchall()
        else:
            # SQLite has no GROUPING SETS: the rows go to a temporary table read once per breakdown.
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
            cursor.execute(f"CREATE TEMP TABLE {TEMP_TABLE} AS {base}", params)
            try:
                cursor.execute(_percentile_sql(_histogram_sqlite()))
                rows = cursor.fetchall()
            finally:
                cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
    for code, key, m, n, *picks in rows:
        dim, metric = DIMENSION_CODES[code], METRICS[m]
        row = out[(dim, None if dim == "total" else _int_key(key))]
        row[f"{metric}_n"] = n
        row[metric] = [_interpolated(n, p, *picks[2 * i : 2 * i + 2]) for i, p in enumerate(PERCENTILES)]
    return dict(out)


def _int_key(key: Any) -> Any:
    return int(key) if isinstance(key, float | Decimal) else key


def _wait_rows(
    stats: dict[tuple[str, Any], dict[str, Any]], dim: str, labels: dict[Any, str], order: Sequence[Any] | None = None
) -> list[WaitRow]:
    keys = order if order is not None else sorted((k for d, k in stats if d == dim), key=lambda k: labels.get(k, k))
    return [_wait_row(stats.get((dim, k)), k, labels.get(k, str(k))) for k in keys if (dim, k) in stats]


def _wait_row(s: dict[str, Any] | None, key: Any, label: str) -> WaitRow:
    if s is None:
        return WaitRow(key, label)
    (wait_median, wait_p90), (handle_median, handle_p90) = (s[metric] for metric in METRICS)
    return WaitRow(key, label, s["wait_n"], wait_median, wait_p90, s["handle_n"], handle_median, handle_p90)


# --- the whole report ----------------------------------------------------------


def factor_set(pk: int | None = None) -> EquivalenceFactorSet:
    qs = EquivalenceFactorSet.objects.all()
    chosen = qs.filter(pk=pk).first() if pk else None
    return chosen or qs.filter(is_default=True).first() or qs.first() or EquivalenceFactorSet(name="기본 (built-in)")


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
    total_row = PaperRow(None, "합계 (total)")
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
        "office": _wait_rows(stats, "office", office_names),
        "form": _wait_rows(stats, "form", form_names),
        "weekday": _wait_rows(stats, "weekday", WEEKDAYS, order=list(WEEKDAYS)),
        "hour": _wait_rows(stats, "hour", {h: f"{h:02d}시" for h in range(24)}, order=list(range(24))),
    }
    baselines = {o.pk: o.paper_wait_baseline_minutes for o in offices}
    for row in waits["office"]:
        row.baseline_minutes = baselines.get(row.key)
    wait_total = _wait_row(stats.get(("total", None)), None, "합계 (total)")
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
        recent_start=recent_start,
        recent_sheets=recent_sheets,
        annual_projection=annual,
        equivalents=equivalents(total_row.sheets, annual, factors),
        wait_total=wait_total,
        waits=waits,
    )


def _weighted_baseline(rows: list[WaitRow], baselines: dict[int, int], offices: list[Office]) -> float | None:
    """Paper-era wait for the whole selection: the offices' baselines weighted by residents called."""
    called = sum(r.wait_n for r in rows)
    if called:
        return sum(baselines[r.key] * r.wait_n for r in rows) / called
    if offices:
        return sum(baselines.values()) / len(baselines)
    return None


# --- CSV -----------------------------------------------------------------------


def _minutes(seconds: float | None) -> str:
    minutes = _to_minutes(seconds)
    return "" if minutes is None else f"{minutes:.1f}"


def csv_rows(report: Report) -> list[list[Any]]:
    """The report as spreadsheet rows: a header block, then one titled table per breakdown."""
    f, fs = report.filter, report.factors
    rows: list[list[Any]] = [
        ["종이 절감·대기 시간 보고서 (Paper saving and waiting-time report)"],
        ["기간 (period)", f.start.isoformat(), f.end.isoformat()],
        ["기관 (offices)", report.office_label],
        ["환산 계수 (factor set)", str(fs)],
        [],
        ["구분 (breakdown)", "항목 (item)", "접수 (submissions)", "처리 완료 (completed)", "절감 매수 (sheets saved)"],
        ["합계 (total)", "", report.total.submissions, report.total.completed, report.total.sheets],
    ]
    for title, items in (
        ("기관 (office)", report.by_office),
        ("서식 (form)", report.by_form),
        ("월 (month)", report.by_month),
    ):
        rows += [[title, r.label, r.submissions, r.completed, r.sheets] for r in items]
    rows += [
        [],
        ["연간 추정 (annual projection)", report.annual_projection, f"최근 {report.recent_start}–{f.end} 기준"],
        [],
        ["환산 (equivalent)", "기간 (period)", "연간 추정 (annual)", "단위 (unit)", "계수 (factor)", "출처 (source)"],
    ]
    rows += [[e.label, f"{e.period:.2f}", f"{e.annual:.2f}", e.unit, e.factor, e.source] for e in report.equivalents]
    rows += [
        [],
        [
            "구분 (breakdown)",
            "항목 (item)",
            "호출 건수 (called)",
            "대기 중앙값(분) (wait median, min)",
            "대기 90백분위(분) (wait p90, min)",
            "처리 건수 (completed)",
            "처리 중앙값(분) (handling median, min)",
            "처리 90백분위(분) (handling p90, min)",
            "종이 시절 대기(분) (paper-era wait, min)",
        ],
    ]
    wait_sections = [("대기·처리 합계 (wait total)", [report.wait_total])] + [
        (f"대기·처리 {name}", report.waits[dim])
        for name, dim in (
            ("기관 (office)", "office"),
            ("서식 (form)", "form"),
            ("요일 (weekday)", "weekday"),
            ("시간대 (hour)", "hour"),
        )
    ]
    for title, wait_rows in wait_sections:
        rows += [
            [
                title,
                w.label,
                w.wait_n,
                _minutes(w.wait_median),
                _minutes(w.wait_p90),
                w.handle_n,
                _minutes(w.handle_median),
                _minutes(w.handle_p90),
                "" if w.baseline_minutes is None else f"{w.baseline_minutes:.1f}",
            ]
            for w in wait_rows
        ]
    return rows
