"""axe-core finds no violation on any resident page, on a phone, in Korean, in
English, and in high contrast with the largest text.

The switches are used as a resident uses them (the form in the page header).
Error pages that the live server (DEBUG) would show as Django's debug pages,
or that need a broken database, are rendered by the test client and served to
the browser in their place, with the real stylesheet.
"""

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, Route, expect

from intake.models import Office
from officer_console.console import services as staff

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


def _fill(phone: Page) -> None:
    """The test form's questions (factories.SCHEMA), typed as a resident would."""
    phone.locator("#field-applicant_type-input").check()
    phone.fill("#field-name-input", "홍길동")
    phone.fill("#field-rrn-input", factories.RRN)
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-address-detail", "101호")
    phone.fill("#field-copies-input", "2")
    phone.locator("#field-copies-input").press("Tab")
    expect(phone.locator("#field-copies-feedback .error")).to_have_count(0)


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
    done = factories.submitted(office, version)
    staff.call(done.pk, officer, counter)
    staff.complete(done.pk, officer)
    before_visit = factories.before_visit(office, version)
    form_url = reverse("intake:form", args=[office.slug, version.template.code])
    call_command("load_demo", "--no-history")
    seal = Office.objects.filter(forms__code="seal-certificate").first()
    seal_url = reverse("intake:form", args=[seal.slug, "seal-certificate"])
    pages = {
        "home": reverse("intake:home"),
        "office": reverse("intake:office", args=[office.slug]),
        "office search, nothing found": reverse("intake:office", args=[office.slug]) + "?q=zzz",
        "ticket, waiting": reverse("intake:ticket", args=[waiting.public_token]),
        "ticket, called": reverse("intake:ticket", args=[called.public_token]),
        "ticket, correction": reverse("intake:ticket", args=[correction.public_token]),
        "ticket, completed (the rating)": reverse("intake:ticket", args=[done.public_token]),
        "filled at home, before the visit": reverse("intake:ticket", args=[before_visit.public_token]),
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

        # The form: its page, its errors, the review page, the review's errors, signed.
        phone.goto(stack + form_url)
        _check(phone, problems, f"{mode}: form")
        phone.locator("[data-next]").click()
        expect(phone.locator("#error-summary")).to_be_visible()
        _check(phone, problems, f"{mode}: form with errors")
        _fill(phone)
        phone.locator("[data-next]").click()
        expect(phone.locator("#review-title")).to_be_visible()
        _check(phone, problems, f"{mode}: review")
        phone.locator("[data-submit]").click()
        expect(phone.locator("#error-summary")).to_be_visible()
        _check(phone, problems, f"{mode}: review with errors")
        phone.locator("#field-consent-input").check()
        steps.sign(phone)
        _check(phone, problems, f"{mode}: review, signed")
        # A long form, step by step (a demo form with 4 steps).
        for step in ("request", "applicant", "issue", "review"):
            phone.goto(f"{stack}{seal_url}?step={step}")
            expect(phone.locator("#step-count")).to_be_visible()
            _check(phone, problems, f"{mode}: seal certificate, step {step}")

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
    expect(phone.locator("h1")).to_have_text("Your turn is coming soon")  # nobody ahead
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


def test_switching_language_mid_form_keeps_what_was_just_typed(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    phone.goto(stack + reverse("intake:form", args=[office.slug, version.template.code]))
    phone.locator("#field-name-input").press_sequentially("홍길동")
    phone.get_by_role("button", name="English").click()  # no pause, no leaving the field first
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("#field-name-input")).to_have_value("홍길동")
