"""처리중, 수수료 and the open-민원 view, as an officer uses them in the console."""

import datetime

import pytest
from django.urls import reverse

from intake.models import FeeRecord, Submission
from officer_console.console import services as console

from . import daytime, factories
from .factories import KST

pytestmark = pytest.mark.django_db
clock = daytime.clock


@pytest.fixture
def paid_form(version):
    return daytime.with_terms(version)


@pytest.fixture
def called(clock, office, paid_form, officer):
    submission = factories.submitted(office, paid_form)  # 2 copies
    console.call(submission.pk, officer, None)
    return submission


def _act(client, submission, action, **data):
    return client.post(reverse("officer_console:submission_action", args=[submission.pk, action]), data, follow=True)


def test_the_fee_is_fixed_at_submission_per_copy(called):
    assert called.fee_due == 800


def test_completing_waits_for_the_fee_then_records_it_paid(client, called, officer):
    client.force_login(officer)
    page = _act(client, called, "complete", confirmed="1").content.decode()
    assert "수수료 800원의 수납 또는 감면을 먼저 기록해 주세요" in page
    assert Submission.objects.get(pk=called.pk).status == "called"
    assert "data-fee-form" in page and 'data-fee-due="800"' in page

    page = _act(client, called, "fee", outcome="paid").content.decode()
    assert "수납 방법(현금·카드·기타)을 골라 주세요" in page
    _act(client, called, "fee", outcome="paid", method="card")
    record = FeeRecord.objects.get(submission=called)
    assert (record.outcome, record.method, record.amount, record.recorded_by) == ("paid", "card", 800, officer)
    _act(client, called, "complete", confirmed="1")
    assert Submission.objects.get(pk=called.pk).status == "completed"


def test_a_waiver_needs_one_of_the_forms_categories(client, called, officer):
    client.force_login(officer)
    page = _act(client, called, "fee", outcome="waived", exemption="made_up").content.decode()
    assert "감면 사유를 이 서식의 감면 대상 목록에서 골라 주세요" in page
    _act(client, called, "fee", outcome="waived", exemption="basic_livelihood", evidence="수급자 증명서 확인")
    record = FeeRecord.objects.get(submission=called)
    assert (record.outcome, record.exemption_label, record.evidence_note) == (
        "waived",
        "국민기초생활보장 수급자",
        "수급자 증명서 확인",
    )
    assert record.method == ""


def test_processing_keeps_a_minwon_open_across_days_in_the_open_view(client, clock, called, officer, office):
    client.force_login(officer)
    _act(client, called, "process")
    called.refresh_from_db()
    assert called.status == "processing"
    clock.set("2027-02-11", 11)  # six days later: gone from the queue, in the open view, due within a day
    assert not client.get(reverse("officer_console:console", args=[office.pk])).context["queue"]
    open_url = reverse("officer_console:open", args=[office.pk])
    page = client.get(open_url).content.decode()
    assert f'data-id="{called.pk}"' in page and 'data-standing="due_soon"' in page
    assert f'data-id="{called.pk}"' in client.get(open_url, {"scope": "mine", "due": "soon"}).content.decode()
    assert f'data-id="{called.pk}"' not in client.get(open_url, {"due": "overdue"}).content.decode()
    clock.set("2027-02-12", 10, 30)
    page = client.get(open_url, {"due": "overdue", "status": "processing"}).content.decode()
    assert f'data-id="{called.pk}"' in page and "기한 지남" in page
    other = factories.officer(office, "colleague")
    client.force_login(other)
    assert f'data-id="{called.pk}"' not in client.get(open_url, {"scope": "mine"}).content.decode()
    # The officer completes it from the check view once the fee is settled.
    client.force_login(officer)
    _act(client, called, "fee", outcome="paid", method="cash")
    _act(client, called, "complete", confirmed="1")
    assert Submission.objects.get(pk=called.pk).status == "completed"
    assert f'data-id="{called.pk}"' not in client.get(open_url).content.decode()


def test_the_open_view_is_only_for_the_offices_staff(client, other_office, officer):
    client.force_login(officer)
    assert client.get(reverse("officer_console:open", args=[other_office.pk])).status_code == 404


def test_the_check_view_shows_the_due_date_and_the_fee(client, called, officer):
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[called.pk])).content.decode()
    due = datetime.datetime(2027, 2, 12, 10, tzinfo=KST)  # Fri 5 10:00 + 3 working days over 설날
    assert f'data-due-at="{due.isoformat()}"' in page and "2027-02-12" in page
    assert "800원" in page
