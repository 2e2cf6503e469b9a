"""The admin's phone preview, driven in a real browser: it follows the JSON editor live."""

import json

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from forms_catalog import services
from forms_catalog.models import FormVersion

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor(browser: Browser, stack: str, draft: FormVersion, *, width: int, height: int) -> Page:
    """The form admin logs in and lands on the draft's editor."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{stack}/admin/login/?next=/admin/forms_catalog/formversion/{draft.pk}/change/")
    page.fill("#id_username", "formadmin")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")
    return page


def test_phone_preview_follows_the_editor_and_shows_schema_problems(browser, stack):
    get_user_model().objects.create_superuser("formadmin", "a@example.kr", "pw-for-tests-1")
    draft = services.new_draft_from(factories.form_version())

    page = _editor(browser, stack, draft, width=1400, height=1000)

    frame = page.frame_locator("#phone-preview")
    expect(frame.locator("[data-preview]")).to_contain_text("미리보기입니다")
    expect(frame.locator("#field-name-input")).to_be_visible()
    box = page.locator("#phone-preview").bounding_box()
    assert box is not None and 380 <= box["width"] <= 420  # phone-sized, bezel included

    schema = json.loads(page.locator("textarea[name=schema]").input_value())
    schema["sections"][0]["fields"].append({"key": "nickname", "type": "text", "label": "별명(미리보기)"})
    page.locator("textarea[name=schema]").fill(json.dumps(schema, ensure_ascii=False, indent=2))
    expect(frame.locator("label[for=field-nickname-input]")).to_contain_text("별명(미리보기)")

    schema["sections"][0]["fields"][-1]["type"] = "laser"
    page.locator("textarea[name=schema]").fill(json.dumps(schema, ensure_ascii=False))
    expect(frame.locator("[data-preview-problems]")).to_contain_text("schema.sections[0].fields[6].type")

    # Nothing was saved by previewing; saving a bad schema is refused with the same message.
    draft.refresh_from_db()
    assert len(draft.schema["sections"][0]["fields"]) == 6
    page.click("input[name=_save]")
    expect(page.locator(".errorlist")).to_contain_text("알 수 없는 형식 'laser'")


def test_at_1920_the_phone_sits_beside_the_editor_and_unsaved_edits_hold_back_publishing(browser, stack):
    get_user_model().objects.create_superuser("formadmin", "a@example.kr", "pw-for-tests-1")
    draft = services.new_draft_from(factories.form_version())

    page = _editor(browser, stack, draft, width=1920, height=1080)

    expect(page.frame_locator("#phone-preview").locator("#field-name-input")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    phone = page.locator("#phone-preview").bounding_box()
    editor = page.locator("textarea[name=schema]").bounding_box()
    assert phone is not None and editor is not None
    assert phone["x"] >= editor["x"] + editor["width"] and phone["y"] < 1080

    # An edit still in the browser: 게시하기 says to save first and publishes nothing.
    page.locator("input[name=paper_sheets]").fill("5")
    page.locator("[data-publish]").click()
    expect(page.locator("[data-unsaved-warning]")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "draft"
