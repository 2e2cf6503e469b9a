"""Counters by service (issue 23): the manager maps counters to 업무 on 창구별 담당 업무, and each
counter's 다음 번호 호출 calls the oldest ticket of its own services."""

import re

import pytest
from playwright.sync_api import Page, expect

from intake.models import Submission
from officer_console.models import Membership

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)


def _call_next_at(console: Page, office_url: str, counter_pk: int, number: int) -> None:
    console.goto(office_url)
    console.select_option("#counter-select", str(counter_pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", str(number))
    console.locator("[data-call-next]").click()


def test_each_counter_calls_the_next_ticket_of_its_own_service(browser, stack):
    # Every counter general at first: the manager maps them on the page.
    office, forms = factories.routed_office(3)
    resident_form, family_form = forms["resident"], forms["family"]
    # The office admin also works a counter: both memberships, one account.
    user = factories.officer(office, "officer.seocho")
    Membership.objects.create(user=user, office=office, role=Membership.Role.MANAGER)
    counters = {c.number: c for c in office.counters.all()}

    # In the order they came: 주민등록 1, 가족관계 2, 주민등록 3, 주민등록 4.
    tickets = [factories.submitted(office, form) for form in (resident_form, family_form, resident_form, resident_form)]

    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    office_url = f"{stack}/console/office/{office.pk}/"
    steps.log_in(page, stack, "officer.seocho", next_path=office_url)
    page.locator("[data-counter-services-link]").click()
    expect(page.locator("h1")).to_have_text("창구별 담당 업무")
    page.get_by_label("1번 창구 주민등록").check()
    page.get_by_label("2번 창구 주민등록").check()
    page.get_by_label("3번 창구 가족관계").check()
    page.get_by_role("button", name="저장").click()
    expect(page.locator("[data-counter='3'] td").last).to_have_text("가족관계")
    assert [list(c.services.values_list("code", flat=True)) for c in counters.values()] == [
        ["resident"],
        ["resident"],
        ["family"],
    ]

    # Counter 3 goes first: it skips the older 주민등록 ticket for its own 가족관계 one.
    _call_next_at(page, office_url, counters[3].pk, 3)
    expect(page).to_have_title(re.compile(rf"^{tickets[1].ticket_number}번 "))
    _call_next_at(page, office_url, counters[2].pk, 2)
    expect(page).to_have_title(re.compile(rf"^{tickets[0].ticket_number}번 "))
    _call_next_at(page, office_url, counters[1].pk, 1)
    expect(page).to_have_title(re.compile(rf"^{tickets[2].ticket_number}번 "))

    # Nothing left for 가족관계: counter 3 says so, and the last 주민등록 ticket waits for 1–2.
    _call_next_at(page, office_url, counters[3].pk, 3)
    expect(page.locator(".messages .message")).to_contain_text("3번 창구의 담당 업무(가족관계)")
    assert Submission.objects.get(pk=tickets[3].pk).status == Submission.Status.SUBMITTED
    called = {s.pk: s.called_counter.number for s in Submission.objects.filter(status="called")}
    assert called == {tickets[1].pk: 3, tickets[0].pk: 2, tickets[2].pk: 1}
