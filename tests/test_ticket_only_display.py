"""Every screen that shows a submission copes with a ticket without a form (intake/tickets.py)."""

import csv
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake import events
from officer_console.console import services as console
from officer_console.models import AccessLog
from pdfgen import storage, tasks
from pdfgen.models import ArchivedDocument

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(office, officer):
    return factories.ticket_only(office, actor=officer)


def test_the_queue_marks_it_번호표만_and_names_its_service(client, office, officer, ticket, submission):
    client.force_login(officer)
    page = client.get(reverse("officer_console:console", args=[office.pk])).text
    row = page[page.index(f'data-id="{ticket.pk}"') :].split("</tr>")[0]
    assert "data-ticket-only" in row and ">번호표만<" in row and "<td>상담</td>" in row
    other = page[page.index(f'data-id="{submission.pk}"') :].split("</tr>")[0]
    assert "data-ticket-only" not in other
    # The live event carries the same, for rows the console adds without a reload.
    summary = events.submission_summary(ticket)
    assert (summary["ticket_only"], summary["service_name"]) == (True, "상담")
    assert events.submission_summary(submission)["ticket_only"] is False


def test_the_check_view_has_no_form_but_every_queue_action(client, office, officer, ticket, submission):
    client.force_login(officer)
    form_page = client.get(reverse("officer_console:submission", args=[submission.pk])).text
    assert 'id="correction-form"' in form_page and 'class="tool" data-edit>' in form_page
    url = reverse("officer_console:submission", args=[ticket.pk])
    page = client.get(url).text
    assert "data-ticket-only-visit" in page and "data-service>상담<" in page
    assert 'data-action="call"' in page
    # No fields to ask a correction of or to edit (a form's check view has both).
    for absent in ('id="correction-form"', 'class="tool" data-edit>'):
        assert absent not in page
    client.post(reverse("officer_console:submission_action", args=[ticket.pk, "call"]))
    page = client.get(url).text
    assert 'data-action="complete"' in page and 'data-action="no_show"' in page
    client.post(reverse("officer_console:submission_action", args=[ticket.pk, "complete"]), {"confirmed": "1"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.paper_sheets_saved) == ("completed", 0)


def test_the_mirror_shows_the_number_and_service(client, office, officer, ticket):
    client.force_login(officer)
    counter = office.counters.first()
    client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": counter.pk})
    client.get(reverse("officer_console:submission", args=[ticket.pk]))
    mirror = client.get(reverse("officer_console:mirror", args=[counter.pk])).text
    assert 'data-state="open"' in mirror and f"{ticket.ticket_number}번 · 상담" in mirror
    assert "data-ticket-only" in mirror and "paper-section" not in mirror


def test_the_residents_ticket_page_names_the_service_and_offers_no_receipt(client, ticket):
    page = client.get(reverse("intake:ticket", args=[ticket.public_token])).text
    assert f"data-ticket>{ticket.ticket_number}<" in page
    assert "data-service>" in page and "상담" in page
    assert "data-receipt-link" not in page


def test_the_lobby_tv_shows_its_call(client, office, officer, ticket):
    console.call(ticket.pk, officer, office.counters.get(number=2))
    page = client.get(reverse("officer_console:lobby_tv", args=[console.lobby_token(office.pk)])).text
    assert f'<span class="lobby-ticket">{ticket.ticket_number}</span>' in page


def test_the_archive_is_a_one_page_visit_record(office, officer, ticket):
    console.call(ticket.pk, officer, None)
    console.complete(ticket.pk, officer)
    ticket.refresh_from_db()
    tasks.render_and_store(ticket.pk, ticket.revision)
    doc = ArchivedDocument.objects.get(submission=ticket)
    reader = PdfReader(io.BytesIO(storage.read_pdf(doc)))
    assert doc.status == "done" and len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "번호표만 받은 방문의 기록" in text and "상담" in text and ticket.reference in text
    assert "위와 같이 신청합니다" not in text
    attached = json.loads(reader.attachments["submission.json"][0])
    assert (attached["channel"], attached["service"], attached["values"]) == ("ticket", "counsel", {})


def test_the_back_office_export_leaves_it_out(client, office, officer, ticket, submission):
    client.force_login(officer)
    response = client.post(
        reverse("officer_console:day_export", args=[office.pk]),
        {"date": ticket.service_date.isoformat(), "fmt": "csv", "reason": "새올 일괄 등록"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [submission.reference]
    assert [e.subject_reference for e in AccessLog.objects.filter(action="export")] == [submission.reference]
