"""Two phones: a 대리인 files 주민등록표 등본, the 위임자 scans the QR code on their own phone, proves
their number with the SMS code and signs; only then does the console see it, and the archive PDF
has each of the three signatures beside its signer's name."""

import io
import json
import re
import time
from pathlib import Path

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from pypdf.generic import ContentStream
from websockets.sync.client import connect

from intake.models import Office, Submission
from pdfgen import storage
from pdfgen.models import ArchivedDocument

from . import factories, live, sms, steps
from .factories import RRN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
COPY = "resident-registration-copy"
SHOTS = Path("/work/shots/proxy")


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    """The SMS back-end's test double, in the server the test starts: it writes each message here."""
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv("NOTIFY_BACKEND", "tests.sms.RecordingBackend")
    monkeypatch.setenv("SMS_OUTBOX", str(path))
    return path


@pytest.fixture
def cosign_stack(outbox, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        yield url


def _shot(page: Page, name: str, *, axe: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if axe:  # the resident's pages: no accessibility violation either
        assert steps.accessibility_problems(page) == []


def _shot_pdf(content: bytes) -> None:
    """The archive's pages as images beside the screenshots, to look at."""
    import pypdfium2

    SHOTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(content)
    for number, page in enumerate(document, start=1):
        page.render(scale=1.5).to_pil().save(SHOTS / f"archive-page-{number}.png")
    document.close()


def _png(tmp_path, name: str) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("L", (60, 60), 180).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def _file_as_proxy(phone: Page, url: str, tmp_path) -> None:
    phone.goto(url)
    phone.get_by_label("대리인(위임)").check()
    phone.get_by_label("주민등록표 등본").check()
    steps.next_step(phone)
    # The 신청인 is the 위임자: the 대리인 types what they know of them.
    phone.fill("#field-applicant_name-input", "홍길동")
    phone.fill("#field-applicant_rrn-input", RRN)
    phone.fill("#field-applicant_address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-applicant_address-detail", "101호")
    phone.fill("#field-applicant_phone-input", "01012345678")
    steps.next_step(phone)
    steps.next_step(phone)  # 등본 선택 사항: the defaults
    phone.fill("#field-proxy_name-input", "김대리")
    phone.fill("#field-proxy_rrn-input", "850505-1234564")
    phone.fill("#field-proxy_address-input", "서울특별시 서초구 서초대로 1")
    phone.fill("#field-proxy_address-detail", "2층")
    phone.fill("#field-proxy_phone-input", "01098765432")
    phone.fill("#field-proxy_relation-input", "배우자")
    phone.set_input_files("#field-principal_id_copy-input", _png(tmp_path, "id.png"))
    steps.next_step(phone)
    expect(phone.locator("#review-title")).to_be_visible()
    phone.get_by_label("동의합니다").check()
    steps.sign(phone, touch=True)
    phone.locator("[data-submit]").click()


def _qr_link(phone: Page) -> str:
    qr = phone.locator("[data-cosign-qr]")
    expect(qr).to_be_visible()
    image = Image.open(io.BytesIO(qr.screenshot()))
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert len(found) == 1, found
    return found[0]


def _console_socket(stack, context, office):
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    ws_url = stack.replace("http://", "ws://") + f"/ws/console/{office.pk}/"
    return connect(ws_url, origin=stack, additional_headers={"Cookie": cookies}, open_timeout=10)


def _changes(ws, submission_id, seconds):
    """The live events for this submission within `seconds`."""
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            break
        if message["type"] == "submission" and message["submission"]["id"] == submission_id:
            found.append(message["submission"])
    return found


def _archived_pdf(submission, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        doc = ArchivedDocument.objects.filter(submission=submission).first()
        if doc and doc.status == "done" and doc.rendered_revision == submission.revision:
            content = storage.read_pdf(doc)
            _shot_pdf(content)
            return PdfReader(io.BytesIO(content))
        time.sleep(0.3)
    raise AssertionError("the co-signed filing was not archived")


def _images_drawn(reader: PdfReader) -> list[bytes]:
    """Each image the form's pages paint, in order (a shared image painted twice is there twice).

    The 첨부 서류 pages after the form (each upload printed, e.g. the 위임자's 신분증 사본) are left out.
    """
    drawn = []
    for page in reader.pages:
        if "원본 파일:" in page.extract_text():
            continue
        xobjects = page["/Resources"].get("/XObject", {})
        images = {
            name: ref.get_object() for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"
        }
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Do" and operands[0] in images:
                drawn.append(images[operands[0]].get_data())
    return drawn


def _sms_code(outbox: Path, phone: str) -> str:
    for _ in range(100):
        for message in reversed(sms.read_outbox(str(outbox))):
            if message["phone"] == phone and "인증번호" in message["text"]:
                return sms.code_in(message["text"])
        time.sleep(0.1)
    raise AssertionError("no code was sent")


def test_the_principal_cosigns_on_a_second_phone_and_only_then_the_console_sees_it(
    browser, cosign_stack, outbox, tmp_path
):
    stack = cosign_stack
    call_command("load_demo", "--no-history")
    office = Office.objects.filter(forms__code=COPY).order_by("pk").first()
    factories.officer(office, "officer.cosign")

    console_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    console = console_context.new_page()
    steps.log_in(console, stack, "officer.cosign")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))

    proxy_phone = browser.new_context(**PHONE).new_page()
    principal_phone = browser.new_context(**PHONE).new_page()
    with _console_socket(stack, console_context, office) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
        _file_as_proxy(proxy_phone, f"{stack}/o/{office.slug}/f/{COPY}/", tmp_path)

        # The proxy's page: no ticket yet, the 위임자's QR code instead.
        expect(proxy_phone.locator("[data-status]")).to_have_attribute("data-status", "awaiting_cosign")
        expect(proxy_phone.locator("[data-ticket]")).to_have_count(0)
        _shot(proxy_phone, "proxy-ticket-awaiting")
        submission = Submission.objects.get()
        assert (submission.status, submission.ticket_number) == ("awaiting_cosign", None)
        link = _qr_link(proxy_phone)
        assert link.endswith(f"/d/{submission.delegation.token}/")
        # Not in the queue while the 위임자 has not signed.
        assert all(not change["queue"] for change in _changes(ws, submission.pk, 1.5))
        expect(console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')).to_have_count(0)

        # The second phone: what is delegated, to whom, until when.
        principal_phone.goto(link)
        expect(principal_phone.locator("[data-delegated-form]")).to_have_text("주민등록표 등본·초본 교부 신청서")
        expect(principal_phone.locator("[data-delegated-proxy]")).to_contain_text("김대리")
        _shot(principal_phone, "principal-1-delegation")
        expect(principal_phone.locator("#cosign-phone")).to_have_value("010-1234-5678")
        principal_phone.locator("[data-cosign-send-code]").click()
        code = _sms_code(outbox, "01012345678")
        principal_phone.fill("#cosign-code", code)
        _shot(principal_phone, "principal-2-code")
        principal_phone.locator("[data-cosign-confirm]").click()

        # Their own fields, prefilled from what the proxy typed (the 주민등록번호 not shown back).
        expect(principal_phone.locator("#field-applicant_name-input")).to_have_value("홍길동")
        expect(principal_phone.locator("#field-applicant_rrn-input")).to_have_value("")
        steps.sign(principal_phone, touch=True)
        _shot(principal_phone, "principal-3-sign")
        principal_phone.locator("[data-cosign-sign]").click()
        expect(principal_phone.locator("[data-cosign-signed]")).to_contain_text("홍길동")
        expect(principal_phone.locator("[data-cosign-revoke]")).to_be_visible()
        _shot(principal_phone, "principal-4-signed")

        # Now queued with a ticket: the console's socket and its page both see it.
        queued = [c for c in _changes(ws, submission.pk, 10) if c["queue"]]
        assert queued and queued[-1]["status"] == "submitted"
    expect(console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')).to_have_count(1)
    # The proxy's phone follows live: its ticket number appears.
    expect(proxy_phone.locator("[data-ticket]")).to_have_text("1")
    _shot(proxy_phone, "proxy-ticket-after-cosign")

    # The officer's check view: who signed, when, and the phone it was confirmed with (masked).
    counter = office.counters.order_by("number").first()
    console.select_option("#counter-select", str(counter.pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", str(counter.number))
    console.goto(f"{stack}/console/submission/{submission.pk}/")
    principal_row = console.locator('[data-signatures] tr[data-signer="위임자"]')
    expect(principal_row.locator("[data-signer-name]")).to_have_text("홍길동")
    expect(principal_row.locator("[data-signer-phone]")).to_have_text("0101234****")
    expect(console.locator('[data-signatures] tr[data-signer="신청인"] [data-signer-name]')).to_have_text("김대리")
    _shot(console, "officer-check-view-signatures", axe=False)
    # The counter's mirror (the resident's side): the same boxes, without the confirmed number.
    mirror = console_context.new_page()
    mirror.goto(f"{stack}/console/counter/{counter.pk}/mirror/")
    expect(mirror.locator('[data-signatures] tr[data-signer="위임자"] [data-signer-name]')).to_have_text("홍길동")
    expect(mirror.locator("[data-signer-phone]")).to_have_count(0)
    mirror.screenshot(path=str(SHOTS / "mirror-signatures.png"), full_page=True)

    # The archive: three signature images, each beside its signer's name, and the JSON saying how.
    submission.refresh_from_db()
    reader = _archived_pdf(submission)
    text = "".join(page.extract_text() for page in reader.pages)
    squashed = re.sub(r"\s+", " ", text)
    assert re.search(r"신청인 김대리", squashed), squashed
    assert re.search(r"위임자 홍길동", squashed) and re.search(r"대리인 김대리", squashed)
    assert "신청인 홍길동" not in squashed  # the proxy's signature is never beside the 위임자's name
    # Three signature boxes drawn (the 대리인's one image in two of them), the 위임자's their own.
    drawn = _images_drawn(reader)
    assert len(drawn) == 3 and len(set(drawn)) == 2
    embedded = json.loads(next(iter(reader.attachments.values()))[0])
    assert [(s["signer"], s["name"], s["method"]) for s in embedded["signatures"]] == [
        ("신청인", "김대리", "drawn"),
        ("위임자", "홍길동", "co-signed"),
        ("대리인", "김대리", "drawn"),
    ]
    assert all(s["at"] for s in embedded["signatures"])
