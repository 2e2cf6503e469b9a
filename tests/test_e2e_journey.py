"""The walking skeleton, driven as its users do: a phone and an officer's console."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from intake.models import Submission
from pdfgen.models import ArchivedDocument

from . import factories, live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        yield url


def test_qr_to_phone_to_live_console_to_archived_pdf(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    factories.officer(office, "officer.seocho")
    counter = office.counters.get(number=3)

    console = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True).new_page()
    console.goto(f"{stack}/console/")
    console.fill("#id_username", "officer.seocho")
    console.fill("#id_password", "pw-for-tests-1")
    console.click("button[type=submit]")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(0)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    phone.goto(f"{stack}/q/{counter.qr_token}/")
    expect(phone.locator(".eyebrow")).to_contain_text("3번 창구")
    phone.get_by_role("link", name=re.compile(version.template.title)).click()

    # Submitting empty shows the summary and keeps the page; nothing is created.
    phone.locator("[data-submit]").click()
    expect(phone.locator("#error-summary")).to_contain_text("고칠 곳이")
    assert Submission.objects.count() == 0

    phone.get_by_label("본인").check()
    phone.fill("#field-name-input", "홍길동")
    phone.fill("#field-rrn-input", "900101-1234568")
    phone.fill("#field-phone-input", "01012345678")
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584, 101호")
    phone.fill("#field-copies-input", "2")
    phone.get_by_label("동의합니다").check()
    # Each change is checked by htmx; wait until the old messages are gone so
    # the page has stopped moving before signing.
    expect(phone.locator("#field-copies-feedback .error")).to_have_count(0)
    expect(phone.locator("#field-consent-feedback .error")).to_have_count(0)
    canvas = phone.locator(".signature-pad canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 20, box["y"] + 40)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
    phone.mouse.up()
    expect(phone.locator("#field-signature-input")).to_have_value(re.compile(r"^data:image/png;base64,"))
    # A double tap must make one submission.
    phone.locator("[data-submit]").dblclick()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    submission = Submission.objects.get()
    expect(phone.locator("[data-reference]")).to_have_text(submission.reference)

    # The console shows it without a reload.
    row = console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')
    expect(row).to_contain_text(version.template.title)
    expect(row.locator(".ticket-cell")).to_have_text("1")
    expect(console).to_have_title(re.compile(r"^\(1\)"))

    row.locator("a").click()
    expect(console.locator("[data-field=rrn]")).to_have_text("900101-1******")
    console.get_by_role("button", name=re.compile("호출")).click()
    console.get_by_role("button", name=re.compile("처리 완료")).click()
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "completed")
    submission.refresh_from_db()
    assert submission.paper_sheets_saved == version.paper_sheets

    # The worker archives the completed submission; the officer downloads it.
    link = console.locator("[data-pdf]")
    for _ in range(100):
        doc = ArchivedDocument.objects.get(submission=submission)
        if doc.status == "done" and doc.rendered_revision == submission.revision:
            break
        console.wait_for_timeout(200)
    console.reload()
    with console.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "홍길동" in text and submission.reference in text and "처리 완료" in text
    assert version.template.title in text
