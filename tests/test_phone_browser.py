"""The resident's phone (issue 24), on a 390×844 phone, in Korean and in English.

The ticket that calls you, nothing lost in the second after typing, a progress
indicator that says why it changed, masked numbers, the attachment picker,
도로명주소 검색, and the English a foreign resident reads.
"""

import re

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from intake import crypto, services
from intake.models import Draft, Office, Submission
from officer_console.console import services as staff

from . import factories, live, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
LANGUAGES = ["ko", "en"]
TEXT = {
    "ko": {
        "waiting": "접수되었습니다",
        "soon": "곧 차례입니다",
        "called": "차례입니다 · 2번 창구",
        "submit": "제출하기",
    },
    "en": {
        "waiting": "Submitted",
        "soon": "Your turn is coming soon",
        "called": "Your turn · counter 2",
        "submit": "Submit",
    },
}

# What the phone's own features do, recorded: vibration, the screen wake lock, sounds.
RECORDERS = """
window.__vibrations = [];
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
window.__wakeLock = [];
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: { request: async (type) => {
  window.__wakeLock.push("request:" + type);
  const listeners = [];
  return { type, addEventListener: (name, fn) => listeners.push(fn),
           release: async () => { window.__wakeLock.push("release"); listeners.forEach((fn) => fn()); } };
} } });
window.__beeps = 0;
const createOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { window.__beeps += 1; return createOscillator.call(this); };
"""


# Every display mode a resident can pick (as tests/test_accessibility_browser.py): axe runs in each.
MODES = [*LANGUAGES, "contrast"]


def _phone(browser: Browser, url: str, language: str) -> Page:
    page = browser.new_context(**PHONE).new_page()
    page.goto(url)
    if language == "contrast":
        steps.choose_display(page, contrast=True, text_size="xlarge")
    elif language != "ko":
        steps.choose_display(page, language=language)
    return page


@pytest.fixture
def demo_office(stack):
    call_command("load_demo")
    return Office.objects.filter(forms__code="resident-registration-copy").first()


# --- 1. the ticket page follows the state, the call at the top ---------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ticket_calls_the_resident_at_the_top(browser, stack, language):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office, "officer.phone")
    counter = office.counters.get(number=2) if office.counters.filter(number=2).exists() else office.counters.first()
    ahead = [factories.submitted(office, version) for _ in range(3)]
    mine = factories.submitted(office, version)

    context = browser.new_context(**PHONE)
    context.add_init_script(RECORDERS)
    phone = context.new_page()
    # The socket is cut here, so the test says "changed" itself, as the socket would
    # (the socket's own path: test_console_browser, test_ticket_consumer).
    phone.route_web_socket(re.compile(r".*/ws/ticket/.*"), lambda ws: ws.close())
    phone.goto(f"{stack}/t/{mine.public_token}/")
    if language != "ko":
        steps.choose_display(phone, language=language)
    text = TEXT[language]

    def changed() -> None:
        phone.evaluate("document.body.dispatchEvent(new Event('ticket-changed'))")

    heading = phone.locator("#ticket-heading")
    expect(heading).to_have_text(text["waiting"])
    expect(phone.locator("#ticket-status")).to_have_attribute("data-phase", "waiting")
    expect(phone.locator("[data-ahead]")).to_have_text("3")
    # The heading comes before the ticket card, and the hand-off code is explained.
    assert heading.bounding_box()["y"] < phone.locator("[data-ticket]").bounding_box()["y"]
    expect(phone.locator("[data-handoff-help]")).to_be_visible()
    # Waiting keeps the screen on.
    steps.wait_until(phone, "window.__wakeLock.includes('request:screen')")

    # Alerts to the form's own number, with one tap; the consent is recorded.
    phone.locator("[data-alerts-form-phone]").click()
    expect(phone.locator("[data-alerts-on]")).to_be_visible()
    mine.refresh_from_db()
    assert crypto.decrypt_json(mine.alert_phone)["phone"] == "010-1234-5678"
    assert mine.alert_consent_at is not None
    assert Submission.objects.get(pk=mine.pk).language == ""  # made by the factory, not a page
    phone.locator("[data-sound]").click()  # the tap that lets the page make a sound
    expect(phone.locator("[data-sound]")).to_have_attribute("aria-pressed", "true")
    beeps = phone.evaluate("window.__beeps")

    staff.call(ahead[0].pk, officer, counter)
    changed()
    expect(heading).to_have_text(text["soon"])
    expect(phone.locator("[data-ahead]")).to_have_text("2")
    steps.wait_until(phone, "window.__vibrations.length === 1")

    phone.mouse.wheel(0, 2000)  # the resident scrolled down to the alerts
    staff.call(mine.pk, officer, counter)
    changed()
    expect(heading).to_have_text(re.compile(re.escape(text["called"]).replace("2", str(counter.number))))
    expect(phone.locator("[data-called-counter]")).to_have_attribute("data-called-counter", str(counter.number))
    expect(heading).to_be_in_viewport()
    steps.wait_until(phone, "window.__vibrations.length === 2")
    assert phone.evaluate("window.__beeps") > beeps
    assert phone.title().startswith("(!) ")

    staff.request_correction(mine.pk, officer, ["name"], "성명을 확인해 주세요")
    changed()
    expect(phone.locator("#ticket-status")).to_have_attribute("data-phase", "correction")
    expect(phone.locator("[data-correct-link]")).to_be_visible()
    # No longer waiting for the call: the screen may sleep again.
    steps.wait_until(phone, "window.__wakeLock.includes('release')")
    assert steps.accessibility_problems(phone) == []


# --- 2. nothing lost in the second after typing ---------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_twenty_reloads_a_tenth_of_a_second_after_typing_lose_nothing(browser, stack, language):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = _phone(browser, f"{stack}/o/{office.slug}/f/{version.template.code}/", language)
    name = phone.locator("#field-name-input")
    expected = ""
    for i in range(20):
        name.click()
        phone.keyboard.press("End")
        piece = "가나다라마바사아자차"[i % 10]
        phone.keyboard.type(piece)
        expected += piece
        phone.wait_for_timeout(100)
        phone.reload()
        expect(name).to_have_value(expected)
    # The 주민등록번호 is never kept on the phone; it waits for the server's copy.
    rrn = phone.locator("#field-rrn-input")
    typed = ""
    for digit in "9001011":
        rrn.click()
        phone.keyboard.press("End")
        phone.keyboard.type(digit)
        typed += digit
        phone.wait_for_timeout(100)
        phone.reload()
        expect(rrn).to_have_value(typed)
    expect(name).to_have_value(expected)
    stored = phone.evaluate("JSON.stringify(localStorage)")
    assert expected in stored and "9001011" not in stored
    steps.wait_until(phone, "true")
    for _ in range(200):  # the last save is debounced: allow a busy machine
        values = services.draft_values(Draft.objects.get())
        if values.get("name") == expected and values.get("rrn") == typed:
            break
        phone.wait_for_timeout(100)
    assert (values.get("name"), values.get("rrn")) == (expected, typed)


def test_a_tab_killed_before_any_save_arrived_loses_nothing(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    url = f"{stack}/o/{office.slug}/f/{version.template.code}/"
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(url)
    # Killed or crashed right after typing: not one save reached the server.
    context.route(re.compile(r".*/(autosave|check)/.*"), lambda route: route.abort())
    phone.locator("#field-name-input").press_sequentially("홍길동")
    phone.close(run_before_unload=False)
    assert services.draft_values(Draft.objects.get()).get("name") in (None, "")
    context.unroute(re.compile(r".*/(autosave|check)/.*"))
    again = context.new_page()
    again.goto(url)
    expect(again.locator("#field-name-input")).to_have_value("홍길동")
    # Put back from the phone's copy, then saved (the save is debounced; allow a busy machine).
    for _ in range(200):
        if services.draft_values(Draft.objects.get()).get("name") == "홍길동":
            break
        again.wait_for_timeout(100)
    assert services.draft_values(Draft.objects.get()).get("name") == "홍길동"


# --- 3. a progress indicator that says why it changed ---------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_step_count_says_why_it_grew(browser, demo_office, stack, language):
    phone = _phone(browser, f"{stack}/o/{demo_office.slug}/f/resident-registration-copy/", language)
    count = phone.locator("#step-count")
    expect(count).to_have_text(re.compile(r"^(1/3|Step 1 of 3)"))
    expect(phone.locator("[data-step-note]")).to_be_visible()  # "may change with your answers"
    phone.locator("input[name=applicant_type][value=proxy]").check()
    phone.locator("input[name=certificate_type][value=copy]").check()
    phone.fill("#field-copies-input", "1")
    phone.locator("input[name=subject_relation][value=self]").check()
    steps.next_step(phone)
    expect(count).to_have_text(re.compile(r"^(2/5|Step 2 of 5)"))
    note = phone.locator("[data-step-note]")
    expect(note).to_have_text(re.compile(r"3.*5"))
    expect(note).to_have_attribute("role", "status")
    # Going on, the total stays and nothing is explained again.
    phone.locator("[data-next]").click()  # errors: the count stays where it is
    expect(phone.locator("#error-summary")).to_be_visible()
    expect(count).to_have_text(re.compile(r"^(2/5|Step 2 of 5)"))
    expect(note).to_have_count(0)


# --- 4. masked numbers, attachments, radio labels -------------------------------


def _photo(path, size=(4000, 3000)) -> str:
    image = Image.new("RGB", size, (30, 120, 200))
    for x in range(0, size[0], 97):  # noise, so the JPEG is big
        for y in range(0, size[1], 89):
            image.putpixel((x, y), ((x * 7) % 255, (y * 3) % 255, 90))
    image.save(path, "JPEG", quality=98)
    return str(path)


def _pdf(path, pages: int) -> str:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with open(path, "wb") as f:
        writer.write(f)
    return str(path)


@pytest.mark.parametrize("language", MODES)
def test_masked_number_attachments_and_long_labels(browser, demo_office, stack, tmp_path, language):
    phone = _phone(browser, f"{stack}/o/{demo_office.slug}/f/resident-registration-copy/", language)
    # Long radio labels wrap beside their button, never under it.
    for choice in phone.locator("label.choice").all():
        box, button = choice.locator("span").bounding_box(), choice.locator("input").bounding_box()
        assert box["x"] > button["x"] + button["width"] - 1, choice.text_content()
    phone.locator("input[name=applicant_type][value=proxy]").check()
    phone.locator("input[name=certificate_type][value=abstract]").check()
    phone.fill("#field-copies-input", "1")
    phone.locator("input[name=subject_relation][value=self]").check()
    steps.next_step(phone)

    rrn = phone.locator("#field-applicant_rrn-input")
    assert rrn.get_attribute("spellcheck") == "false" and rrn.get_attribute("autocomplete") == "off"
    rrn.fill(factories.RRN)
    rrn.press("Tab")
    expect(rrn).to_have_class(re.compile("is-masked"))
    assert rrn.evaluate("el => getComputedStyle(el).webkitTextSecurity") == "disc"
    reveal = phone.locator("[data-reveal][aria-controls=field-applicant_rrn-input]")
    reveal.click()
    expect(reveal).to_have_attribute("aria-pressed", "true")
    expect(rrn).not_to_have_class(re.compile("is-masked"))
    reveal.click()
    expect(rrn).to_have_class(re.compile("is-masked"))

    # The 대리인 step (a link from the review page goes straight there too) and its attachments.
    phone.goto(f"{stack}/o/{demo_office.slug}/f/resident-registration-copy/?step=proxy")
    box = phone.locator("[data-attachment=delegation_letter]")
    expect(box.locator("[data-camera]")).to_be_visible()
    photo = _photo(tmp_path / "photo.jpg")
    box.locator("input[name=delegation_letter]").set_input_files(photo)
    info = box.locator("[data-attachment-info]")
    expect(info).to_contain_text(".jpg")
    expect(box.locator(".attachment-preview img")).to_have_count(1)
    # Scaled down on the phone before it goes up: long side 2000 px.
    size = box.locator("input[name=delegation_letter]").evaluate("el => el.files[0].size")
    assert size < (tmp_path / "photo.jpg").stat().st_size
    dims = box.locator("input[name=delegation_letter]").evaluate(
        "async el => { const b = await createImageBitmap(el.files[0]); return [b.width, b.height]; }"
    )
    assert max(dims) == 2000
    # Remove, then a PDF: its pages are counted.
    box.locator("[data-remove]").click()
    expect(box.locator(".attachment-preview")).to_be_hidden()
    assert box.locator("input[name=delegation_letter]").evaluate("el => el.files.length") == 0
    box.locator("input[name=delegation_letter]").set_input_files(_pdf(tmp_path / "letter.pdf", 3))
    expect(info).to_contain_text("3")
    expect(box.locator("[data-choose]")).to_have_text(
        "Replace with another file" if language == "en" else "다른 파일로 바꾸기"
    )
    assert steps.accessibility_problems(phone) == []


# --- 5. 도로명주소 검색 and errors on the right box ----------------------------


@pytest.fixture
def address_stack(transactional_db, tmp_path, settings, monkeypatch):
    # The stack's processes read it from the environment: the bundled list of addresses.
    monkeypatch.setenv("ADDRESS_SEARCH", "local")
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs", worker=False) as url:
        yield url


@pytest.mark.parametrize("language", MODES)
def test_address_search_fills_the_boxes_and_an_error_marks_only_the_road(browser, address_stack, language):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = _phone(browser, f"{address_stack}/o/{office.slug}/f/{version.template.code}/", language)
    search = phone.locator("#field-address-search")
    search.fill("남부순환로")
    search.press("Enter")
    pick = phone.locator("[data-address-pick=address]")
    expect(pick).to_have_count(1)
    pick.click()
    expect(phone.locator("#field-address-input")).to_have_value("서울특별시 서초구 남부순환로 2584")
    expect(phone.locator("#field-address-postcode")).to_have_value("06750")
    expect(phone.locator("#field-address-detail")).to_be_focused()
    search.fill("없는주소")
    phone.locator("[data-address-find]").click()
    expect(phone.locator("[data-address-problem]")).to_be_visible()

    # A road without a building number: only that box is marked.
    phone.fill("#field-address-input", "서울특별시 서초구")
    phone.locator("#field-applicant_type-input").check()
    phone.fill("#field-name-input", "홍길동")
    phone.locator("[data-next]").click()
    expect(phone.locator("#error-summary")).to_be_visible()
    expect(phone.locator("#field-address-input")).to_have_attribute("aria-invalid", "true")
    for box in ("#field-address-postcode", "#field-address-detail"):
        assert phone.locator(box).get_attribute("aria-invalid") is None
        assert phone.locator(box).evaluate("el => getComputedStyle(el).borderTopWidth") != "2px"
    if language == "en":
        # The example in the English message is the Korean address the help shows, marked as Korean.
        expect(phone.locator("#field-address-error span[lang=ko]")).to_have_text("세종특별자치시 한누리대로 2130")
    assert steps.accessibility_problems(phone) == []


def test_without_a_provider_the_address_is_typed(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = _phone(browser, f"{stack}/o/{office.slug}/f/{version.template.code}/", "ko")
    expect(phone.locator("#field-address-input")).to_be_visible()
    expect(phone.locator("#field-address-search")).to_have_count(0)


# --- 6. English a foreign resident can trust; the officer sees the language ------


def test_english_submit_categories_and_the_officer_sees_the_language(browser, demo_office, stack):
    phone = _phone(browser, f"{stack}/o/{demo_office.slug}/", "en")
    expect(phone.locator("h2", has_text="Resident registration")).to_be_visible()
    expect(phone.locator("h2 span[lang=ko]")).to_have_count(0)

    version = factories.form_version()
    office = factories.office("phone-test-office", forms=[version])
    counter = office.counters.first()
    factories.officer(office, "officer.lang")
    phone.goto(f"{stack}/q/{counter.qr_token}/")
    phone.locator("a.card").first.click()
    phone.locator("#field-applicant_type-input").check()
    phone.fill("#field-name-input", "Hong Gildong")
    phone.fill("#field-rrn-input", factories.RRN)
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-copies-input", "2")
    phone.locator("#field-copies-input").press("Tab")
    steps.next_step(phone)
    expect(phone.locator("[data-submit]")).to_have_text("Submit")
    phone.locator("#field-consent-input").check()
    steps.sign(phone)
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    submission = Submission.objects.get(office=office)
    assert submission.language == "en"

    console = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    steps.log_in(console, stack, "officer.lang", next_path=f"/console/office/{office.pk}/")
    row = console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')
    expect(row.locator(".lang-badge")).to_have_text("EN")
    row.locator("a").click()
    expect(console.locator("#submission-detail h1 .lang-badge")).to_have_text("EN")
    console.screenshot(path="/work/shots/phone/check-view-badge.png")
