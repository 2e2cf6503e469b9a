"""An officer sees a failed PDF, presses retry, and watches it become downloadable (real browser, worker)."""

import io
import re

import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect
from pypdf import PdfReader

from pdfgen.models import ArchivedDocument

from . import factories, live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_retries_a_failed_pdf_and_downloads_it(browser, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    submission = factories.submitted(office, version)
    # As after five failed attempts: no task left, the row marked failed.
    DBTaskResult.objects.all().delete()
    ArchivedDocument.objects.filter(submission=submission).update(
        status=ArchivedDocument.Status.FAILED, attempts=5, last_error="OSError: storage unreachable"
    )

    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        page = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True).new_page()
        page.goto(f"{url}/console/")
        page.fill("#id_username", "officer.seocho")
        page.fill("#id_password", "pw-for-tests-1")
        page.click("button[type=submit]")
        page.goto(f"{url}/console/submission/{submission.pk}/")
        status = page.locator(".pdf-status")
        expect(status).to_contain_text("실패")
        expect(status).to_contain_text("storage unreachable")

        page.get_by_role("button", name=re.compile("다시 만들기")).click()
        # htmx swaps in the pending state, which polls until the worker is done.
        expect(page.locator("[data-pdf-status=done]")).to_be_visible(timeout=60_000)
        # The PDF prints the full 주민등록번호: it is handed over for a stated reason only.
        page.locator("[data-pdf-form] input[name=reason]").fill("민원인 사본 요청")
        with page.expect_download() as download_info:
            page.locator("[data-pdf]").click()
        with open(download_info.value.path(), "rb") as handle:
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
        assert submission.reference in text and "홍길동" in text
    doc = ArchivedDocument.objects.get(submission=submission)
    assert doc.status == "done" and doc.attempts == 0
