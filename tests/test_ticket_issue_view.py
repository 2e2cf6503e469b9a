"""The guide staff's 번호표 발급 page (officer_console/console/tickets.py)."""

import uuid

import pytest
from django.urls import reverse

from intake.models import Submission

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsel(db):
    return factories.service("counsel", "상담")


def _url(office):
    return reverse("officer_console:tickets", args=[office.pk])


def test_the_page_is_for_the_offices_staff(client, office, other_office, officer):
    assert client.get(_url(office)).status_code == 302  # to the log-in
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.get(_url(office)).status_code == 404
    assert client.post(_url(office), {"service": "1", "idempotency_key": str(uuid.uuid4())}).status_code == 404
    assert not Submission.objects.exists()


def test_the_console_links_to_it_and_it_shows_a_big_button_per_service(client, office, officer, counsel):
    factories.service()
    client.force_login(officer)
    console = client.get(reverse("officer_console:console", args=[office.pk])).text
    assert f'href="{_url(office)}" data-tickets-link' in console
    page = client.get(_url(office))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert f'name="service" value="{counsel.pk}" data-service="counsel">상담<' in page.text
    assert 'data-service="resident">주민등록<' in page.text
    assert 'name="idempotency_key"' in page.text


def test_pressing_a_service_issues_a_ticket_and_opens_its_slip(client, office, officer, counsel):
    client.force_login(officer)
    key = str(uuid.uuid4())
    response = client.post(_url(office), {"service": counsel.pk, "idempotency_key": key})
    ticket = Submission.objects.get()
    assert (ticket.channel, ticket.service, ticket.ticket_number) == ("ticket", counsel, 1)
    slip = reverse("intake:ticket_slip", args=[ticket.public_token])
    assert response.status_code == 302 and response.url == f"{slip}?back={_url(office)}"
    # A double tap from the same page: the same ticket, the same slip.
    again = client.post(_url(office), {"service": counsel.pk, "idempotency_key": key})
    assert again.url == response.url and Submission.objects.count() == 1


def test_a_refused_tap_says_why_in_korean(client, office, officer, counsel):
    client.force_login(officer)
    response = client.post(_url(office), {"service": "", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 422 and "업무를 골라 주세요." in response.text
    response = client.post(_url(office), {"service": counsel.pk, "idempotency_key": "not-a-key"})
    assert response.status_code == 422 and "화면이 오래되었습니다" in response.text
    assert not Submission.objects.exists()


def test_without_services_the_page_says_what_to_do(client, office, officer):
    client.force_login(officer)
    assert "data-no-services" in client.get(_url(office)).text
