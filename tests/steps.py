"""What residents and officers do in their browsers, as steps for browser tests."""

import re

from playwright.sync_api import Page, expect


def fill_and_sign(phone: Page) -> None:
    """Fill the test form (factories.SCHEMA) as a resident would, finger signature included."""
    phone.get_by_label("본인").check()
    phone.fill("#field-name-input", "홍길동")
    phone.fill("#field-rrn-input", "900101-1234568")
    phone.fill("#field-phone-input", "01012345678")
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-address-detail", "101호")
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


def log_in(page: Page, base: str, username: str, next_path: str = "/console/") -> None:
    page.goto(f"{base}/console/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")


def wait_until(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Poll a page expression from the test side.

    Playwright's wait_for_function builds its predicate with eval inside the
    page, which the Content Security Policy (rightly) blocks.
    """
    for _ in range(int(timeout * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{expression} did not become true within {timeout}s")


_AXE = None


def accessibility_problems(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line per rule and element."""
    global _AXE
    from axe_playwright_python.sync_playwright import Axe

    _AXE = _AXE or Axe()
    # WCAG 2.x A/AA and axe's best practices (landmarks, headings, regions).
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node.get('failureSummary', '')}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def choose_display(page: Page, *, language: str = "", contrast: bool = False, text_size: str = "") -> None:
    """Use the switches on a resident page, as a resident would (a plain form, no JavaScript needed)."""
    if language:
        page.locator(f'[data-preferences] button[name="language"][value="{language}"]').click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    if contrast or text_size:
        settings = page.locator("[data-preferences] details")
        if settings.get_attribute("open") is None:
            settings.locator("summary").click()
    if contrast:
        page.locator("[data-preferences] [data-contrast]").click()
        expect(page.locator("html")).to_have_class(re.compile("contrast-high"))
    if text_size:
        if page.locator("[data-preferences] details").get_attribute("open") is None:
            page.locator("[data-preferences] summary").click()
        page.locator(f'[data-preferences] button[name="text_size"][value="{text_size}"]').click()
        expect(page.locator("html")).to_have_class(re.compile(f"text-{text_size}"))
