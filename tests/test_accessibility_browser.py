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
