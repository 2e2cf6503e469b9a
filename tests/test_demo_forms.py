"""The shipped demo forms, used as residents use them: every page renders, a 전입신고 with 세대원 submits."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forms_catalog.models import FormTemplate
from intake import flow
from intake.models import Draft, Office, Submission

from .factories import RRN, SIGNATURE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-history")  # the forms only; the history is tested in test_demo_history


def test_every_demo_form_step_renders_with_its_section(client, demo):
    templates = FormTemplate.objects.all()
    assert templates.count() == 11
    for template in templates:
        office = Office.objects.filter(forms=template).first()
        url = reverse("intake:form", args=[office.slug, template.code])
        schema = template.published_version().form
        all_steps = flow.steps(schema, {})
        assert len(all_steps) > 1, template.code  # every demo form is long enough for steps
        for number, step in enumerate(all_steps, start=1):
            page = client.get(url, {"step": step.key})
            assert page.status_code == 200, template.code
            assert f'id="section-{step.key}"' in page.text, (template.code, step.key)
            assert f"{number}/{len(all_steps) + 1}단계" in page.text
        review = client.get(url, {"step": "review"})
        for f in flow.sign_off_fields(schema, {}):
            assert f'id="field-{f.key}"' in review.text, (template.code, f.key)


def test_move_in_report_with_two_household_members(korea_clock, client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    korea_clock.set("2026-03-04 00:30")  # still 3 March in UTC
    url = reverse("intake:form", args=["banpo1-dong", "move-in-report"])
    client.get(url)
    # No future move-in date in the picker; the privacy notice (on the review page) shows its four parts.
    assert 'max="2026-03-04"' in client.get(url, {"step": "destination"}).text
    page = client.get(url, {"step": "review"})
    assert "<dt>보유·이용 기간</dt>" in page.text and "<dt>동의를 거부할 권리와 거부 시 불이익</dt>" in page.text
    client.post(url, {"_row": "add:members", "_step": "members"})
    page = client.post(url, {"members-0-member_name": "홍길순", "_row": "add:members", "_step": "members"})
    assert 'name="members-1-member_rrn"' in page.text and "함께 전입하는 사람 2" in page.text
    values = {
        "applicant_type": "self",
        "household_type": "new",
        "departure_type": "all",
        "applicant_name": "홍길동",
        "applicant_rrn": RRN,
        "applicant_address__road": "서울특별시 서초구 남부순환로 2584",
        "applicant_address__detail": "101호",
        "applicant_phone": "010-1234-5678",
        "applicant_relation_to_head": "본인",
        "applicant_moves_in": "yes",
        "prev_address__road": "경기도 성남시 분당구",
        "prev_head_name": "홍길동",
        "new_address__postcode": "06573",
        "new_address__road": "서울특별시 서초구 신반포로 1",
        "new_address__detail": "",
        "move_in_date": "2024-04-30",
        "new_head_name": "홍길동",
        "members-0-member_name": "홍길순",
        "members-0-member_rrn": "920202-2234567",
        "members-0-member_relation": "배우자",
        "members-1-member_name": "홍아기",
        "members-1-member_rrn": "200505-3",
        "members-1-member_relation": "자녀",
        "mail_forwarding": "decline",
        "lease_report": "decline",
        "privacy_consent": "agree",
        "applicant_signature": SIGNATURE,
        "idempotency_key": str(Draft.objects.get().idempotency_key),
    }
    page = client.post(url, values)
    assert Submission.objects.count() == 0
    assert "함께 전입하는 사람 2 · 주민등록번호" in page.text and "13자리" in page.text
    assert "상세 주소(동·호수)를 입력해 주세요" in page.text
    # The summary links each problem to the step it is on; nothing typed is lost.
    assert f"{url}?step=members#field-members-1-member_rrn-input" in page.text
    assert 'value="홍아기"' in client.get(url, {"step": "members"}).text

    response = client.post(
        url, {**values, "members-1-member_rrn": "200505-3234568", "new_address__detail": "2동 304호"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert "members" not in submission.data and "920202" not in submission.sensitive_data  # encrypted
    from intake.services import submission_values

    stored = submission_values(submission)
    assert [m["member_name"] for m in stored["members"]] == ["홍길순", "홍아기"]
    assert stored["new_address"] == "(06573) 서울특별시 서초구 신반포로 1, 2동 304호"
    assert FormTemplate.objects.get(code="move-in-report").versions.get().paper_sheets == 2
