"""The admin's phone preview, driven in a real browser: it follows the JSON editor live."""

import json

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from forms_catalog import services

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_preview_follows_the_editor_and_shows_schema_problems(browser, stack):
    get_user_model().objects.create_superuser("formadmin", "a@example.kr", "pw-for-tests-1")
    draft = services.new_draft_from(factories.form_version())

    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{stack}/admin/login/?next=/admin/forms_catalog/formversion/{draft.pk}/change/")
    page.fill("#id_username", "formadmin")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("input[type=submit]")

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
