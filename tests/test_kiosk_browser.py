"""Two residents one after the other on one kiosk device (issue 23): the second never sees the
first's data — after the first submits, after the second goes idle, and after pressing back."""

import re

import pytest
from playwright.sync_api import Page, expect

from intake import kiosk
from intake.models import Submission

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=15_000)

# Long enough that a slow step of the test itself never counts as a resident walking away.
IDLE, COUNTDOWN, TICKET = 12, 4, 10
FIRST = ("홍길동", "900101", "01012345678", "남부순환로")


@pytest.fixture
def short_kiosk(monkeypatch):
    # Read by the stack's server process at start-up.
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", str(IDLE))
    monkeypatch.setenv("KIOSK_COUNTDOWN_SECONDS", str(COUNTDOWN))
    monkeypatch.setenv("KIOSK_TICKET_SECONDS", str(TICKET))


def _shows_nothing_of(page: Page, *values: str) -> None:
    expect(page.locator("main")).to_be_visible()
    for value in values:
        expect(page.locator("body")).not_to_contain_text(value)
    # Nor in a field's value (not part of the text), nor kept on the device.
    fields = page.locator("input:not([type=hidden]), textarea").evaluate_all("els => els.map(e => e.value)")
    assert not [f for f in fields if any(v in f for v in values)], fields
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:')).map(k => localStorage[k])")
    assert not [k for k in kept if any(v in k for v in values)], kept


def test_two_residents_one_after_the_other_on_one_kiosk(short_kiosk, browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    device = factories.kiosk_device(office)
    start_url = f"{stack}/k/{kiosk.device_token(device)}/"
    start = re.compile(re.escape(start_url) + "$")
    tablet = browser.new_context(viewport={"width": 1024, "height": 1366}, has_touch=True).new_page()

    # The admin opened the device's address on the tablet: the office's forms, in large text.
    tablet.goto(start_url)
    expect(tablet.locator("[data-kiosk-start]")).to_be_visible()
    expect(tablet.locator("html")).to_have_class(re.compile(r"\btext-large\b"))
    assert steps.accessibility_problems(tablet) == []

    # The first resident fills the form, signs and sends it: their ticket, large.
    tablet.locator("[data-kiosk-form]").first.click()
    steps.fill_and_sign(tablet)
    tablet.locator("[data-submit]").click()
    expect(tablet.locator("[data-kiosk-ticket]")).to_be_visible()
    submission = Submission.objects.get()
    assert submission.channel == Submission.Channel.KIOSK
    expect(tablet.locator("[data-ticket]")).to_have_text(str(submission.ticket_number))
    _shows_nothing_of(tablet, *FIRST)
    # The ticket goes by itself: the start page for the next resident.
    expect(tablet).to_have_url(start, timeout=(TICKET + 15) * 1000)
    expect(tablet.locator("[data-kiosk-start]")).to_be_visible()
    _shows_nothing_of(tablet, *FIRST)

    # The second resident presses back, again and again: never the first one's ticket or form.
    for _ in range(3):
        tablet.go_back()
        expect(tablet).to_have_url(start)
        expect(tablet.locator("[data-kiosk-start]")).to_be_visible()
        _shows_nothing_of(tablet, *FIRST, f"번호표{submission.ticket_number}")

    # The second resident's form starts empty: no prefill from the first.
    tablet.locator("[data-kiosk-form]").first.click()
    expect(tablet.locator("#field-name-input")).to_have_value("")
    _shows_nothing_of(tablet, *FIRST)
    tablet.fill("#field-name-input", "김영희")
    tablet.locator("#field-name-input").press("Tab")

    # Idle: "계속하시겠습니까?" with a countdown; 계속하기 keeps what they typed.
    dialog = tablet.locator("[data-kiosk-idle]")
    expect(dialog).to_be_visible(timeout=(IDLE + 15) * 1000)
    expect(dialog).to_contain_text("계속하시겠습니까?")
    tablet.locator("[data-kiosk-continue]").click()
    expect(dialog).to_be_hidden()
    expect(tablet.locator("#field-name-input")).to_have_value("김영희")
    # Then they walk away: after the countdown the page is wiped and the start page is back.
    expect(dialog).to_be_visible(timeout=(IDLE + 15) * 1000)
    expect(tablet).to_have_url(start, timeout=(COUNTDOWN + 15) * 1000)
    _shows_nothing_of(tablet, "김영희", *FIRST)

    # Back again, into the page that held the second resident's answers: nothing of them.
    tablet.go_back()
    expect(tablet).to_have_url(start)
    _shows_nothing_of(tablet, "김영희", *FIRST)
    tablet.locator("[data-kiosk-form]").first.click()
    expect(tablet.locator("#field-name-input")).to_have_value("")
    _shows_nothing_of(tablet, "김영희", *FIRST)
    # And nothing of theirs was saved for whoever comes next.
    assert Submission.objects.count() == 1
