"""접수증: the page and the PDF (parsed back), from the ticket page; the fee on the review page;
the receipt archived with the submission."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake.models import Draft
from pdfgen import services as pdf_services

from . import daytime, factories

pytestmark = pytest.mark.django_db
clock = daytime.clock


@pytest.fixture
def paid_form(version):
    return daytime.with_terms(version)


@pytest.fixture
def submission(clock, office, paid_form):
    clock.set("2027-02-05", 10)  # the Friday before 설날
    return factories.submitted(office, paid_form)  # 2 copies


def test_the_ticket_page_leads_to_the_receipt_page(client, submission):
    ticket = client.get(reverse("intake:ticket", args=[submission.public_token])).content.decode()
    assert f'href="{reverse("pdfgen:receipt", args=[submission.public_token])}"' in ticket
    assert "2027-02-12" in ticket  # the 처리예정일 on the ticket too
    page = client.get(reverse("pdfgen:receipt", args=[submission.public_token]))
    text = page.content.decode()
    # Personal data: never kept by a shared browser or a proxy (the /pdf/ paths add their own no-store too).
    assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
    for expected in (
        submission.reference,
        "800원",
        "1통 400원 × 2통",
        "2027-02-12 (금요일) 10:00",
        "민원여권과",
        "02-123-4567",
    ):
        assert expected in text, expected


def test_the_receipt_pdf_parses_back_with_the_fee_and_the_due_date(client, submission):
    response = client.get(reverse("pdfgen:receipt_pdf", args=[submission.public_token]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "")
    assert submission.reference in text
    assert "800원" in compact and "2027-02-12" in text
    assert "주민등록표등본교부신청서" in compact and "서초구청" in compact


def test_a_wrong_token_finds_no_receipt(client, submission):
    assert client.get(reverse("pdfgen:receipt", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("pdfgen:receipt_pdf", args=["not-a-token"])).status_code == 404


def test_the_archive_embeds_the_receipt(submission):
    _, data = pdf_services.build_context(submission)
    receipt = json.loads(json.dumps(data))["receipt"]
    assert (receipt["fee_due"], receipt["due_at"]) == (800, "2027-02-12T10:00+09:00")


def test_the_review_page_shows_the_fee(client, office, paid_form):
    url = reverse("intake:form", args=[office.slug, paid_form.template.code])
    client.get(url)
    values = {k: v for k, v in factories.VALID_VALUES.items() if k not in ("consent", "signature")}
    client.post(url, {**values, "_step": "applicant", "_nav": "next"})
    assert Draft.objects.exists()
    review = client.get(url, {"step": "review"}).content.decode()
    assert 'data-review-fee="800"' in review and "800원" in review
