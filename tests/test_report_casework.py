"""The report's 처리기한 준수율, 미호출 마감, 취하 and fee totals, by office and form."""

import datetime

import pytest
from django.urls import reverse

from intake import dayclose
from intake import services as intake_services
from officer_console.console import fees as fee_actions
from officer_console.console import services as console
from officer_console.models import Membership
from officer_console.reports import casework
from officer_console.reports.filters import ReportFilter

from . import daytime, factories

pytestmark = pytest.mark.django_db
clock = daytime.clock
TERMS = {**daytime.TERMS, "processing": {"unit": "working_days", "amount": 1}}


def test_on_time_rate_day_close_withdrawals_and_fees(client, clock, office, other_office, version):
    daytime.with_terms(version, TERMS)
    officer = factories.officer(office, "manager", role=Membership.Role.MANAGER)
    Membership.objects.create(user=officer, office=other_office, role=Membership.Role.MANAGER)

    clock.set("2027-03-02", 10)  # Tuesday; due Wednesday 10:00
    on_time, late = factories.submitted(office, version), factories.submitted(office, version)
    uncalled = factories.submitted(office, version)
    withdrawn = factories.submitted(other_office, version)
    for s, outcome in ((on_time, "paid"), (late, "waived")):
        console.call(s.pk, officer, None)
        fee_actions.record(s.pk, officer, outcome=outcome, method="cash", exemption_code="basic_livelihood")
    console.complete(on_time.pk, officer)
    intake_services.withdraw(withdrawn.pk)
    clock.set("2027-03-02", 18)
    dayclose.close_day(office, clock.now)
    clock.set("2027-03-03", 11)  # an hour past the due time
    console.complete(late.pk, officer)

    result = casework.build(
        ReportFilter(datetime.date(2027, 3, 1), datetime.date(2027, 3, 31), (office.pk, other_office.pk))
    )
    t = result.total
    assert (t.with_due, t.on_time, t.on_time_rate) == (2, 1, 50.0)
    assert (t.expired, t.withdrawn, t.collected, t.waived, t.waived_cases) == (1, 1, 800, 800, 1)
    assert [(r.label, r.expired, r.withdrawn) for r in result.by_office] == [
        ("반포1동 주민센터", 0, 1),
        ("서초구청", 1, 0),
    ]
    assert uncalled.pk  # ended by the day close, counted above

    client.force_login(officer)
    page = client.get(reverse("reports:report"), {"start": "2027-03-01", "end": "2027-03-31"}).content.decode()
    assert 'data-figure="on-time-rate">50.0' in page and 'data-figure="expired">1' in page
    assert 'data-figure="collected">800' in page and 'data-figure="waived">800' in page
