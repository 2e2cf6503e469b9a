"""A resident without a phone: the guide issues a ticket without a form, prints the slip, the
officer's console receives it live and calls it, completes it, and the report counts it."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Submission
from officer_console.models import Membership

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Three screens and a server share two cores here and in CI: allow for a busy machine.
expect.set_options(timeout=10_000)


def test_guide_issues_a_formless_ticket_that_is_called_completed_and_counted(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.service("counsel", "상담")
    factories.officer(office, "guide.seocho")
    officer = factories.officer(office, "officer.seocho")
    Membership.objects.create(user=officer, office=office, role=Membership.Role.MANAGER)

    # The officer's console, at counter 1, live and empty.
    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    steps.log_in(console, stack, "officer.seocho", f"/console/office/{office.pk}/")
    console.select_option("#counter-select", label="1번 창구")
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "1")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(0)
    console.evaluate("window.__sameDocument = true")

    # The guide, from the staff navigation, presses 상담.
    guide = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    steps.log_in(guide, stack, "guide.seocho")
    guide.locator("[data-tickets-link]").click()
    expect(guide.locator("h1")).to_contain_text("번호표 발급")
    guide.get_by_role("button", name="상담").click()

    # The slip opens with the number, ready for the 80 mm printer.
    expect(guide).to_have_url(re.compile(r"/t/[^/]+/slip/\?back="))
    expect(guide.locator("[data-slip-number]")).to_have_text("1")
    expect(guide.locator("[data-slip-service]")).to_have_text("상담")
    # Count the print dialogs instead of opening one (a function given to evaluate is called: wrap the assignment).
    guide.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    guide.locator("[data-print]").click()
    assert guide.evaluate("window.__printed") == 1
    guide.emulate_media(media="print")
    expect(guide.locator("[data-slip-tools]")).to_be_hidden()
    expect(guide.locator("[data-slip-number]")).to_be_visible()
    guide.emulate_media(media="screen")
    ticket = Submission.objects.get()
    assert (ticket.channel, ticket.ticket_number, ticket.service.code) == ("ticket", 1, "counsel")

    # The console received it without a reload, marked 번호표만, and 다음 번호 calls it.
    row = console.locator(f'#queue tbody tr[data-id="{ticket.pk}"]')
    expect(row).to_be_visible()
    expect(row.locator("[data-ticket-only]")).to_have_text("번호표만")
    expect(row.locator("td").nth(1)).to_have_text("상담")
    assert console.evaluate("window.__sameDocument === true")
    console.locator("[data-call-next]").click()
    expect(console.locator("[data-ticket-only-visit]")).to_be_visible()
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "called")
    expect(console.locator("[data-called-counter]")).to_contain_text("1번 창구")

    # 처리 완료, confirmed in its dialog.
    console.locator('[data-action="complete"]').click()
    dialog = console.locator("#confirm-complete")
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-yes]").click()
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "completed")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.paper_sheets_saved) == ("completed", 0)

    # The guide's next ticket starts from a fresh page.
    guide.locator("[data-slip-back]").click()
    expect(guide.locator("h1")).to_contain_text("번호표 발급")

    # The manager's report counts it under 번호표만, saving no paper.
    console.goto(f"{stack}/console/reports/")
    channel = console.locator('#table-channels tr[data-channel="ticket"]')
    expect(channel.locator("th")).to_have_text("번호표만")
    expect(channel.locator("td")).to_have_text(["1", "1", "0"])
    expect(console.locator('#table-channels tr[data-channel="phone"] td').first).to_have_text("0")
