"""A long form on a phone: steps, review, reload, a dropped connection, a proxy, keyboard, no JavaScript."""

import datetime
import io
import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from intake import services
from intake.models import Draft, Office, Submission

from . import factories, steps
from .factories import RRN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
SEAL = "seal-certificate"


@pytest.fixture
def seal_path(stack):
    call_command("load_demo", "--no-history")
    office = Office.objects.filter(forms__code=SEAL).first()
    return f"{stack}/o/{office.slug}/f/{SEAL}/"


def _applicant(phone: Page) -> None:
    phone.fill("#field-applicant_name-input", "홍길동")
    phone.fill("#field-applicant_rrn-input", RRN)
    phone.fill("#field-applicant_address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-applicant_address-detail", "101호")
    phone.fill("#field-applicant_phone-input", "01012345678")


def _issue(phone: Page) -> None:
    phone.get_by_label("일반용").check()
    phone.fill("#field-copies-input", "1")


def _draft_value(key: str) -> object:
    return services.draft_values(Draft.objects.get()).get(key)


def _wait_saved(phone: Page, key: str, value: object) -> None:
    for _ in range(100):
        if _draft_value(key) == value:
            return
        phone.wait_for_timeout(100)
    raise AssertionError(f"{key} was not autosaved as {value!r}: {_draft_value(key)!r}")


def _posts(phone: Page) -> list[tuple[str, str]]:
    """(path, content type) of every POST the page sends, in order."""
    sent: list[tuple[str, str]] = []

    def record(request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "POST":
            sent.append((urlparse(request.url).path, request.headers.get("content-type", "").split(";")[0]))

    phone.on("request", record)
    return sent


URLENCODED, MULTIPART = "application/x-www-form-urlencoded", "multipart/form-data"


def test_steps_review_and_a_touch_signature(browser, seal_path):
    phone = browser.new_context(**PHONE).new_page()
    posts = _posts(phone)
    phone.goto(seal_path)
    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^1/4단계"))
    expect(phone.locator(".steps li[aria-current=step]")).to_have_count(1)

    phone.get_by_label("본인").check()
    steps.next_step(phone)
    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^2/4단계"))
    # 다음 with nothing filled in: the summary, focused, its links going to the fields.
    phone.locator("[data-next]").click()
    expect(phone.locator("#error-summary")).to_be_focused()
    phone.locator("#error-summary a", has_text="주민등록번호").click()
    expect(phone.locator("#field-applicant_rrn-input")).to_be_focused()
    _applicant(phone)
    steps.next_step(phone)
    _issue(phone)
    steps.next_step(phone)

    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^4/4단계 · 입력 내용 확인"))
    expect(phone.locator("[data-review=applicant_rrn] dd").first).to_have_text("900101-1******")
    # A change link goes back to the step and into the field; 다음 returns to review.
    phone.locator("[data-review=copies] a").click()
    expect(phone.locator("#field-copies-input")).to_be_focused()
    phone.fill("#field-copies-input", "3")
    steps.next_step(phone)
    expect(phone.locator("[data-review=copies] dd").first).to_have_text("3")

    phone.get_by_label("동의합니다").check()
    steps.sign(phone, touch=True)
    # 다시 쓰기 clears; sign again.
    phone.get_by_role("button", name=re.compile("다시 쓰기")).click()
    expect(phone.locator(".signature-pad input[type=hidden]")).to_have_value("")
    steps.sign(phone, touch=True)
    phone.locator("[data-submit]").dblclick()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    assert Submission.objects.count() == 1
    assert services.submission_values(Submission.objects.get())["copies"] == 3
    # No file chosen: steps, autosaves and the submit all go up urlencoded
    # (the cheaper body for the server to parse), none as multipart.
    assert urlparse(seal_path).path in {path for path, _ in posts}
    assert {kind for _, kind in posts} == {URLENCODED}

    # Back to the review page and submit again: the same submission.
    phone.go_back()
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    assert Submission.objects.count() == 1


def test_a_reload_mid_form_resumes_the_step_and_every_value(browser, seal_path):
    phone = browser.new_context(**PHONE).new_page()
    posts = _posts(phone)
    phone.goto(seal_path)
    phone.get_by_label("본인").check()
    steps.next_step(phone)
    phone.fill("#field-applicant_name-input", "홍길동")
    phone.locator("#field-applicant_name-input").press("Tab")  # leaving a field saves it
    # Typing and pausing saves too, without leaving the field.
    phone.locator("#field-applicant_phone-input").press_sequentially("0101234")
    _wait_saved(phone, "applicant_phone", "0101234")
    assert (urlparse(seal_path).path + "autosave/", URLENCODED) in posts

    phone.goto(seal_path)  # a closed tab, a re-scanned QR code: the bare address
    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^2/4단계"))
    expect(phone.locator("#field-applicant_name-input")).to_have_value("홍길동")
    expect(phone.locator("#field-applicant_phone-input")).to_have_value("0101234")
    phone.reload()
    expect(phone.locator("#field-applicant_phone-input")).to_have_value("0101234")


class _Submits:
    """The page's submits (POSTs to the form itself) as the browser sees them."""

    def __init__(self, phone: Page, path: str) -> None:
        self.sent: list[object] = []
        self.failed: list[object] = []
        self.answered: list[object] = []
        mine = lambda r: r.method == "POST" and urlparse(r.url).path == path  # noqa: E731
        phone.on("request", lambda r: mine(r) and self.sent.append(r))
        phone.on("requestfailed", lambda r: mine(r) and self.failed.append(r))
        phone.on("requestfinished", lambda r: mine(r) and self.answered.append(r))

    def clear(self) -> None:
        for seen in (self.sent, self.failed, self.answered):
            seen.clear()

    def settled(self) -> bool:
        return len(self.failed) + len(self.answered) == len(self.sent)


def _until(phone: Page, predicate, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    """Wait for the page's events (Playwright delivers them while the page waits)."""
    for _ in range(int(timeout * 20)):
        if predicate():
            return
        phone.wait_for_timeout(50)
    raise AssertionError(f"still not so after {timeout}s")


def test_offline_while_filling_and_at_submit_loses_nothing_and_submits_once(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    path = f"/o/{office.slug}/f/{version.template.code}/"
    submits = _Submits(phone, path)
    phone.goto(stack + path)
    notice = phone.locator("#connection")
    expect(notice).to_be_hidden()

    context.set_offline(True)
    phone.get_by_label("본인").check()
    phone.fill("#field-name-input", "홍길동")
    phone.locator("#field-name-input").press("Tab")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("연결이 끊겼습니다")
    expect(phone.locator("#field-name-input")).to_have_value("홍길동")
    context.set_offline(False)
    expect(notice).to_be_hidden()
    _wait_saved(phone, "name", "홍길동")

    steps.fill_and_sign(phone)
    submits.clear()  # the steps before posted to the form too
    context.set_offline(True)
    phone.locator("[data-submit]").click()
    expect(notice).to_be_visible()
    # The submit and its first backoff retry, both stopped by the network.
    _until(phone, lambda: len(submits.failed) >= 2)
    assert Submission.objects.count() == 0 and submits.answered == []
    expect(phone.get_by_label("동의합니다")).to_be_checked()
    context.set_offline(False)
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    # Every submit the page sent is answered or failed: none is still on its way.
    _until(phone, submits.settled)
    assert len(submits.answered) == 1
    assert Submission.objects.count() == 1
    assert services.submission_values(Submission.objects.get())["name"] == "홍길동"


def _png(tmp_path, name: str) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("L", (60, 60), 180).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_proxy_files_with_the_delegation_and_the_principal(browser, seal_path, tmp_path):
    phone = browser.new_context(**PHONE).new_page()
    posts = _posts(phone)
    phone.goto(seal_path)
    phone.get_by_label("대리인(위임장 제출)").check()
    steps.next_step(phone)
    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^2/6단계"))
    _applicant(phone)
    steps.next_step(phone)
    _issue(phone)
    steps.next_step(phone)
    phone.fill("#field-proxy_name-input", "김대리")
    phone.fill("#field-proxy_rrn-input", "850505-1234564")
    phone.fill("#field-proxy_address-input", "서울특별시 서초구 서초대로 1")
    phone.fill("#field-proxy_phone-input", "01098765432")
    phone.fill("#field-proxy_relation-input", "배우자")
    steps.next_step(phone)
    expect(phone.locator("#section-delegation")).to_be_visible()
    # The 위임자 is the 신청인 already entered: not asked again.
    expect(phone.locator("#field-principal_name-input")).to_have_count(0)
    # The field takes no future date: a week before Korea's today (the server's real clock).
    phone.fill("#field-delegation_date-input", (timezone.localdate() - datetime.timedelta(days=7)).isoformat())
    phone.set_input_files("#field-principal_seal-input", _png(tmp_path, "seal.png"))
    phone.set_input_files("#field-delegation_letter-input", _png(tmp_path, "letter.png"))
    posts.clear()
    steps.next_step(phone)
    # The step with chosen files posts them as multipart; autosaves never carry files.
    assert (urlparse(seal_path).path, MULTIPART) in posts
    assert all(kind == URLENCODED for path, kind in posts if path.endswith("/autosave/"))

    expect(phone.locator("[data-review=proxy_rrn] dd").first).to_have_text("850505-1******")
    expect(phone.locator("[data-review=applicant_rrn] dd").first).to_have_text("900101-1******")
    expect(phone.locator("[data-review=delegation_letter] dd").first).to_have_text("letter.png")
    phone.get_by_label("동의합니다").check()
    steps.sign(phone)
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    stored = services.submission_values(Submission.objects.get())
    assert stored["applicant_type"] == "proxy" and stored["proxy_name"] == "김대리"
    assert stored["applicant_rrn"] == RRN and stored["delegation_letter"]["name"] == "letter.png"


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab (only) until the element has the focus."""
    for _ in range(80):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_completion(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.goto(f"{stack}/o/{office.slug}/f/{version.template.code}/")
    _tab_to(phone, "#field-applicant_type-input")
    phone.keyboard.press("Space")
    for selector, text in [
        ("#field-name-input", "홍길동"),
        ("#field-rrn-input", RRN),
        ("#field-address-input", "서울특별시 서초구 남부순환로 2584"),
        ("#field-copies-input", "1"),
    ]:
        _tab_to(phone, selector)
        phone.keyboard.type(text)
    _tab_to(phone, "[data-next]")
    phone.keyboard.press("Enter")
    expect(phone.locator("#review-title")).to_be_visible()
    _tab_to(phone, "#field-consent-input")
    phone.keyboard.press("Space")
    # The signature without a pointer: the typed name, drawn by the server.
    _tab_to(phone, "#field-signature-typed")
    phone.keyboard.type("홍길동")
    _tab_to(phone, "[data-submit]")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    signature = services.submission_values(Submission.objects.get())["signature"]
    assert signature.startswith("data:image/png;base64,")


def test_without_javascript_the_steps_still_post_and_submit(browser, seal_path):
    phone = browser.new_context(**PHONE, java_script_enabled=False).new_page()
    phone.goto(seal_path)
    phone.get_by_label("본인").check()
    phone.locator("[data-next]").click()
    expect(phone.locator("#step-count")).to_have_text(re.compile(r"^2/4단계"))
    phone.locator("[data-next]").click()
    expect(phone.locator("#error-summary")).to_contain_text("주민등록번호")
    _applicant(phone)
    phone.locator("[data-next]").click()
    _issue(phone)
    phone.get_by_role("button", name="이전").click()
    expect(phone.locator("#field-applicant_name-input")).to_have_value("홍길동")
    phone.locator("[data-next]").click()
    expect(phone.locator("#field-copies-input")).to_have_value("1")
    phone.locator("[data-next]").click()
    expect(phone.locator("[data-review=applicant_rrn] dd").first).to_have_text("900101-1******")
    phone.get_by_label("동의합니다").check()
    phone.fill("#field-applicant_signature-typed", "홍길동")
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    assert Submission.objects.count() == 1


def test_enter_in_a_text_box_goes_to_the_next_step_not_a_row_button(browser, stack):
    from .test_form_schema import MOVE_IN

    version = factories.form_version("move-in", schema=MOVE_IN)
    office = factories.office(forms=[version])
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{stack}/o/{office.slug}/f/move-in/")
    phone.get_by_label("예").check()
    phone.fill("#field-members-0-member_name-input", "홍길순")
    phone.fill("#field-name-input", "홍길동")
    phone.locator("#field-name-input").press("Enter")
    # The first step is checked (the row is incomplete), the row is still there.
    expect(phone.locator("#error-summary")).to_be_visible()
    expect(phone.locator("#field-members-0-member_name-input")).to_have_value("홍길순")
