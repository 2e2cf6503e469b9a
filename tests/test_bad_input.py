"""Input that used to answer 500: each now gets a 4xx or its page with a Korean message.

Python reads more than a form should: "²".isdigit() is True but int("²")
fails, int("١٢") is 12, 30 digits overflow the database, and a date can be
valid while the day after it is not. project/parsing.py reads them all.
"""

import datetime

import pytest
from django.urls import reverse

from officer_console.models import Membership
from project import parsing

from . import factories


@pytest.mark.parametrize("raw", ["²", "١٢", "１２", "9" * 19, "1.5", " ", "", None, "0x10", "1_000"])
def test_integers_are_ascii_digits_within_bigint(raw):
    assert parsing.integer(raw) is None


def test_integers_and_ids():
    assert parsing.integer(" 42 ") == 42 and parsing.integer(7) == 7 and parsing.integer("-3") == -3
    assert parsing.object_id("0") is None and parsing.object_id("-1") is None and parsing.object_id("12") == 12
    assert parsing.integer("5", maximum=4) is None


@pytest.mark.parametrize(
    "raw", ["9999-12-31", "0001-01-01", "2024-02-30", "２０２４-０１-０１", "20240101", "2024-W01-1", "x"]
)
def test_dates_are_iso_and_inside_the_service_range(raw):
    assert parsing.date(raw) is None


def test_a_good_date_and_a_local_url(rf):
    assert parsing.date("2026-01-31") == datetime.date(2026, 1, 31)
    request = rf.get("/")
    assert parsing.local_url(request, "/t/abc/") == "/t/abc/"
    for raw in ["https://evil.example/", "//evil.example/", "intake:home", "６١2", "/\\evil", None, "/a\x00"]:
        assert parsing.local_url(request, raw) is None, raw


def test_unicode_digits_in_a_ticket_number_get_a_message(client, office, officer):
    client.force_login(officer)
    response = client.get(reverse("officer_console:search", args=[office.pk]), {"ticket": "²"})
    assert response.status_code == 200 and "번호표는 숫자로 입력해 주세요" in response.text
    response = client.get(reverse("officer_console:search", args=[office.pk]), {"date_from": "9999-12-31"})
    assert "2000년부터 2099년 사이로" in response.text


def test_a_bad_return_address_after_the_preferences_goes_home(client, db):
    for raw in ["６١2１０٩８", "intake:ticket", "https://evil.example/"]:
        response = client.post(reverse("intake:preferences"), {"language": "en", "next": raw})
        assert response.status_code == 302 and response.url == reverse("intake:home"), raw


def test_a_report_to_the_end_of_the_calendar_is_refused_with_a_message(client, office):
    client.force_login(factories.officer(office, "manager", role="manager"))
    for params in ({"end": "9999-12-31"}, {"start": "0001-01-01"}, {"start": "1999-12-31", "end": "2000-01-05"}):
        response = client.get(reverse("reports:report"), params)
        assert response.status_code == 400 and "2000-01-01부터 2099-12-31 사이로" in response.text, params
    assert client.get(reverse("reports:csv"), {"end": "9999-12-31"}).status_code == 400


def test_non_numeric_counter_and_officer_ids_are_ignored(client, office, officer, submission):
    client.force_login(officer)
    response = client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": "²"})
    assert response.status_code == 302
    response = client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": "abc"})
    assert response.status_code == 302
    url = reverse("officer_console:submission_action", args=[submission.pk, "transfer"])
    for counter, colleague in (("abc", ""), ("", "²"), ("9" * 30, "1" * 30)):
        response = client.post(url, {"counter": counter, "officer": colleague, "note": "x"})
        assert response.status_code == 302, (counter, colleague)


def test_a_bad_page_clock_in_an_autosave_is_ignored(client, office, version):
    client.get(reverse("intake:form", args=[office.slug, version.template.code]))
    url = reverse("intake:autosave", args=[office.slug, version.template.code])
    for seq in ("²", "9" * 40, "-1"):
        assert client.post(url, {"_seq": seq, "name": "홍길동"}).status_code == 204


def test_archive_bundle_dates_at_the_end_of_the_calendar(client, office):
    # The bundle needs both rights at the office (issue #21 point 12).
    manager = factories.officer(office, "manager", role="manager")
    Membership.objects.create(user=manager, office=office, role=Membership.Role.OFFICER)
    client.force_login(manager)
    for day in ("9999-12-31", "0001-01-01", "２０２４-０１-０１"):
        response = client.get(reverse("archive:bundle"), {"date": day, "office": office.pk})
        assert response.status_code == 400 and "연-월-일" in response.text, day


def test_pdf_retry_with_a_view_name_as_next(client, office, officer, submission):
    client.force_login(officer)
    response = client.post(reverse("archive:retry", args=[submission.pk]), {"next": "６١2１０٩８"})
    assert response.status_code == 302 and response.url == reverse("archive:status", args=[submission.pk])


def test_unicode_digits_in_a_row_to_remove_and_in_admin_ids(client, office, version, admin_client):
    client.get(reverse("intake:form", args=[office.slug, version.template.code]))
    response = client.post(
        reverse("intake:form", args=[office.slug, version.template.code]), {"_row": "remove:members:²"}
    )
    assert response.status_code == 200
    for params in ({"against": "4²49"}, {"against": "9" * 30}):
        response = admin_client.get(reverse("admin:forms_catalog_formversion_diff", args=[version.pk]), params)
        assert response.status_code == 200, params
    response = admin_client.get(reverse("admin:forms_catalog_formversion_add"), {"template": "²"})
    assert response.status_code == 200
