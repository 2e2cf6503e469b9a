"""취하 from the phone: a confirmation without JavaScript, the console live (browser and a real
WebSocket), and the archived PDF recording it."""

import io
import json
import re
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from websockets.sync.client import connect

from intake.models import Submission, SubmissionEvent
from pdfgen import storage
from pdfgen.models import ArchivedDocument

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)


def _console_socket(stack, context, office):
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    ws_url = stack.replace("http://", "ws://") + f"/ws/console/{office.pk}/"
    return connect(ws_url, origin=stack, additional_headers={"Cookie": cookies}, open_timeout=10)


def _next_change(ws, submission_id, deadline):
    while time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] == "submission" and message["submission"]["id"] == submission_id:
            return message["submission"]
    raise AssertionError("no live event for the withdrawn submission")


def _archived_pdf(submission, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = ArchivedDocument.objects.get(submission=submission)
        if doc.status == "done" and doc.rendered_revision == submission.revision:
            # Stored encrypted: read it as the download does.
            return PdfReader(io.BytesIO(storage.read_pdf(doc)))
        time.sleep(0.3)
    raise AssertionError("the withdrawal was not archived")


def test_withdrawal_from_the_phone_reaches_the_console_live_and_the_archive(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    submission = factories.submitted(office, version)

    console_context = browser.new_context(viewport={"width": 1440, "height": 900})
    console = console_context.new_page()
    steps.log_in(console, stack, "officer.seocho")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')).to_have_count(1)
    console.evaluate("window.__sameDocument = true")

    # The phone without JavaScript: the confirmation is a page and a plain form.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    phone.goto(f"{stack}/t/{submission.public_token}/")
    with _console_socket(stack, console_context, office) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
        phone.locator("[data-withdraw-link]").click()
        expect(phone.locator("[data-withdraw-confirm]")).to_contain_text(submission.reference)
        assert Submission.objects.get(pk=submission.pk).status == "submitted"  # nothing happens before confirming
        phone.locator("[data-withdraw-confirm-button]").click()
        expect(phone.locator("[data-status]")).to_have_attribute("data-status", "withdrawn")
        expect(phone.locator("[data-withdrawn]")).to_be_visible()
        expect(phone.locator("[data-withdraw-link]")).to_have_count(0)
        change = _next_change(ws, submission.pk, time.monotonic() + 10)
    assert (change["status"], change["queue"], change["open"]) == ("withdrawn", False, False)

    # The console's row goes, in place.
    expect(console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')).to_have_count(0)
    assert console.evaluate("window.__sameDocument === true")

    submission.refresh_from_db()
    event = SubmissionEvent.objects.filter(submission=submission).last()
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "withdrawn", None)
    pdf = _archived_pdf(submission)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "취하" in text and submission.reference in text
    record = json.loads(pdf.attachments["submission.json"][0])
    assert record["status"] == "withdrawn"

    # A second try (another tab, the back button) is refused with a message, not an error.
    phone.goto(f"{stack}/t/{submission.public_token}/withdraw/")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "withdrawn")
