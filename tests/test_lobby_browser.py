"""The lobby TV at its real size (1920×1080): read from across the room, live over the real WebSocket."""

import re

import pytest
from playwright.sync_api import Page, expect

from officer_console.console import services

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)


def _px(page: Page, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def _fits_the_screen(page: Page) -> bool:
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    return bool(size[0] <= 1920 and size[1] <= 1080)


def test_a_call_made_at_a_counter_appears_large_on_the_lobby_tv(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    office.notice = "오늘 3번 창구는 여권 민원도 받습니다."
    office.save()
    factories.officer(office, "officer.seocho")
    for _ in range(3):
        factories.submitted(office, version)

    lobby = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    lobby.goto(f"{stack}/console/lobby/{services.lobby_token(office.pk)}/")
    # Calm before the first call: a line to the waiting, the counts, the notice, the clock.
    expect(lobby.locator("#lobby-empty")).to_be_visible()
    expect(lobby.locator("#lobby-waiting li")).to_have_text([re.compile(rf"{version.template.title}\s*3명")])
    expect(lobby.locator(".lobby-notice")).to_contain_text("여권 민원")
    expect(lobby.locator("#lobby-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert _fits_the_screen(lobby)
    lobby.evaluate("window.__sameDocument = true")

    # The officer at counter 2 calls the next number from the console.
    console = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(console, stack, "officer.seocho")
    console.select_option("#counter-select", str(office.counters.get(number=2).pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "2")
    console.locator("[data-call-next]").click()
    expect(console).to_have_url(re.compile(r"/console/submission/\d+/"))

    # The TV shows it without a reload, large enough to read from 8 m.
    call = lobby.locator("#lobby-calls li").first
    expect(call).to_have_text("1번 → 2번 창구")
    expect(lobby.locator("#lobby-empty")).to_be_hidden()
    assert _px(lobby, "#lobby-calls .lobby-ticket") >= 80
    assert _px(lobby, "#lobby-calls .lobby-counter") >= 48
    expect(lobby.locator("#lobby-waiting li")).to_have_text([re.compile(r"2명$")])
    assert lobby.evaluate("window.__sameDocument === true")

    # A second counter's call joins the first; the screen still holds all of it without scrolling.
    console.goto(f"{stack}/console/office/{office.pk}/")
    console.select_option("#counter-select", str(office.counters.get(number=3).pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "3")
    console.locator("[data-call-next]").click()
    expect(lobby.locator("#lobby-calls li")).to_have_text(["2번 → 3번 창구", "1번 → 2번 창구"])
    assert _px(lobby, "#lobby-calls .lobby-ticket") >= 80
    expect(lobby.locator("#lobby-waiting li")).to_have_text([re.compile(r"1명$")])
    assert _fits_the_screen(lobby)
