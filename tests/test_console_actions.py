"""The staff action registry: each action's Form validates its input before its service runs."""

import pytest
from django.urls import reverse

from officer_console.console import actions

from . import factories


def _post(client, submission, action, data=None, **extra):
    return client.post(
        reverse("officer_console:submission_action", args=[submission.pk, action]), data or {}, follow=True, **extra
    )


def test_every_lifecycle_staff_move_has_an_action_form():
    from intake import lifecycle

    staff_moves = {a for a, m in lifecycle.MOVES.items() if m.by in (lifecycle.STAFF, lifecycle.RESIDENT_OR_STAFF)}
    assert set(actions.ACTIONS) == staff_moves


def test_an_unknown_action_is_404(client, officer, submission):
    client.force_login(officer)
    response = client.post(reverse("officer_console:submission_action", args=[submission.pk, "explode"]))
    assert response.status_code == 404


@pytest.mark.parametrize("field", ["counter", "officer"])
@pytest.mark.parametrize("value", ["abc", "²", "999999"])
def test_a_transfer_to_a_target_not_in_the_list_says_how_to_fix_it(client, officer, submission, field, value):
    client.force_login(officer)
    response = _post(client, submission, "transfer", {field: value})
    assert response.status_code == 200
    assert "목록에서 골라 주세요" in response.text
    submission.refresh_from_db()
    assert submission.revision == 1


def test_a_transfer_to_another_offices_counter_is_refused(client, officer, submission, other_office):
    client.force_login(officer)
    foreign = other_office.counters.first()
    response = _post(client, submission, "transfer", {"counter": foreign.pk})
    assert "목록에서 골라 주세요" in response.text


def test_a_transfer_to_a_colleague_moves_the_handler(client, officer, office, submission):
    colleague = factories.officer(office, "colleague")
    client.force_login(officer)
    response = _post(client, submission, "transfer", {"officer": colleague.pk, "note": "가족관계 담당"})
    assert "이관했습니다" in response.text
    submission.refresh_from_db()
    assert submission.handled_by == colleague


def test_reject_without_a_reason_keeps_the_submission_open(client, officer, submission):
    client.force_login(officer)
    response = _post(client, submission, "reject", {"reason": "   ", "confirmed": "1"})
    assert "반려 사유를 입력해 주세요" in response.text
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_id_check_is_on_only_for_one(client, officer, submission):
    from officer_console.models import Review

    client.force_login(officer)
    _post(client, submission, "id_check", {"checked": "0"})
    assert Review.objects.get(submission=submission).id_checked_at is None
    _post(client, submission, "id_check", {"checked": "1"})
    assert Review.objects.get(submission=submission).id_checked_by == officer
