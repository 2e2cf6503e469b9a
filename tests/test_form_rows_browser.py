"""A resident on a phone: conditional sections and 세대원 rows added and removed with htmx."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Submission
from intake.services import submission_values

from . import factories
from .test_form_schema import MOVE_IN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _leave_and_read_the_note(phone, key: str) -> None:
    # Leaving the box checks it, and its note ("한 번 더 확인해 주세요") appears
    # above the next question, moving it down; a tap already on its way
    # would land beside it. A person reads the note first.
    phone.locator(f"#field-{key}-input").press("Tab")
    expect(phone.locator(f"#field-{key}-feedback .warning")).to_be_visible()


def test_rows_and_conditions_on_a_phone(browser, stack):
    version = factories.form_version("move-in", schema=MOVE_IN)
    office = factories.office(forms=[version])
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    phone.goto(f"{stack}/o/{office.slug}/f/move-in/")

    members = phone.locator("#section-members")
    expect(members).to_be_hidden()
    phone.fill("#field-name-input", "홍길동")
    phone.get_by_label("예").check()
    expect(members).to_be_visible()
    expect(phone.locator("[data-row]")).to_have_count(1)  # min 1 row is always there

    phone.fill("#field-members-0-member_name-input", "홍길순")
    phone.fill("#field-members-0-member_rrn-input", "920202-2234567")
    _leave_and_read_the_note(phone, "members-0-member_rrn")
    phone.locator("#field-members-0-relation").get_by_label("그 밖의 관계").check()
    expect(phone.locator("#field-members-0-relation_other")).to_be_visible()
    phone.fill("#field-members-0-relation_other-input", "조카")

    phone.locator("[data-add-row]").click()
    expect(phone.locator("[data-row]")).to_have_count(2)
    # Only the section was swapped: what was typed elsewhere is still on the page.
    expect(phone.locator("#field-name-input")).to_have_value("홍길동")
    expect(phone.locator("#field-members-0-member_name-input")).to_have_value("홍길순")
    expect(phone.locator("#field-members-1-relation_other")).to_be_hidden()

    phone.fill("#field-members-1-member_name-input", "홍아기")
    phone.fill("#field-members-1-member_rrn-input", "200505-3234568")
    _leave_and_read_the_note(phone, "members-1-member_rrn")
    phone.locator("#field-members-1-relation").get_by_label("배우자").check()
    phone.get_by_role("button", name=re.compile("세대원 1 삭제")).click()
    expect(phone.locator("[data-row]")).to_have_count(1)
    expect(phone.locator("#field-members-0-member_name-input")).to_have_value("홍아기")

    phone.locator("[data-next]").click()
    expect(phone.locator("#review-title")).to_be_visible()
    expect(phone.locator("[data-review=members-0-member_rrn] dd").first).to_have_text("200505-3******")
    phone.locator("[data-submit]").click()
    expect(phone).to_have_url(re.compile(r"/t/"))
    stored = submission_values(Submission.objects.get())
    assert stored["members"] == [{"member_name": "홍아기", "member_rrn": "200505-3234568", "relation": "spouse"}]


def test_a_note_arriving_during_a_press_leaves_the_question_under_the_pointer(browser, stack):
    version = factories.form_version("move-in", schema=MOVE_IN)
    office = factories.office(forms=[version])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # a mouse
    page.goto(f"{stack}/o/{office.slug}/f/move-in/")
    page.fill("#field-name-input", "홍길동")
    page.get_by_label("예").check()
    page.fill("#field-members-0-member_name-input", "홍길순")
    page.fill("#field-members-0-member_rrn-input", "920202-2234567")
    spouse = page.locator("#field-members-0-relation").get_by_label("배우자")
    spouse.scroll_into_view_if_needed()
    box = spouse.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The press blurs the RRN box; its check answers with a note while the
    # button is still down (a person's press lasts about a tenth of a second).
    with page.expect_response(lambda r: "/check/members-0-member_rrn/" in r.url):
        page.mouse.down()
    page.wait_for_timeout(200)
    page.mouse.up()
    expect(spouse).to_be_checked()
    expect(page.locator("#field-members-0-member_rrn-feedback .warning")).to_be_visible()
