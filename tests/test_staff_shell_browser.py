"""The staff shell at 1920×1080: links only where the account may go, refusals as styled pages in the shell."""

import re

import pytest
from playwright.sync_api import expect

from officer_console.models import Membership

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_sees_no_report_link_and_a_styled_refusal_at_its_address(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    factories.officer(office, "manager.seocho", role=Membership.Role.MANAGER)

    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(page, stack, "officer.seocho")
    expect(page.locator("h1")).to_contain_text("대기열")
    expect(page.locator("[data-report-link]")).to_have_count(0)

    # Typed or bookmarked anyway: a page in the console's frame that says why and leads back.
    response = page.goto(f"{stack}/console/reports/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("볼 수 없는 화면입니다")
    expect(page.locator("[data-reason]")).to_have_text("관리자 권한이 있는 계정만 볼 수 있습니다.")
    expect(page.locator(".site-header .brand")).to_have_text("민원 콘솔")
    expect(page.locator("link[href$='css/app.css']")).to_have_count(1)
    assert page.locator(".error-page").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    page.get_by_role("link", name="콘솔 처음으로").click()
    expect(page).to_have_url(re.compile(r"/console/(office/\d+/)?$"))

    # The same shell in English, by the switch.
    page.locator("[data-language=en]").click()
    expect(page.locator(".site-header .brand")).to_have_text("Officer console")
    expect(page.locator("[data-call-next]")).to_contain_text("Call next")

    manager = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(manager, stack, "manager.seocho", next_path="/console/reports/")
    expect(manager.locator("[data-report-link]")).to_be_visible()
    expect(manager.locator("h1")).to_contain_text("종이 절감")
