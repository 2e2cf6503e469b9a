"""The walking skeleton, driven as its users do: a phone and an officer's console."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from intake.models import Submission
from pdfgen.models import ArchivedDocument

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_qr_to_phone_to_live_console_to_archived_pdf(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    factories.officer(office, "officer.seocho")
    counter = office.counters.get(number=3)

    console = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True).new_page()
    steps.log_in(console, stack, "officer.seocho")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(0)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    phone.goto(f"{stack}/q/{counter.qr_token}/")
    expect(phone.locator(".eyebrow")).to_contain_text("3번 창구")
    # KRDS's Pretendard GOV is served from our own static files, not a CDN.
    loaded = phone.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts].filter(f => f.family.includes('Pretendard GOV') && f.status === 'loaded').length }"
    )
    assert loaded >= 1
    phone.get_by_role("link", name=re.compile(version.template.title)).click()

    # Going on with nothing filled in shows the summary and keeps the page; nothing is created.
    phone.locator("[data-next]").click()
    expect(phone.locator("#error-summary")).to_contain_text("고칠 곳이")
    assert Submission.objects.count() == 0

    steps.fill_and_sign(phone)
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
    console.get_by_role("dialog").get_by_role("button", name=re.compile("처리 완료")).click()  # confirmed
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
    console.locator("[data-pdf-form] input[name=reason]").fill("처리 결과 보관 확인")
    with console.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "홍길동" in text and submission.reference in text and "처리 완료" in text
    assert version.template.title in text
