"""Dates and periods, with bounds relative to the office's today."""

import datetime
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..types import Field
from .base import Cleaned, FieldError, digits_text, plain_text

_RELATIVE_DATE = re.compile(r"today(?:([+-])(\d{1,5})d)?")


def resolve_date_bound(bound: Any, today: datetime.date | None = None) -> datetime.date | None:
    """A date limit from a schema: "2024-01-01", "today", "today-90d" or "today+30d"."""
    if bound in (None, ""):
        return None
    text = str(bound).strip()
    match = _RELATIVE_DATE.fullmatch(text)
    if match:
        # The office's day (Asia/Seoul), not the server's: at 01:00 KST a
        # UTC server still thinks it is yesterday.
        base = today or timezone.localdate()
        days = int(match.group(2) or 0)
        return base - datetime.timedelta(days=days) if match.group(1) == "-" else base + datetime.timedelta(days=days)
    return datetime.date.fromisoformat(text)


# Whole sentences per date ("date", "start", "end"): Korean particles
# (를/을, 는/은) and English word order both depend on the word.
_DATE_MESSAGES = {
    "date": {
        "format": gettext_lazy("날짜를 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 날짜입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("날짜는 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("날짜는 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("날짜는 %(date)s 이전으로 입력해 주세요."),
    },
    "start": {
        "format": gettext_lazy("시작일을 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 시작일입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("시작일은 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("시작일은 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("시작일은 %(date)s 이전으로 입력해 주세요."),
    },
    "end": {
        "format": gettext_lazy("종료일을 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 종료일입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("종료일은 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("종료일은 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("종료일은 %(date)s 이전으로 입력해 주세요."),
    },
}


def _parse_date(raw: Any, what: str = "date") -> datetime.date:
    text = digits_text(raw).replace(".", "-").replace("/", "-").replace(" ", "").rstrip("-")
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", text, flags=re.ASCII)
    if not match:
        raise FieldError(str(_DATE_MESSAGES[what]["format"]))
    try:
        value = datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise FieldError(str(_DATE_MESSAGES[what]["missing"])) from None
    if value.year < 1900 or value.year > 2100:
        raise FieldError(str(_DATE_MESSAGES[what]["years"]))
    return value


def _check_date_bounds(field: Field, value: datetime.date, what: str = "date") -> None:
    earliest = resolve_date_bound(field.min_date)
    latest = resolve_date_bound(field.max_date)
    if earliest and value < earliest:
        raise FieldError(str(_DATE_MESSAGES[what]["after"]) % {"date": earliest.isoformat()})
    if latest and value > latest:
        raise FieldError(str(_DATE_MESSAGES[what]["before"]) % {"date": latest.isoformat()})


def clean_date(field: Field, raw: Any) -> Cleaned:
    value = _parse_date(raw)
    _check_date_bounds(field, value)
    return Cleaned(value.isoformat())


_RANGE_SPLIT = re.compile(r"\s*(?:~|부터|–|—)\s*")


def _range_parts(raw: Any) -> tuple[Any, Any]:
    if isinstance(raw, dict):
        return raw.get("start"), raw.get("end")
    if isinstance(raw, list) and len(raw) == 2:
        return raw[0], raw[1]
    parts = _RANGE_SPLIT.split(plain_text(raw).removesuffix("까지"), maxsplit=1)
    if len(parts) != 2:
        raise FieldError(_("기간을 시작일 ~ 종료일로 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31"))
    return parts[0], parts[1]


def clean_daterange(field: Field, raw: Any) -> Cleaned:
    """A period such as 임대차 기간: stored as "YYYY-MM-DD ~ YYYY-MM-DD"."""
    start_raw, end_raw = _range_parts(raw)
    if not plain_text(start_raw) or not plain_text(end_raw):
        raise FieldError(_("시작일과 종료일을 모두 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31"))
    start = _parse_date(start_raw, "start")
    end = _parse_date(end_raw, "end")
    _check_date_bounds(field, start, "start")
    _check_date_bounds(field, end, "end")
    if end < start:
        raise FieldError(_("종료일이 시작일보다 빠릅니다. 두 날짜를 바꿔 입력해 주세요."))
    max_days = field.max_days
    if max_days is not None and (end - start).days + 1 > int(max_days):
        raise FieldError(
            _("기간은 %(max)s일 이내로 입력해 주세요. 지금 %(days)s일입니다.")
            % {"max": max_days, "days": (end - start).days + 1}
        )
    return Cleaned(f"{start.isoformat()} ~ {end.isoformat()}")
