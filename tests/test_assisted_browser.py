"""대신 작성 end to end: the officer fills the form in on the console, the resident checks it on the
counter's mirror (a touch monitor) and signs there with a finger, and the archive PDF has that
signature in the 신청인's 서명 box and says the form was filled in by staff."""

import io
import time
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader
from pypdf.generic import ContentStream

from intake.models import Submission
from pdfgen import storage
from pdfgen.models import ArchivedDocument

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The console, the mirror, the server and its worker share two cores: allow for a busy machine.
expect.set_options(timeout=15_000)


def _archived(submission: Submission, timeout: float = 90.0) -> PdfReader:
    """The stored archive PDF once the worker has rendered the submission's latest revision."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        doc = ArchivedDocument.objects.filter(submission=submission).first()
        if doc and doc.status == "done" and doc.rendered_revision == submission.revision:
            return PdfReader(io.BytesIO(storage.read_pdf(doc)))
        time.sleep(0.3)
    raise AssertionError("the assisted submission was not archived")


def _multiply(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _images_placed(reader: PdfReader, page_number: int) -> list[tuple[tuple[float, float, float, float], bytes]]:
    """Each image a page paints: its box (x0, y0, x1, y1 in points) and its pixels' bytes."""
    page = reader.pages[page_number]
    xobjects = page["/Resources"].get("/XObject", {})
    images = {name: ref.get_object() for name, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"}
    placed, ctm, saved = [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop()
        elif operator == b"cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif operator == b"Do" and operands[0] in images:
            xs, ys = (ctm[4], ctm[4] + ctm[0]), (ctm[5], ctm[5] + ctm[3])
            placed.append(((min(xs), min(ys), max(xs), max(ys)), images[operands[0]].get_data()))
    return placed


def _text_at(reader: PdfReader, page_number: int, wanted: str) -> tuple[float, float]:
    """Where a piece of text starts on a page (x, y in points)."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if wanted in text:
            point = _multiply(tm, cm)
            found.append((point[4], point[5]))

    reader.pages[page_number].extract_text(visitor_text=visit)
    assert found, wanted
    return found[0]


def test_an_assisted_form_signed_on_the_mirror_is_archived_with_the_signature_in_its_box(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    counter = office.counters.get(number=1)

    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    steps.log_in(console, stack, "officer.seocho")
    console.select_option("#counter-select", str(counter.pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "1")

    # The counter's mirror: a touch monitor facing the resident, idle until there is something to show.
    mirror = browser.new_context(viewport={"width": 1280, "height": 1024}, has_touch=True).new_page()
    steps.log_in(mirror, stack, "officer.seocho", next_path=f"/console/counter/{counter.pk}/mirror/")
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "idle")
    expect(mirror.locator("body")).to_have_attribute("data-live", "1")

    # 대신 작성: the officer fills the resident's form on the same form engine, in the staff shell.
    console.select_option("#assisted-form", version.template.code)
    console.locator("[data-assisted-start]").click()
    expect(console.locator("form.minwon-form")).to_be_visible()
    steps.fill_and_agree(console)
    expect(console.locator(".signature-pad")).to_have_count(0)  # the resident signs, not the officer
    console.locator("[data-submit]").click()
    expect(console.locator("[data-assisted-status]")).to_have_attribute("data-assisted-status", "signing")
    assert not Submission.objects.exists()

    # The mirror shows it, personal numbers masked, with a pad; the resident signs with a finger.
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "sign")
    expect(mirror.locator("#mirror-screen")).to_contain_text("900101-1******")
    expect(mirror.locator("#mirror-screen")).not_to_contain_text("1234568")
    expect(mirror.locator(".signature-pad")).to_be_visible()
    steps.sign(mirror, touch=True)
    mirror.locator("[data-assisted-sign]").click()
    # Filed and called at this counter: the mirror shows the filed form, as for any the officer has open.
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "open")
    submission = Submission.objects.get()
    assert (submission.channel, submission.status, submission.called_counter) == ("assisted", "called", counter)

    # The officer's page hears it and leads to the check view, which says it was filled in by staff.
    console.locator("[data-assisted-filed]").click()
    expect(console.locator("[data-assisted-badge]")).to_have_text("직원 대신 작성")

    # The archive: the drawn signature in the 신청인's 서명 box, and 작성 방법 says 직원 대신 작성.
    reader = _archived(submission)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "직원 대신 작성" in " ".join(text.split())
    sign_page = next(i for i, page in enumerate(reader.pages) if "(서명 또는 인)" in page.extract_text())
    placed = _images_placed(reader, sign_page)
    assert len(placed) == 1, "one signature, no other image on the sign-off page"
    (x0, y0, x1, y1), _ = placed[0]
    hint_x, hint_y = _text_at(reader, sign_page, "(서명 또는 인)")
    name_x, _ = _text_at(reader, sign_page, "홍길동")
    # In the 신청인 row, between the name and the "(서명 또는 인)" hint: the 서명 box.
    assert name_x < x0 < x1 <= hint_x
    assert y0 - 5 <= hint_y <= y1 + 5
    # And it is the stroke drawn on the mirror, not an empty box.
    image = reader.pages[sign_page].images[0].image
    assert isinstance(image, Image.Image)
    paper = Image.new("RGB", image.size, "white")
    paper.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    assert sum(paper.convert("L").histogram()[:128]) > 50, "the signature has strokes"
