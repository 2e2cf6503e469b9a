"""The open-민원 view follows changes live, like the queue."""

import re

import pytest
from playwright.sync_api import expect

from officer_console.console import services as console

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)


def test_taking_a_minwon_into_processing_shows_in_the_open_view_live(browser, stack):
    version = factories.form_version()
    version.service_terms = {"processing": {"unit": "working_days", "amount": 3}}
    version.save()
    office = factories.office(forms=[version])
    officer = factories.officer(office, "officer.seocho")
    submission = factories.submitted(office, version)
    console.call(submission.pk, officer, None)

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    cases = context.new_page()
    steps.log_in(cases, stack, "officer.seocho", next_path=f"/console/office/{office.pk}/open/?scope=mine")
    row = cases.locator(f'#open-table tr[data-id="{submission.pk}"]')
    expect(row).to_have_attribute("data-status", "called")
    expect(cases.locator("#conn")).to_have_class(re.compile("online"))
    cases.evaluate("window.__sameDocument = true")

    check = context.new_page()
    check.goto(f"{stack}/console/submission/{submission.pk}/")
    check.locator('[data-action="process"]').click()
    expect(check.locator("[data-status]").first).to_have_attribute("data-status", "processing")

    expect(row).to_have_attribute("data-status", "processing")
    assert cases.evaluate("window.__sameDocument === true")
    expect(row).to_contain_text(submission.reference)
    # Without script the filters are a plain form: overdue shows nothing yet.
    cases.select_option("#open-due", "overdue")
    cases.locator("#open-filters button[type=submit]").click()
    expect(cases.locator("#open-empty")).to_be_visible()
