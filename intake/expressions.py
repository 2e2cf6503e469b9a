"""SQL expressions behind the submission's report columns, for PostgreSQL and SQLite.

They are stored (generated) columns so the manager report reads small
integers from an index instead of working them out from timestamps on every
row of every report; the database keeps them right on every write.
"""

import re
from typing import Any

from django.db.models import Func, IntegerField

# Korea Standard Time: UTC+9 with no summer time since 1988, so SQLite (which
# has no time-zone rules) can use the fixed offset and agree with PostgreSQL.
REPORT_ZONE = "Asia/Seoul"
REPORT_ZONE_OFFSET = 9 * 3600


class WholeSecondsBetween(Func):
    """Seconds from the second datetime to the first, rounded to a whole second (NULL if either is NULL)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        # SQLite keeps datetimes as ISO text. julianday() is a float good to ~25 µs,
        # so round to the millisecond first: a wait of exactly 59.5 s is 60, as in PostgreSQL.
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(ROUND((julianday(%(expressions)s)) * 86400.0, 3)) AS INTEGER)",
            arg_joiner=") - julianday(",
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # numeric round() rounds halves away from zero, as SQLite's ROUND does.
        return super().as_sql(
            compiler, connection, template="ROUND(EXTRACT(EPOCH FROM (%(expressions)s)))::integer", arg_joiner=" - "
        )


class LocalPart(Func):
    """ISO weekday (1 = Monday) or hour of a datetime in a time zone, as an integer.

    PostgreSQL applies the zone's rules; SQLite shifts the UTC text by a fixed
    offset, right for any zone that kept one offset over the rows concerned.
    """

    output_field = IntegerField()

    def __init__(self, expression: Any, part: str, zone: str = REPORT_ZONE, offset_seconds: int = REPORT_ZONE_OFFSET):
        # The zone name goes into the SQL text (generated columns take no parameters).
        if part not in ("weekday", "hour") or not re.fullmatch(r"[A-Za-z0-9_/+-]+", zone):
            raise ValueError(f"{part} in {zone}")
        super().__init__(expression)
        self.part, self.zone, self.offset_seconds = part, zone, offset_seconds

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        # %%%% survives Func's formatting and the backend's, leaving one % for strftime.
        local = f"strftime('%%%%{'w' if self.part == 'weekday' else 'H'}', %(expressions)s, '{self.offset_seconds:+d} seconds')"
        value = f"CAST({local} AS INTEGER)"
        template = f"(CASE {value} WHEN 0 THEN 7 ELSE {value} END)" if self.part == "weekday" else value
        return super().as_sql(compiler, connection, template=template)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        field = "ISODOW" if self.part == "weekday" else "HOUR"
        template = f"EXTRACT({field} FROM (%(expressions)s AT TIME ZONE '{self.zone}'))::integer"
        return super().as_sql(compiler, connection, template=template)
