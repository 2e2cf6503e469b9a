"""The 80 mm ticket slip (intake.views.ticket_slip): any submission holding a ticket."""

import pytest
from django.conf import settings
from django.urls import reverse

from . import factories
from .factories import KST

pytestmark = pytest.mark.django_db


def test_the_slip_shows_number_office_service_time_and_a_qr_to_the_live_ticket(client, office):
    ticket = factories.ticket_only(office)
    page = client.get(reverse("intake:ticket_slip", args=[ticket.public_token]))
    assert page.status_code == 200
    text = page.text
    assert f"data-slip-number>{ticket.ticket_number}<" in text
    assert '<p class="slip-office">서초구청</p>' in text and "data-slip-service>상담<" in text
    assert f'<p class="slip-time">{ticket.submitted_at.astimezone(KST):%Y-%m-%d %H:%M}</p>' in text
    assert 'class="slip-qr" src="data:image/svg+xml;base64,' in text
    assert "data-print" in text and "css/slip.css" in text
    # No inline script or handler (CSP): the print button works through common.js.
    assert "onclick" not in text and "<script>" not in text
    assert "data-slip-ahead>앞에 0명 대기<" in text


def test_the_print_css_fits_an_80mm_receipt_printer():
    css = (settings.BASE_DIR / "project" / "static" / "css" / "slip.css").read_text()
    assert "@page { size: 80mm auto;" in css
    assert "@media print" in css and ".slip-tools { display: none; }" in css


def test_the_back_link_only_returns_to_this_site(client, office):
    ticket = factories.ticket_only(office)
    url = reverse("intake:ticket_slip", args=[ticket.public_token])
    back = f"/console/office/{office.pk}/tickets/"
    assert f'href="{back}" data-slip-back' in client.get(url, {"back": back}).text
    assert "data-slip-back" not in client.get(url, {"back": "https://evil.example/"}).text
    assert "data-slip-back" not in client.get(url).text


def test_a_phone_submission_has_a_slip_too_naming_its_form(client, submission):
    page = client.get(reverse("intake:ticket_slip", args=[submission.public_token]))
    assert page.status_code == 200 and "주민등록표 등본 교부 신청서" in page.text


def test_no_slip_without_a_ticket(client, office, version):
    waiting_at_home = factories.before_visit(office, version)
    assert client.get(reverse("intake:ticket_slip", args=[waiting_at_home.public_token])).status_code == 404
    assert client.get(reverse("intake:ticket_slip", args=["no-such-token"])).status_code == 404
