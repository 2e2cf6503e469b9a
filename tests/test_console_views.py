import pytest
from django.urls import reverse

from officer_console.models import AccessLog

from . import factories


def test_console_requires_login(client, office):
    response = client.get(reverse("officer_console:console", args=[office.pk]))
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_officer_sees_own_queue_but_not_another_office(client, officer, office, other_office, submission):
    client.force_login(officer)
    page = client.get(reverse("officer_console:console", args=[office.pk]))
    assert page.status_code == 200
    assert f'data-id="{submission.pk}"' in page.text
    assert client.get(reverse("officer_console:console", args=[other_office.pk])).status_code == 404


def test_cross_office_submission_is_invisible(client, other_office, version, submission):
    stranger = factories.officer(other_office, "stranger")
    client.force_login(stranger)
    for name in ("officer_console:submission", "officer_console:submission_pdf"):
        assert client.get(reverse(name, args=[submission.pk])).status_code == 404
    assert client.post(reverse("officer_console:submission_action", args=[submission.pk, "call"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_detail_masks_rrn_and_logs_the_view(client, officer, submission):
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[submission.pk]), REMOTE_ADDR="10.1.2.3")
    assert "900101-1******" in page.text
    assert "1234568" not in page.text
    log = AccessLog.objects.get()
    assert (log.username, log.ip, log.action, log.subject_reference) == (
        "officer",
        "10.1.2.3",
        "view",
        submission.reference,
    )


def test_officer_calls_and_completes_through_the_page(client, officer, submission):
    client.force_login(officer)
    for action in ("call", "complete"):
        response = client.post(reverse("officer_console:submission_action", args=[submission.pk, action]))
        assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "completed" and submission.paper_sheets_saved == 2


def test_conflicting_action_shows_a_korean_message(client, officer, submission):
    client.force_login(officer)
    response = client.post(reverse("officer_console:submission_action", args=[submission.pk, "complete"]), follow=True)
    assert "처리할 수 없습니다" in response.text


@pytest.mark.parametrize("method", ["get", "put"])
def test_actions_only_accept_post(client, officer, submission, method):
    client.force_login(officer)
    response = getattr(client, method)(reverse("officer_console:submission_action", args=[submission.pk, "call"]))
    assert response.status_code == 405


XSS = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def test_hostile_values_are_shown_as_text_on_console_and_ticket_pages(client, officer, office, version):
    hostile = factories.submitted(
        office, version, {**factories.VALID_VALUES, "name": XSS[:30], "address": "서울 " + XSS}
    )
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[hostile.pk])).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    ticket = client.get(reverse("intake:ticket", args=[hostile.public_token])).text
    assert "<script>alert" not in ticket
