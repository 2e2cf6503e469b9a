"""A clock the test sets, for the service-day and deadline tests (never the machine's date)."""

import datetime
from collections.abc import Iterator
from unittest import mock

import pytest

from .factories import KST


class Clock:
    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def set(self, day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
        self.now = datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=KST)
        return self.now

    def __call__(self) -> datetime.datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    """django.utils.timezone.now (and so localdate) answers what the test set, from 2027-02-05 10:00 KST."""
    c = Clock(datetime.datetime(2027, 2, 5, 10, 0, tzinfo=KST))
    with mock.patch("django.utils.timezone.now", c):
        yield c


# A 3-working-day 민원 at 400원 a copy with one 감면 category and its 접수증 details.
TERMS = {
    "processing": {"unit": "working_days", "amount": 3, "source": "test"},
    "fee": {
        "basis": "per_copy",
        "amount": 400,
        "copies_field": "copies",
        "source": "test",
        "exemptions": [{"code": "basic_livelihood", "label": "국민기초생활보장 수급자", "evidence": "수급자 증명서"}],
    },
    "bring": ["신분증"],
    "department": {"name": "민원여권과", "phone": "02-123-4567"},
}


def with_terms(version, terms=None):
    """The version with service terms (default TERMS)."""
    version.service_terms = terms or TERMS
    version.save()
    return version
