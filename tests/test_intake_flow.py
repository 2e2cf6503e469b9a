"""The form in steps and the review page, driven by plain POSTs (no JavaScript)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from intake import services
from intake.models import Draft, Office, Submission

from . import factories
from .factories import RRN, SIGNATURE

pytestmark = pytest.mark.django_db

SEAL = "seal-certificate"

REQUEST = {"applicant_type": "self"}
APPLICANT = {
    "applicant_name": "홍길동",
    "applicant_rrn": RRN,
    "applicant_address__road": "서울특별시 서초구 남부순환로 2584",
    "applicant_address__detail": "101호",
    "applicant_phone": "010-1234-5678",
}
ISSUE = {"seal_use": "general", "copies": "1"}


@pytest.fixture
def seal_url(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--no-history")
    office = Office.objects.filter(forms__code=SEAL).first()
    return reverse("intake:form", args=[office.slug, SEAL])


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("L", (40, 40), 200).save(out, "PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


def _next(client, url, step, values):
    return client.post(url, {**values, "_step": step, "_nav": "next"})


def test_a_long_form_goes_step_by_step_and_checks_each_step(client, seal_url):
    page = client.get(seal_url)
    assert "1/4단계" in page.text and page.text.count('aria-current="step"') == 1
    assert 'id="section-request"' in page.text and 'id="section-applicant"' not in page.text

    # 다음 with nothing chosen: this step's fields only, in the summary, page kept.
    page = _next(client, seal_url, "request", {})
    assert page.status_code == 200 and "고칠 곳이 1군데" in page.text
    assert 'href="#field-applicant_type-input"' in page.text

    response = _next(client, seal_url, "request", REQUEST)
    assert response.status_code == 302 and response["Location"] == f"{seal_url}?step=applicant"
    page = _next(client, seal_url, "applicant", {**APPLICANT, "applicant_rrn": "900101-1"})
    assert "2/4단계" in page.text and "고칠 곳이 1군데" in page.text
    assert 'value="900101-1"' in page.text and 'value="홍길동"' in page.text  # nothing typed is lost

    # 이전 saves without checking; a reload (plain GET) comes back to the same step.
    response = client.post(seal_url, {"applicant_name": "홍길순", "_step": "applicant", "_nav": "prev"})
    assert response["Location"] == f"{seal_url}?step=request"
    assert Draft.objects.get().step == "request"
    assert 'id="section-request"' in client.get(seal_url).text
    assert 'value="홍길순"' in client.get(seal_url, {"step": "applicant"}).text


def test_review_shows_every_answer_masked_with_change_links_then_submits_once(client, seal_url):
    client.get(seal_url)
    _next(client, seal_url, "request", REQUEST)
    _next(client, seal_url, "applicant", APPLICANT)
    response = _next(client, seal_url, "issue", ISSUE)
    assert response["Location"] == f"{seal_url}?step=review"

    review = client.get(response["Location"])
    assert "4/4단계" in review.text and "입력 내용 확인" in review.text
    assert "900101-1******" in review.text and RRN not in review.text
    row = re.search(r'data-review="applicant_rrn">(.*?)</div>', review.text, re.S)
    change = f"{seal_url}?step=applicant&amp;from=review#field-applicant_rrn-input"
    assert row and f'href="{change}"' in row.group(1)
    # Changing one answer: 다음 goes straight back to the review page.
    assert 'name="_return" value="review"' in client.get(seal_url, {"step": "applicant", "from": "review"}).text
    back = client.post(
        seal_url, {**APPLICANT, "applicant_name": "홍길순", "_step": "applicant", "_nav": "next", "_return": "review"}
    )
    assert back["Location"] == f"{seal_url}?step=review"
    assert "홍길순" in client.get(back["Location"]).text
    assert "서울특별시 서초구 남부순환로 2584, 101호" in review.text
    assert 'id="field-privacy_consent"' in review.text and 'id="field-applicant_signature"' in review.text

    # Submit without signing: back on the review page, the signature asked for.
    key = str(Draft.objects.get().idempotency_key)
    page = client.post(seal_url, {"privacy_consent": "agree", "_step": "review", "idempotency_key": key})
    assert page.status_code == 200 and "입력 내용 확인" in page.text and "서명" in page.text
    assert Submission.objects.count() == 0

    # Signing by typing the name (the keyboard and no-JavaScript way).
    signed = {"applicant_signature": "", "applicant_signature__typed": "홍길동", "idempotency_key": key}
    first = client.post(seal_url, {**signed, "_step": "review"})
    again = client.post(seal_url, {**signed, "_step": "review"})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    submission = Submission.objects.get()
    signature = services.submission_values(submission)["applicant_signature"]
    assert signature.startswith("data:image/png;base64,")


def test_the_proxy_path_adds_the_delegation_steps_and_the_principal(korea_clock, client, seal_url):
    # Half past midnight in Seoul, still yesterday in UTC: the power of attorney
    # is dated today, which is no future date in Korea.
    today = korea_clock.set("2026-03-04 00:30").date()
    client.get(seal_url)
    _next(client, seal_url, "request", {"applicant_type": "proxy"})
    _next(client, seal_url, "applicant", APPLICANT)
    page = client.get(seal_url, {"step": "issue"})
    assert "3/6단계" in page.text
    response = _next(client, seal_url, "issue", ISSUE)
    assert response["Location"] == f"{seal_url}?step=proxy"
    proxy = {
        "proxy_name": "김대리",
        "proxy_rrn": "850505-1234564",
        "proxy_address__road": "서울특별시 서초구 서초대로 1",
        "proxy_address__detail": "",
        "proxy_phone": "010-9876-5432",
        "proxy_relation": "배우자",
    }
    response = _next(client, seal_url, "proxy", proxy)
    assert response["Location"] == f"{seal_url}?step=delegation"
    # The 위임자 is the 신청인 above: their name, number and address are not asked again.
    page = client.get(seal_url, {"step": "delegation"})
    assert 'name="principal_name"' not in page.text and 'name="principal_rrn"' not in page.text
    delegation = {
        "delegation_date": today.isoformat(),
        "principal_seal": _png(),
        "delegation_letter": _png(),
    }
    response = _next(client, seal_url, "delegation", delegation)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(response["Location"])
    assert "김대리" in review.text and "850505-1******" in review.text and "scan.png" in review.text
    assert f"{seal_url}?step=delegation&amp;from=review#field-delegation_date-input" in review.text

    # Back to 본인: the 대리인 steps go, and what they held is not filed.
    _next(client, seal_url, "request", REQUEST)
    assert "4/4단계" in client.get(seal_url, {"step": "review"}).text
    key = str(Draft.objects.get().idempotency_key)
    client.post(seal_url, {"privacy_consent": "agree", "applicant_signature": SIGNATURE, "idempotency_key": key})
    stored = services.submission_values(Submission.objects.get())
    assert "proxy_name" not in stored and "principal_seal" not in stored


def test_a_short_form_stays_on_one_page_before_review(client, office, version):
    url = reverse("intake:form", args=[office.slug, version.template.code])
    page = client.get(url)
    assert "1/2단계" in page.text and 'id="section-applicant"' in page.text and 'id="section-proxy"' in page.text
    assert 'id="field-signature"' not in page.text  # signed on the review page
    values = {k: v for k, v in factories.VALID_VALUES.items() if k not in ("consent", "signature")}
    response = client.post(url, {**values, "_step": "form", "_nav": "next"})
    assert response["Location"] == f"{url}?step=review"


def test_autosave_keeps_the_page_and_ignores_a_page_already_submitted(client, office, version):
    url = reverse("intake:form", args=[office.slug, version.template.code])
    client.get(url)
    autosave = reverse("intake:autosave", args=[office.slug, version.template.code])
    assert client.post(autosave, {"name": "홍길", "_step": "form"}).status_code == 204
    assert services.draft_values(Draft.objects.get())["name"] == "홍길"

    key = str(Draft.objects.get().idempotency_key)
    client.post(url, {**factories.VALID_VALUES, "idempotency_key": key})
    assert client.post(autosave, {"name": "늦은 저장", "idempotency_key": key}).status_code == 204
    assert Draft.objects.count() == 1  # no new draft started by a late save


def test_a_save_that_arrives_late_never_overwrites_a_newer_one(client, office, version):
    client.get(reverse("intake:form", args=[office.slug, version.template.code]))
    autosave = reverse("intake:autosave", args=[office.slug, version.template.code])
    # The page sent "홍길동" at 2000 ms, and before that "홍" at 1000 ms; the network delivered them crossed.
    client.post(autosave, {"name": "홍길동", "_seq": "2000"})
    client.post(autosave, {"name": "홍", "phone": "010", "_seq": "1000"})
    values = services.draft_values(Draft.objects.get())
    assert values["name"] == "홍길동" and "phone" not in values
    client.post(autosave, {"name": "홍길동전", "_seq": "3000"})
    assert services.draft_values(Draft.objects.get())["name"] == "홍길동전"
