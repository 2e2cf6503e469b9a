"""Filling at home: the services, the arrival views, the job that ends what was never brought in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import jobs, qr, resident, services, visits
from intake.models import Submission
from officer_console.reports import casework, satisfaction
from officer_console.reports import services as reports
from officer_console.reports.filters import ReportFilter
from pdfgen.models import ArchivedDocument

from . import factories

pytestmark = pytest.mark.django_db
S = Submission.Status


def at_home(office, version) -> Submission:
    return factories.before_visit(office, version)


def test_a_form_filled_at_home_waits_with_no_ticket_no_deadline_and_no_record(office, version):
    waiting = factories.submitted(office, version)
    home = at_home(office, version)
    assert (home.status, home.ticket_number, home.due_at) == (S.PRE_ARRIVAL, None, None)
    assert home.prepared_at is not None and services.people_ahead(home) == 0
    assert services.open_queue(office.pk) == [waiting]
    assert not ArchivedDocument.objects.filter(submission=home).exists()
    assert str(home).endswith("(방문 전)")


def test_check_in_takes_the_next_ticket_and_starts_the_wait_and_the_record(office, version):
    home = at_home(office, version)
    waiting = factories.submitted(office, version)
    counter = office.counters.get(number=2)
    arrived = services.check_in(home.pk, counter=counter)
    assert (arrived.status, arrived.ticket_number, arrived.counter) == (S.SUBMITTED, 2, counter)
    assert arrived.submitted_at > waiting.submitted_at and arrived.submitted_at > arrived.prepared_at
    assert services.people_ahead(arrived) == 1
    assert ArchivedDocument.objects.filter(submission=arrived).exists()
    with pytest.raises(services.ActionRefused) as exc:
        services.check_in(home.pk)
    assert exc.value.code == "conflict"


def test_only_this_offices_forms_of_this_phone_check_in(office, other_office, version):
    mine, elsewhere, not_mine = at_home(office, version), at_home(other_office, version), at_home(office, version)
    arrived = services.check_in_arrivals(office, [mine.public_token, elsewhere.public_token, "forged"])
    assert [s.pk for s in arrived] == [mine.pk]
    assert Submission.objects.get(pk=not_mine.pk).status == S.PRE_ARRIVAL
    assert Submission.objects.get(pk=elsewhere.pk).status == S.PRE_ARRIVAL


def test_the_lobby_code_checks_in_and_a_wrong_one_is_404(client, office, version):
    client.get(reverse("intake:office_home", args=[office.slug]))
    home = at_home(office, version)
    client.get(reverse("intake:ticket", args=[home.public_token]))  # the phone remembers it
    assert client.get(reverse("intake:lobby_entry", args=[office.slug, "0" * 16])).status_code == 404
    response = client.get(reverse("intake:lobby_entry", args=[office.slug, qr.lobby_token(office)]), follow=True)
    home.refresh_from_db()
    assert (home.status, home.ticket_number, home.counter) == (S.SUBMITTED, 1, None)
    assert response.redirect_chain[-1][0] == reverse("intake:ticket", args=[home.public_token])
    assert "도착을 확인했습니다. 번호표 1번을 받았습니다." in response.text


def test_a_tampered_cookie_checks_nothing_in(client, office, version):
    home = at_home(office, version)
    client.cookies[resident.PRE_ARRIVAL_COOKIE] = home.public_token  # unsigned
    client.get(reverse("intake:counter_entry", args=[office.counters.first().qr_token]))
    assert Submission.objects.get(pk=home.pk).status == S.PRE_ARRIVAL


def test_the_home_link_marks_the_session_until_a_counter_is_scanned(client, office, version):
    page = client.get(reverse("intake:office", args=[office.slug])).text
    assert reverse("intake:office_home", args=[office.slug]) in page
    page = client.get(reverse("intake:office_home", args=[office.slug]), follow=True).text
    assert "data-at-home" in page and "2일 동안 보관합니다" in page
    page = client.get(reverse("intake:counter_entry", args=[office.counters.first().qr_token]), follow=True).text
    assert "data-at-home" not in page


def test_the_job_expires_and_purges_after_the_offices_period(office, version):
    office.pre_arrival_days = 3
    office.save()
    home, withdrawn = at_home(office, version), at_home(office, version)
    services.withdraw(withdrawn.pk)
    now = timezone.now()
    ended = visits.end_unarrived(office, now + datetime.timedelta(days=2, hours=23))
    assert (ended.expired, ended.purged) == (0, 1)  # withdrawn before the visit: nothing kept
    assert Submission.objects.get(pk=withdrawn.pk).sensitive_data == ""
    assert Submission.objects.get(pk=home.pk).status == S.PRE_ARRIVAL
    runs = jobs.run_due(now + datetime.timedelta(days=3, hours=1))
    (run,) = [r for r in runs if r.job == "pre_arrival_expire"]
    assert run.counts == {"expired": 1, "purged": 1, "drafts": 0} and run.error == ""
    home.refresh_from_db()
    assert (home.status, home.data, home.sensitive_data) == (S.EXPIRED, {}, "")
    assert home.personal_data_purged_at is not None
    assert not ArchivedDocument.objects.filter(submission__in=[home, withdrawn]).exists()


def test_the_report_counts_only_what_was_brought_in(office, version, officer):
    at_home(office, version)
    services.withdraw(at_home(office, version).pk)
    arrived = services.check_in(at_home(office, version).pk)
    today = timezone.localdate()
    f = ReportFilter(today, today, (office.pk,))
    report = reports.build(f, reports.factor_set())
    assert report.total.submissions == 1
    assert casework.build(f).total.withdrawn == 0
    assert satisfaction.build(f).total.ratings == 0
    assert arrived.ticket_number == 1
