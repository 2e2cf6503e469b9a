"""The check view: fields picked on the form for a correction, the resident's fixes marked, confirmations without JavaScript."""

import pytest
from django.urls import reverse

from intake import services as intake_services
from officer_console.console import services

pytestmark = pytest.mark.django_db


def _page(client, submission):
    return client.get(reverse("officer_console:submission", args=[submission.pk])).text


def _act(client, submission, action, **data):
    return client.post(reverse("officer_console:submission_action", args=[submission.pk, action]), data)


def test_each_shown_field_is_picked_on_its_own_row_for_the_correction_form(client, officer, submission):
    client.force_login(officer)
    page = _page(client, submission)
    for key in ("name", "rrn", "address", "copies"):
        assert f'name="fields" value="{key}" form="correction-form" data-pick="{key}"' in page
    assert 'value="proxy_name"' not in page  # hidden by its condition
    assert '<form id="correction-form"' in page
    # Without JavaScript the ticked rows post with the form they name.
    _act(client, submission, "correction", fields=["address", "phone"], message="호수까지 적어 주세요")
    submission.refresh_from_db()
    assert submission.status == "correction" and submission.correction_fields == ["address", "phone"]
    page = _page(client, submission)
    assert "data-awaiting-correction" in page and 'form="correction-form"' not in page
    assert page.count("보완 요청함") == 2


def test_the_residents_fix_is_marked_with_before_and_after(client, officer, submission):
    services.request_correction(submission.pk, officer, ["address", "rrn", "phone"], "고쳐 주세요")
    intake_services.resubmit_correction(
        submission.pk, {"address": "서울특별시 서초구 남부순환로 2584, 1203호", "rrn": "800101-1234560", "phone": ""}
    )
    client.force_login(officer)
    page = _page(client, submission)
    assert 'data-fixed="address"' in page
    assert "<del data-before>서울특별시 서초구 남부순환로 2584, 101호</del>" in page
    assert "<ins data-after>서울특별시 서초구 남부순환로 2584, 1203호</ins>" in page
    # A personal number stays masked on both sides; a field sent back unchanged is not marked.
    assert "<del data-before>900101-1******</del>" in page and "<ins data-after>800101-1******</ins>" in page
    assert "1234568" not in page and "1234560" not in page
    assert 'data-fixed="phone"' in page  # emptied: before the number, after —
    assert 'data-fixed="name"' not in page
    # They are not the officer's edits.
    assert "data-edit-row" not in page


def test_completing_and_rejecting_without_javascript_ask_on_a_page_first(client, officer, submission):
    services.call(submission.pk, officer, None)
    client.force_login(officer)
    page = _act(client, submission, "complete")
    assert page.status_code == 200 and "data-confirm-page" in page.text and "처리 완료할까요?" in page.text
    assert 'name="confirmed" value="1"' in page.text
    page = _act(client, submission, "reject", reason="서명 누락")
    assert "반려할까요?" in page.text and 'value="서명 누락"' in page.text
    submission.refresh_from_db()
    assert submission.status == "called"
    _act(client, submission, "reject", reason="서명 누락", confirmed="1")
    submission.refresh_from_db()
    assert (submission.status, submission.status_note) == ("rejected", "서명 누락")


def test_the_id_check_required_shows_in_the_bar_and_the_dialog(client, officer, submission, version):
    version.service_terms = {"id_check": {"required": True}}
    version.save()
    services.call(submission.pk, officer, None)
    client.force_login(officer)
    page = _page(client, submission)
    assert "data-id-check-required" in page and "id-check-missing" in page and "data-confirm-warning" in page
    response = client.post(
        reverse("officer_console:submission_action", args=[submission.pk, "complete"]), {"confirmed": "1"}, follow=True
    )
    assert "신분증 확인이 필수입니다" in response.text
    services.set_id_checked(submission.pk, officer, True)
    page = _page(client, submission)
    assert "id-check-missing" not in page and "data-confirm-warning" not in page
