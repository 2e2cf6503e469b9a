import pytest
from django.urls import reverse

from intake import qr
from intake import services as intake_services
from officer_console.console import services
from officer_console.models import Membership

pytestmark = pytest.mark.django_db


def test_ticket_shows_the_fields_to_fix_and_the_correct_page_resubmits_the_same_submission(
    client, officer, office, submission
):
    services.call(submission.pk, officer, office.counters.get(number=2))
    services.request_correction(submission.pk, officer, ["address", "rrn"], "호수까지 적어 주세요")
    ticket = client.get(reverse("intake:ticket", args=[submission.public_token]))
    assert 'data-correction-field="address"' in ticket.text and "호수까지 적어 주세요" in ticket.text

    url = reverse("intake:correct", args=[submission.public_token])
    page = client.get(url)
    # Only the asked fields; the personal number is typed again, never shown back.
    assert 'name="address__road"' in page.text and 'name="name"' not in page.text
    assert "1234568" not in page.text and 'name="rrn"' in page.text

    # A bad value: a Korean message, what was typed is kept, nothing changes.
    bad = client.post(url, {"address": "서울특별시 서초구 남부순환로 2584, 404호", "rrn": "9001"})
    assert bad.status_code == 200 and "404호" in bad.text and "error-summary" in bad.text
    submission.refresh_from_db()
    assert submission.status == "correction"

    done = client.post(url, {"address": "서울특별시 서초구 남부순환로 2584, 404호", "rrn": "900101-1234568"})
    assert done["Location"] == reverse("intake:ticket", args=[submission.public_token])
    submission.refresh_from_db()
    assert submission.status == "called" and submission.ticket_number == 1
    assert intake_services.submission_values(submission)["address"].endswith("404호")
    ticket = client.get(reverse("intake:ticket", args=[submission.public_token]))
    assert 'data-called-counter="2"' in ticket.text


def test_correct_page_when_nothing_is_asked_goes_back_to_the_ticket(client, submission):
    response = client.get(reverse("intake:correct", args=[submission.public_token]), follow=True)
    assert "고칠 수 있는 상태가 아닙니다" in response.text
    assert client.get(reverse("intake:correct", args=["no-such-token"])).status_code == 404


def test_ticket_names_the_new_counter_and_officer_after_a_transfer(client, officer, office, submission):
    colleague = Membership.objects.create(
        user=type(officer).objects.create_user("kim", first_name="민수", last_name="김"), office=office
    ).user
    services.transfer(submission.pk, officer, counter=office.counters.get(number=2), officer=colleague)
    ticket = client.get(reverse("intake:ticket", args=[submission.public_token]))
    assert "data-handler" in ticket.text and "2번 창구" in ticket.text and "민수" in ticket.text


def test_ticket_shows_the_hand_off_code_as_a_qr_for_the_counter_scanner(client, submission):
    ticket = client.get(reverse("intake:ticket", args=[submission.public_token]))
    qr_url = reverse("intake:handoff_qr", args=[submission.public_token])
    assert qr_url in ticket.text
    image = client.get(qr_url)
    assert image["Content-Type"] == "image/svg+xml"
    # It encodes the code itself (what a scanner should type), not the secret ticket link.
    assert image.content == qr.svg(submission.handoff_code)
    assert client.get(reverse("intake:handoff_qr", args=["nope"])).status_code == 404
