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
