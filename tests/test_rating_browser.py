"""The one-tap rating on the resident's phone: it appears when the officer completes, live."""

import pytest
from playwright.sync_api import expect

from intake.models import Rating
from officer_console.console import services as staff

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)


def test_the_rating_appears_on_completion_and_one_tap_sends_it(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office, "officer.seocho")
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{stack}/t/{submission.public_token}/")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "called")
    expect(phone.locator("[data-rating-form]")).to_have_count(0)
    staff.complete(submission.pk, officer)
    expect(phone.locator("[data-rating-form]")).to_be_visible()  # live, without a reload

    phone.fill("#rating-comment", "설명이 친절했어요")
    # Another status refresh while typing keeps what was typed.
    phone.evaluate("document.body.dispatchEvent(new Event('ticket-changed'))")
    phone.wait_for_timeout(500)
    expect(phone.locator("#rating-comment")).to_have_value("설명이 친절했어요")
    phone.locator('[data-rating="5"]').click()
    expect(phone.locator("[data-rated]")).to_be_visible()
    expect(phone.locator("[data-rating-form]")).to_have_count(0)
    rating = Rating.objects.get(submission=submission)
    assert (rating.score, rating.comment) == (5, "설명이 친절했어요")
