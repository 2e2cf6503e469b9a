"""axe-core finds no violation on any resident page, on a phone, in Korean, in
English, and in high contrast with the largest text.

The switches are used as a resident uses them (the form in the page header).
Error pages that the live server (DEBUG) would show as Django's debug pages,
or that need a broken database, are rendered by the test client and served to
the browser in their place, with the real stylesheet.
"""

from collections.abc import Callable

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, Route, expect

from officer_console import services as staff

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODES: dict[str, dict[str, str]] = {
    "ko": {},
    "en": {"language": "en"},
    "high contrast, extra large text": {"contrast": "high", "text_size": "xlarge"},
}


def _serve(html: str, status: int) -> Callable[[Route], None]:
    return lambda route: route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")


def _error_pages(choice: dict[str, str], form_url: str) -> list[tuple[str, int, str]]:
    client = Client()
    client.post(reverse("intake:preferences"), {"next": "/", **choice})
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    with translation.override(choice.get("language", "ko")):
        database_down = render_to_string(
            "intake/unavailable.html",
            {"fields": [("name", "홍길동")], "had_files": True},
            request=RequestFactory().post(form_url),
        )
        server_error = render_to_string("500.html")
    return [
        ("/no/such/page/", 404, client.get("/no/such/page/").content.decode()),
        ("/csrf-failure/", 403, strict.post(reverse("intake:preferences")).content.decode()),
        ("/server-error/", 500, server_error),
        ("/database-down/", 503, database_down),
    ]


def _check(phone: Page, problems: list[str], label: str) -> None:
    problems.extend(f"[{label}] {p}" for p in steps.accessibility_problems(phone))


def test_no_resident_page_has_an_accessibility_violation(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    office.notice = "3번 창구는 점심시간에 쉽니다."
    office.save()
    officer = factories.officer(office, "officer.axe")
    counter = office.counters.first()
    waiting = factories.submitted(office, version)
    called = factories.submitted(office, version)
    staff.call(called.pk, officer, counter)
    correction = factories.submitted(office, version)
    staff.call(correction.pk, officer, counter)
    staff.request_correction(correction.pk, officer, ["address", "phone"], "호수까지 적어 주세요")
    form_url = reverse("intake:form", args=[office.slug, version.template.code])
    pages = {
        "home": reverse("intake:home"),
        "office": reverse("intake:office", args=[office.slug]),
        "office search, nothing found": reverse("intake:office", args=[office.slug]) + "?q=zzz",
        "ticket, waiting": reverse("intake:ticket", args=[waiting.public_token]),
        "ticket, called": reverse("intake:ticket", args=[called.public_token]),
        "ticket, correction": reverse("intake:ticket", args=[correction.public_token]),
    }

    problems: list[str] = []
    for mode, choice in MODES.items():
        phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
        phone.goto(stack + reverse("intake:counter_entry", args=[counter.qr_token]))
        steps.choose_display(
            phone,
            language=choice.get("language", ""),
            contrast=bool(choice.get("contrast")),
            text_size=choice.get("text_size", ""),
        )
        for name, path in pages.items():
            phone.goto(stack + path)
            _check(phone, problems, f"{mode}: {name}")

        phone.goto(stack + form_url)
        _check(phone, problems, f"{mode}: form")
        phone.locator("[data-submit]").click()
        expect(phone.locator("#error-summary")).to_be_visible()
        _check(phone, problems, f"{mode}: form with errors")

        phone.goto(stack + reverse("intake:correct", args=[correction.public_token]))
        _check(phone, problems, f"{mode}: correction")
        phone.locator("#field-phone-input").fill("12")
        phone.locator("[data-submit]").click()
        expect(phone.locator("#error-summary")).to_be_visible()
        _check(phone, problems, f"{mode}: correction with errors")

        for path, status, html in _error_pages(choice, form_url):
            phone.route(stack + path, _serve(html, status))
            response = phone.goto(stack + path)
            assert response is not None and response.status == status, (mode, path)
            _check(phone, problems, f"{mode}: {path}")
        phone.close()
    assert problems == [], "\n".join(problems)


FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return [el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 20),
          style.outlineStyle, parseFloat(style.outlineWidth)];
}"""


def test_keyboard_focus_is_always_visible_and_the_switches_work_without_javascript(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    submission = factories.submitted(office, version)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, java_script_enabled=False
    )
    phone = context.new_page()
    phone.goto(stack + reverse("intake:ticket", args=[submission.public_token]))
    body_size = "() => getComputedStyle(document.body).fontSize"
    assert phone.evaluate(body_size) == "17px"

    # Plain form posts, no JavaScript: the page comes back in English, larger, in high contrast.
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("h1")).to_have_text("Submitted")
    phone.get_by_text("Text size · contrast").click()
    phone.get_by_role("button", name="Extra large").click()
    assert phone.evaluate(body_size) == "25.5px"
    phone.get_by_role("button", name="High contrast").click()
    expect(phone.locator("html")).to_have_class("contrast-high text-xlarge")
    expect(phone.get_by_role("button", name="High contrast")).to_have_attribute("aria-pressed", "true")
    assert phone.url == stack + reverse("intake:ticket", args=[submission.public_token])
    assert phone.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    # Every stop of the Tab key shows a focus ring (KRDS: at least 2px, here 4px).
    unseen = []
    stops = set()
    for _ in range(14):
        phone.keyboard.press("Tab")
        what, style, width = phone.evaluate(FOCUS_RING)
        if what.startswith("BODY"):
            break  # past the last control
        stops.add(what)
        if style == "none" or width < 2:
            unseen.append(what)
    assert unseen == [] and len(stops) >= 8, (unseen, stops)
    context.close()
