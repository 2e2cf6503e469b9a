"""What residents and officers do in their browsers, as steps for browser tests."""

import io
import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect


def fill_and_sign(phone: Page) -> None:
    """Fill the test form (factories.SCHEMA) as a resident would, then sign on the review page.

    Leaves the phone on the review page with the 제출하기 button ([data-submit]) to press.
    """
    fill_and_agree(phone)
    sign(phone)


def fill_and_agree(phone: Page) -> None:
    """Fill the test form up to its review page and tick the consent: all but the signature.

    The officer's 대신 작성 page too (the same form engine): there the resident signs on the mirror.
    """
    phone.get_by_label("본인").check()
    phone.fill("#field-name-input", "홍길동")
    phone.fill("#field-rrn-input", "900101-1234568")
    phone.fill("#field-phone-input", "01012345678")
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-address-detail", "101호")
    phone.fill("#field-copies-input", "2")
    phone.locator("#field-copies-input").press("Tab")
    # Each change is checked by htmx; wait until the old messages are gone so
    # the page has stopped moving before going on.
    expect(phone.locator("#field-copies-feedback .error")).to_have_count(0)
    next_step(phone)
    expect(phone.locator("#review-title")).to_be_visible()
    phone.get_by_label("동의합니다").check()
    expect(phone.locator("#field-consent-feedback .error")).to_have_count(0)


def next_step(phone: Page) -> None:
    """Press 다음 and wait for the next page to be there."""
    before = phone.locator("#step-count").text_content()
    phone.locator("[data-next]").click()
    expect(phone.locator("#step-count")).not_to_have_text(before or "")


def sign(phone: Page, touch: bool = False) -> None:
    """Draw a signature on the pad with the mouse, or with a finger (touch events through CDP)."""
    canvas = phone.locator(".signature-pad canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    points = [(box["x"] + 20 + i * 20, box["y"] + 40 + (i % 3) * 25) for i in range(12)]
    if touch:
        cdp = phone.context.new_cdp_session(phone)
        for kind, (x, y) in [("touchStart", points[0])] + [("touchMove", p) for p in points[1:]]:
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    else:
        phone.mouse.move(*points[0])
        phone.mouse.down()
        for x, y in points[1:]:
            phone.mouse.move(x, y)
        phone.mouse.up()
    expect(phone.locator(".signature-pad input[type=hidden]")).to_have_value(re.compile(r"^data:image/png;base64,"))


def log_in(page: Page, base: str, username: str, next_path: str = "/console/") -> None:
    page.goto(f"{base}/console/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")


def check_view_ready(page: Page) -> None:
    """The check view (reloaded after each action) has its scripts, so its keys do something.

    The page's elements are there before its deferred scripts run: a key pressed
    in between is lost, as it would be for an officer that quick.
    """
    wait_until(page, "document.body.dataset.checkView === 'ready'")


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


def docs_screenshot(page: Page, path: Path, *, full_page: bool = True) -> None:
    """With UPDATE_DOCS_SCREENSHOTS=1, save the page for the docs as a 64-colour PNG (small in git)."""
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") != "1":
        return
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    raw = page.screenshot(full_page=full_page)
    with Image.open(io.BytesIO(raw)) as image:
        # 64 colours are plenty for a form on a white page and keep the docs small.
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
