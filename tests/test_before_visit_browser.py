"""Filling at home, checking in on arrival: in the resident's and the guide's browsers."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from intake import services, visits
from intake.models import Draft, Submission
from pdfgen.models import ArchivedDocument

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)
S = Submission.Status


def _fill_at_home(phone: Page, stack: str, office, version) -> Submission:
    """The office-wide link (poster, office page), a form filled and sent: no ticket."""
    phone.goto(f"{stack}/o/{office.slug}/before-visit/")
    expect(phone.locator("[data-at-home]")).to_be_visible()
    phone.get_by_role("link", name=version.template.title).click()
    steps.fill_and_sign(phone)
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-pre-arrival]")).to_be_visible()
    expect(phone.locator("[data-ticket]")).to_have_count(0)
    submission = Submission.objects.get(status=S.PRE_ARRIVAL)
    assert submission.ticket_number is None and submission.prepared_at is not None
    expect(phone.locator("[data-handoff-code]")).to_have_text(submission.handoff_code)
    return submission


def test_filled_at_home_takes_its_ticket_when_the_phone_scans_a_counter_qr(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    early = [factories.submitted(office, version) for _ in range(2)]

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    home = _fill_at_home(phone, stack, office, version)
    # Not in the queue, not "ahead" of anyone, while the resident is at home.
    assert services.people_ahead(early[1]) == 1
    assert [s.pk for s in services.open_queue(office.pk)] == [s.pk for s in early]
    later = factories.submitted(office, version)  # someone at the office takes a ticket meanwhile

    console_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    console = console_context.new_page()
    steps.log_in(console, stack, "officer.seocho")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(3)

    # At the office: the same phone scans counter 2's poster.
    counter = office.counters.get(number=2)
    phone.goto(f"{stack}/q/{counter.qr_token}/")
    expect(phone.locator("[data-ticket]")).to_have_text("4")
    expect(phone.locator("[data-ahead]")).to_have_text("3")
    home.refresh_from_db()
    assert (home.status, home.ticket_number, home.counter) == (S.SUBMITTED, 4, counter)
    assert home.submitted_at > later.submitted_at  # the wait runs from the arrival
    assert [s.pk for s in services.open_queue(office.pk)] == [*(s.pk for s in early), later.pk, home.pk]

    # The console adds it live, last, marked as prepared at home.
    rows = console.locator("#queue tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(3)).to_have_attribute("data-id", str(home.pk))
    expect(rows.nth(3).locator(".home-badge")).to_have_text("집에서 작성")
    console.locator(f'#queue tbody tr[data-id="{home.pk}"] a').click()
    expect(console.locator("[data-prepared-at-home]")).to_be_visible()

    # A second scan (another counter) changes nothing.
    phone.goto(f"{stack}/q/{office.counters.get(number=1).qr_token}/")
    home.refresh_from_db()
    assert (home.ticket_number, home.revision) == (4, 2)


def test_the_guide_types_the_hand_off_code_and_checks_the_resident_in(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.service("counsel", "상담")
    factories.officer(office, "guide.seocho")
    waiting = factories.submitted(office, version)

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    frames: list[str] = []
    phone.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
    home = _fill_at_home(phone, stack, office, version)
    steps.wait_until(phone, "window.ticketLive === true")
    expect(phone.locator("#arrival-title + ol")).to_contain_text("이 화면이 번호표로 바뀝니다")
    phone.evaluate("window.__stillHome = true")

    # Another resident's ticket reaches this page's socket (an office event): no reload for it.
    console = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(console, stack, "guide.seocho")
    seen = len(frames)
    console.locator("[data-tickets-link]").click()
    console.get_by_role("button", name="상담").click()
    expect(console.locator("[data-slip-number]")).to_have_text("2")
    for _ in range(100):
        if len(frames) > seen:
            break
        phone.wait_for_timeout(100)
    assert len(frames) > seen
    assert phone.evaluate("window.__stillHome === true")

    console.goto(f"{stack}/console/")
    console.fill("#handoff-code", home.handoff_code.lower())
    console.locator("#handoff-code").press("Enter")
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "pre_arrival")
    console.locator('[data-action="check_in"]').click()
    expect(console.locator(".messages")).to_contain_text("번호표 3번")
    home.refresh_from_db()
    assert (home.status, home.ticket_number) == (S.SUBMITTED, 3)
    assert home.events.last().actor.username == "guide.seocho"

    # The resident's open page turns into the ticket by itself (its socket), no reload by hand.
    expect(phone.locator("[data-ticket]")).to_have_text("3")
    assert phone.evaluate("window.__stillHome === true") is False
    ahead = services.people_ahead(home)
    assert ahead >= 1 and waiting.ticket_number == 1
    expect(phone.locator("[data-ahead]")).to_have_text(str(ahead))


def test_a_form_never_brought_in_expires_and_is_purged(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    home = _fill_at_home(phone, stack, office, version)
    # A second form, started at home and left unfinished.
    phone.goto(f"{stack}/o/{office.slug}/f/{version.template.code}/")
    phone.fill("#field-name-input", "홍길동")
    phone.locator("#field-name-input").press("Tab")
    expect(phone.locator("#field-name-feedback .error")).to_have_count(0)
    assert Draft.objects.filter(submission__isnull=True, counter__isnull=True).exists()

    # Within the office's period (2 days) it waits; after it, the job ends it.
    soon = timezone.now() + datetime.timedelta(days=1)
    assert visits.end_unarrived(office, soon).expired == 0
    later = timezone.now() + datetime.timedelta(days=2, hours=1)
    ended = visits.end_unarrived(office, later)
    assert (ended.expired, ended.purged, ended.drafts) == (1, 1, 1)
    home.refresh_from_db()
    assert home.status == S.EXPIRED and home.ticket_number is None
    assert (home.data, home.sensitive_data, home.personal_data_purged_at) == ({}, "", later)
    assert not Draft.objects.filter(submission__isnull=True).exists()
    assert not ArchivedDocument.objects.filter(submission=home).exists()  # never a 접수: no record

    phone.goto(f"{stack}/t/{home.public_token}/")
    expect(phone.locator("[data-pre-arrival-expired]")).to_be_visible()
    # Scanning a counter later finds nothing to check in.
    phone.goto(f"{stack}/q/{office.counters.first().qr_token}/")
    expect(phone).to_have_url(re.compile(rf"/o/{office.slug}/$"))
    home.refresh_from_db()
    assert home.status == S.EXPIRED
