"""Waiting and handling times: percentiles computed in the database (see services.py for the definition)."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import F
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from forms_catalog.models import FormVersion
from intake.expressions import REPORT_ZONE, LocalPart

from .filters import ReportFilter, submissions_in

ONE_DECIMAL = Decimal("0.1")


def shown(value: float | Decimal | None) -> Decimal | None:
    """A figure as every output shows it: one decimal, halves rounded up.

    The page, the PDF and the CSV all print this value (not each its own
    rounding of a float: 87 s is 1.45 min, which float formatting printed
    as 1.4 while the page's floatformat printed 1.5).
    """
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def to_minutes(seconds: float | None) -> Decimal | None:
    """Seconds as minutes to show (see shown)."""
    return None if seconds is None else shown(Decimal(repr(seconds)) / 60)


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
    def wait_median_min(self) -> Decimal | None:
        return to_minutes(self.wait_median)

    @property
    def wait_p90_min(self) -> Decimal | None:
        return to_minutes(self.wait_p90)

    @property
    def handle_median_min(self) -> Decimal | None:
        return to_minutes(self.handle_median)

    @property
    def handle_p90_min(self) -> Decimal | None:
        return to_minutes(self.handle_p90)

    @property
    def baseline_shown(self) -> Decimal | None:
        return shown(self.baseline_minutes)

    @property
    def saved_minutes(self) -> float | None:
        if self.baseline_minutes is None or self.wait_median is None:
            return None
        return self.baseline_minutes - self.wait_median / 60


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


def wait_rows(
    stats: dict[tuple[str, Any], dict[str, Any]], dim: str, labels: dict[Any, str], order: Sequence[Any] | None = None
) -> list[WaitRow]:
    """The breakdown's rows; with `order`, one row per key in it, empty ones included
    (a quiet Tuesday or lunch hour is a finding, not a gap), then any other key with data."""
    if order is None:
        keys = sorted((k for d, k in stats if d == dim), key=lambda k: labels.get(k, k))
    else:
        extra = sorted(k for d, k in stats if d == dim and k not in order)
        keys = [*order, *extra]
    return [wait_row(stats.get((dim, k)), k, labels.get(k, str(k))) for k in keys]


def wait_row(s: dict[str, Any] | None, key: Any, label: str) -> WaitRow:
    if s is None:
        return WaitRow(key, label)
    (wait_median, wait_p90), (handle_median, handle_p90) = (s[metric] for metric in METRICS)
    return WaitRow(key, label, s["wait_n"], wait_median, wait_p90, s["handle_n"], handle_median, handle_p90)
