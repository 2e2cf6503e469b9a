"""The phone's ticket page shows the estimated wait (issue 23) and each service's line, live."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake import estimates
from officer_console.console import services as staff

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
expect.set_options(timeout=10_000)


def test_the_phone_shows_about_how_long_the_wait_is(browser, stack):
    office, forms = factories.routed_office(2, {1: ["resident"], 2: ["family"]})
    form, family_form = forms["resident"], forms["family"]
    officer = factories.officer(office)
    # The office's own record: 20 주민등록 visits of 10 minutes at the counter, two days ago.
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    for _ in range(estimates.MIN_SAMPLES):
        factories.timed_submission(office, form, two_days_ago, wait=60, handle=600)
    for _ in range(3):
        factories.submitted(office, form)
    factories.submitted(office, family_form)
    mine = factories.submitted(office, form)

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{stack}/t/{mine.public_token}/")
    expect(phone.locator("[data-ahead]")).to_have_text("3")
    expect(phone.locator("[data-service]")).to_contain_text("주민등록")
    # Three ahead at one counter, 10 minutes each.
    expect(phone.locator("[data-estimate]")).to_contain_text("예상 대기 약 30–40분")
    phone.locator("[data-service-waits] summary").click()
    expect(phone.locator("[data-service-waits] li")).to_have_text(["주민등록 4명", "가족관계 1명"])

    # Counter 1 calls one: the line and the estimate follow (the page refreshes on the office's event).
    staff.call_next(office.pk, officer, office.counters.get(number=1))
    expect(phone.locator("[data-ahead]")).to_have_text("2")
    expect(phone.locator("[data-estimate]")).to_contain_text("예상 대기 약 25–30분")


def test_no_estimate_without_enough_history(browser, stack):
    form = factories.form_version("resident-copy", service=factories.service())
    office = factories.office(forms=[form])
    mine = factories.submitted(office, form)
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{stack}/t/{mine.public_token}/")
    expect(phone.locator("#ticket-heading")).to_have_text("곧 차례입니다")
    expect(phone.locator("[data-estimate]")).to_have_count(0)
