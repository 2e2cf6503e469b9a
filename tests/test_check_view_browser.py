"""The officer's check view on the counter PC's real screens: 1920×1080, and still usable at 1366×768."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from intake.models import Submission

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A screen and a server share two cores here and in CI: allow for a busy machine.
expect.set_options(timeout=10_000)

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img" / "check"


def _in_view(page: Page, selector: str) -> None:
    """Every element matching `selector` is inside the window as it is, without scrolling anything."""
    size = page.viewport_size
    assert size is not None
    boxes = page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; })"
    )
    assert boxes, selector
    for top, bottom, left, right in boxes:
        assert top >= 0 and bottom <= size["height"] and left >= 0 and right <= size["width"], (selector, top, bottom)


def _page_height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def _open_at_counter(page: Page, stack: str, office, submission: Submission) -> None:
    steps.log_in(page, stack, "officer.seocho")
    counter = office.counters.get(number=1)
    page.select_option("#counter-select", str(counter.pk))
    expect(page.locator(".counter-badge")).to_have_attribute("data-counter", "1")
    page.locator(f'#queue tbody tr[data-id="{submission.pk}"] a').click()
    expect(page.locator("[data-status]")).to_be_visible()
    steps.check_view_ready(page)


def _seal_certificate_open(browser, stack: str, width: int, height: int) -> tuple[Page, Submission]:
    """A filed 인감증명서 (one page; 신분증 확인 필수, 600원), open at counter 1 on a screen of this size."""
    office, version = factories.demo_form("seal-certificate")
    factories.officer(office, "officer.seocho")
    submission = factories.submitted(office, version, factories.SEAL_VALUES)
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    _open_at_counter(page, stack, office, submission)
    return page, submission


def test_a_one_page_form_and_every_action_fit_one_1080p_screen(browser, stack):
    page, submission = _seal_certificate_open(browser, stack, 1920, 1080)

    # One screen: the whole form, the status and every action, nothing to scroll (main's page was 2,964 px).
    assert _page_height(page) <= 1080
    _in_view(page, "tr[data-row]")
    _in_view(page, "[data-status], [data-action=call], [data-action=reject], [data-id-check]")
    page.keyboard.press("c")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "called")
    steps.check_view_ready(page)
    assert _page_height(page) <= 1080
    _in_view(page, ".action-bar [data-action], [data-id-check], tr[data-row]")

    # Correction: the officer clicks the rows to fix on the form itself.
    page.locator('tr[data-row="applicant_address"] th').click()
    page.locator('tr[data-row="usage_detail"] td[data-field]').click()
    expect(page.locator('input[data-pick="applicant_address"]')).to_be_checked()
    expect(page.locator("[data-picked-summary]")).to_have_text("고른 항목 2개: 주소, 사용 용도")
    page.locator('tr[data-row="usage_detail"] th').click()  # a second click takes it back
    expect(page.locator("[data-picked-summary]")).to_have_text("고른 항목 1개: 주소")
    page.fill("#correction-message", "호수까지 적어 주세요")
    page.locator("[data-action=correction]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "correction")
    submission.refresh_from_db()
    assert submission.correction_fields == ["applicant_address"]

    # The resident fixes it on their phone: the view redraws with the change marked, before and after.
    page.evaluate("window.__sameDocument = true")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(f"{stack}/t/{submission.public_token}/correct/")
    phone.fill("#field-applicant_address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-applicant_address-detail", "1203호")
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "called")
    fixed = page.locator('[data-fixed="applicant_address"]')
    expect(fixed.locator("[data-before]")).to_have_text("서울특별시 서초구 남부순환로 2584, 101호")
    expect(fixed.locator("[data-after]")).to_have_text("서울특별시 서초구 남부순환로 2584, 1203호")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "called")
    assert page.evaluate("window.__sameDocument === true")
    _in_view(page, ".action-bar [data-action], tr[data-row]")

    # 처리 완료 asks first; without the ID check the dialog warns and the service would refuse.
    page.locator(".casework input[name=method][value=cash]").check()
    page.locator("[data-fee-paid]").click()
    expect(page.locator("[data-fee-record]")).to_be_visible()
    steps.check_view_ready(page)
    page.keyboard.press("d")
    dialog = page.locator("#confirm-complete")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-confirm-warning]")).to_be_visible()
    expect(dialog.locator("[data-confirm-yes]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("d")
    page.keyboard.press("Enter")
    expect(page.locator(".message.error")).to_contain_text("신분증 확인이 필수입니다")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "called")

    # I ticks the ID check; D then Enter completes.
    steps.check_view_ready(page)
    page.keyboard.press("i")
    expect(page.locator("[data-id-checked-by]")).to_be_visible()
    steps.check_view_ready(page)
    steps.docs_screenshot(page, DOCS_IMG / "check-view.png", full_page=False)
    page.keyboard.press("d")
    expect(page.locator("#confirm-complete [data-confirm-warning]")).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "completed")


def test_rejecting_asks_for_the_reason_in_one_step(browser, stack):
    page, submission = _seal_certificate_open(browser, stack, 1920, 1080)
    page.keyboard.press("x")
    expect(page.locator("#reject-reason")).to_be_focused()
    page.keyboard.type("위임장에 위임자 서명이 없습니다")
    page.keyboard.press("Enter")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "rejected")
    submission.refresh_from_db()
    assert submission.status_note == "위임장에 위임자 서명이 없습니다"


def test_at_1366_by_768_the_bar_stays_and_the_columns_scroll(browser, stack):
    page, _ = _seal_certificate_open(browser, stack, 1366, 768)
    assert _page_height(page) <= 768
    _in_view(page, "[data-status], .action-bar [data-action], [data-id-check]")
    _in_view(page, "tr[data-row]")  # the one-page form still fits beside the tools
    history = page.locator(".check-tools .history")
    history.scroll_into_view_if_needed()
    expect(history).to_be_in_viewport()
    _in_view(page, ".action-bar [data-action], tr[data-row]")  # the tools scrolled in their column, nothing else moved
    assert page.evaluate("document.querySelector('.check-tools').scrollTop") > 0
    assert steps.accessibility_problems(page) == []


def test_attachments_open_in_the_view_for_the_officer_and_never_for_another_office(browser, stack, settings):
    office, version = factories.attachments_form()
    factories.officer(office, "officer.seocho")
    stranger_office = factories.office("banpo1-dong", name="반포1동 주민센터")
    factories.officer(stranger_office, "officer.banpo1")
    settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT)  # the stack's media folder: uploads land where it reads
    submission = factories.submitted_with_uploads(office, version)
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    _open_at_counter(page, stack, office, submission)
    errors: list[str] = []  # on the check view, from here on
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    viewer = page.locator("[data-viewer]")
    expect(viewer).to_be_hidden()  # nothing opened (and logged) until asked
    page.locator('.attachment-list [data-view-attachment="id_copy"]').click()
    image = viewer.locator("[data-viewer-image]")
    steps.wait_until(page, "document.querySelector('[data-viewer-image]').naturalWidth === 60")
    _in_view(page, "[data-viewer-image]")
    viewer.locator('[data-viewer-do="zoom-in"]').click()
    viewer.locator('[data-viewer-do="rotate"]').click()
    expect(image).to_have_attribute("style", "transform: rotate(90deg) scale(1.25);")

    # The 위임장 is a PDF: its pages come as images rendered on the server.
    page.locator('.attachment-list [data-view-attachment="delegation"]').click()
    expect(viewer.locator("[data-viewer-page]")).to_have_text("1 / 2쪽")
    viewer.locator('[data-viewer-do="next"]').click()
    expect(viewer.locator("[data-viewer-page]")).to_have_text("2 / 2쪽")
    steps.wait_until(page, "document.querySelector('[data-viewer-image]').naturalWidth === 1400")
    src = image.get_attribute("src")
    assert src is not None and src.endswith("/attachment/delegation/?page=2")
    assert errors == [], errors  # zoom and rotate set the style through the DOM, which the CSP allows
    assert steps.accessibility_problems(page) == []

    # Another office's officer, with the very address: refused.
    other = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(other, stack, "officer.banpo1")
    expect(other.locator(".counter-badge, #counter-select").first).to_be_visible()
    response = other.goto(f"{stack}{src}")
    assert response is not None and response.status == 404
    response = other.goto(f"{stack}/console/submission/{submission.pk}/attachment/id_copy/")
    assert response is not None and response.status == 404
