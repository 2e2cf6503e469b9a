"""A manager reads the report in a real browser, filters it and takes it away as CSV and PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from officer_console.models import Membership

from . import factories, live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The `browser` fixture comes from conftest; the report needs no worker.
@pytest.fixture
def stack(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs", worker=False) as url:
        yield url


def test_manager_filters_the_report_and_exports_it(browser, stack, known):
    manager = factories.officer(known["a"], "manager.seocho", role=Membership.Role.MANAGER)
    Membership.objects.create(user=manager, office=known["b"], role=Membership.Role.MANAGER)

    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    page.goto(f"{stack}/console/reports/")
    expect(page).to_have_url(re.compile(r"/console/login/\?next="))
    page.fill("#id_username", "manager.seocho")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("종이 절감")

    page.fill("#id_start", "2025-12-01")
    page.fill("#id_end", "2026-03-31")
    page.get_by_role("button", name=re.compile("보고서 보기")).click()
    expect(page).to_have_url(re.compile(r"start=2025-12-01"))
    expect(page.locator("[data-scope]")).to_contain_text("2025-12-01 ~ 2026-03-31")
    expect(page.locator('[data-figure="sheets"]')).to_have_text(re.compile(r"^19"))
    expect(page.locator('[data-figure="wait-median"]')).to_have_text(re.compile(r"^4\.0"))
    expect(page.locator('[data-figure="baseline"]')).to_have_text(re.compile(r"^27\.1"))
    # Charts are images with a name and a description; the figures are also in tables.
    expect(page.get_by_role("img", name=re.compile("월별 절감 매수"))).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator("#table-months tbody tr")).to_have_count(4)
    expect(page.locator("[data-equivalent=co2]")).to_contain_text("2.88 g")

    page.select_option("#id_office", label="나 주민센터")
    page.get_by_role("button", name=re.compile("보고서 보기")).click()
    expect(page.locator('[data-figure="sheets"]')).to_have_text(re.compile(r"^2\b"))
    expect(page.locator("#table-wait-office tbody tr")).to_have_count(1)

    # Export links follow the filter shown on screen (they are part of the swapped report).
    with page.expect_download() as csv_download:
        page.locator("[data-export=csv]").click()
    with open(csv_download.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "나 주민센터" in text and "가 구청" not in text

    with page.expect_download() as pdf_download:
        page.locator("[data-export=pdf]").click()
    pdf_text = "".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "나 주민센터" in pdf_text and "2025-12-01 ~ 2026-03-31" in pdf_text
