"""Numbers, dates and return addresses read from requests: a valid value or None, never an exception.

Python is generous with input that a form should refuse: `"²".isdigit()` is
True while `int("²")` fails, `int("١٢")` is 12, a 30-digit id overflows the
database's integer, and `date.fromisoformat` accepts dates whose neighbours
(the day after 9999-12-31) do not exist. Every view reads such values through
these functions, and answers None with a 4xx and a message.
"""

import datetime
import re
import uuid
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# A bigint holds 19 digits; 18 keep every value inside it.
_ASCII_INTEGER = re.compile(r"-?[0-9]{1,18}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The dates this service can have records for, with room on both sides for
# arithmetic (a day before, a month after) that must not leave the calendar.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
DATE_RANGE_MESSAGE = "날짜는 2000-01-01부터 2099-12-31 사이로 입력해 주세요. (Use a date from 2000 to 2099.)"


def integer(raw: Any, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """`raw` as an integer written in ASCII digits, within the bounds; otherwise None."""
    text = raw.strip() if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    if not _ASCII_INTEGER.fullmatch(text):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value


def object_id(raw: Any) -> int | None:
    """A database id (a positive integer) from a request, or None."""
    return integer(raw, minimum=1)


def uuid_key(raw: Any) -> uuid.UUID | None:
    """A page's idempotency key (a UUID) from a request, or None."""
    try:
        return uuid.UUID(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def date(raw: Any) -> datetime.date | None:
    """A YYYY-MM-DD date between EARLIEST_DATE and LATEST_DATE, or None."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= LATEST_DATE else None


def local_url(request: HttpRequest, raw: Any) -> str | None:
    """`raw` if it is an address on this site (a safe place to send the browser back to), else None."""
    if not isinstance(raw, str) or not raw.startswith("/") or "\x00" in raw:
        return None
    if not url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    return raw


class BoundedDateField(forms.DateField):
    """A form's date field that refuses dates outside EARLIEST_DATE..LATEST_DATE with a clear message."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not (EARLIEST_DATE <= value <= LATEST_DATE):
            raise forms.ValidationError(DATE_RANGE_MESSAGE, code="out_of_range")
