"""`load_demo` brings 90 days of past visits: varied, deterministic, idempotent, and what the report reads."""

import datetime

import pytest
from django.core.management import call_command

from intake.models import Submission
from officer_console import demo_history
from officer_console.reports import services as reports

pytestmark = pytest.mark.django_db


def test_ninety_days_of_varied_history_that_the_report_reads(korea_clock):
    korea_clock.set("2026-03-04 08:00")
    call_command("load_demo")
    history = Submission.objects.filter(service_date__lt=datetime.date(2026, 3, 4))
    days = list(history.dates("service_date", "day"))
    # 90 days back (2025-12-04 is a Thursday), today excluded.
    assert (days[0], days[-1]) == (datetime.date(2025, 12, 4), datetime.date(2026, 3, 3))
    assert {d.isoweekday() for d in days} == {1, 2, 3, 4, 5}  # the offices' open days only
    statuses = set(history.values_list("status", flat=True))
    assert {"completed", "rejected", "withdrawn", "no_show", "expired"} <= statuses
    assert history.filter(status="rejected").exclude(status_note="").exists()
    assert history.values("form_version").distinct().count() >= 8
    assert history.values("called_counter").distinct().count() >= 8
    assert set(history.values_list("submitted_hour", flat=True)) == set(range(9, 18))

    offices = sorted({s.office_id for s in history})
    f = reports.ReportFilter(datetime.date(2025, 12, 4), datetime.date(2026, 3, 3), tuple(offices))
    report = reports.build(f, reports.factor_set())
    assert report.total.sheets > 1000
    assert all(w.wait_n > 0 for w in report.waits["weekday"]) and all(w.wait_n > 0 for w in report.waits["hour"])
    # Waits are longer in the morning rush than after lunch, as in a real office.
    by_hour = {w.key: w.wait_median for w in report.waits["hour"]}
    assert by_hour[9] > by_hour[13]


def test_history_is_deterministic_and_loading_again_adds_nothing(korea_clock):
    korea_clock.set("2026-03-04 08:00")
    call_command("load_demo")
    first = list(
        Submission.objects.order_by("idempotency_key").values_list("idempotency_key", "submitted_at", "status")
    )
    call_command("load_demo")
    assert Submission.objects.count() == len(first)
    Submission.objects.all().delete()
    assert demo_history.load(_offices()) == len(first)
    again = list(
        Submission.objects.order_by("idempotency_key").values_list("idempotency_key", "submitted_at", "status")
    )
    assert again == first


def _offices():
    from intake.models import Office

    return list(Office.objects.all())


def test_a_day_with_real_tickets_gets_no_history(korea_clock):
    from . import factories

    call_command("load_demo", "--no-history")
    office = _offices()[0]
    factories.timed_submission(office, office.forms.first().published_version(), factories.at("2026-03-03", 10))
    korea_clock.set("2026-03-04 08:00")
    demo_history.load(_offices())
    assert Submission.objects.filter(office=office, service_date=datetime.date(2026, 3, 3)).count() == 1
    assert Submission.objects.filter(office=office, service_date=datetime.date(2026, 3, 2)).count() > 1
