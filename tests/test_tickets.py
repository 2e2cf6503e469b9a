"""Tickets without a form (intake/tickets.py): issued once per tap, queued like any ticket, no paper counted."""

import datetime
import uuid

import pytest
from django.utils import timezone

from forms_catalog.models import FormTemplate, FormVersion
from intake import dayclose, offices, tickets
from intake.errors import TicketRefused
from intake.models import Submission, SubmissionEvent
from officer_console.console import services as console

from . import factories

pytestmark = pytest.mark.django_db


def test_a_ticket_takes_the_next_number_with_the_ticket_only_form(office, submission, officer):
    counsel = factories.service("counsel", "상담")
    ticket, created = tickets.issue_ticket(
        office=office, service_id=counsel.pk, idempotency_key=uuid.uuid4(), actor=officer
    )
    assert created
    assert ticket.ticket_number == submission.ticket_number + 1
    assert (ticket.status, ticket.channel, ticket.service, ticket.ticket_only) == ("submitted", "ticket", counsel, True)
    assert ticket.form_version.template.code == tickets.TICKET_FORM_CODE
    assert not ticket.form_version.form.input_fields and ticket.form_version.paper_sheets == 0
    # Made through the lifecycle, the audit row naming the guide.
    event = SubmissionEvent.objects.get(submission=ticket)
    assert (event.from_status, event.to_status, event.actor) == ("", "submitted", officer)
    # The built-in form is never offered to residents.
    assert not office.forms.filter(code=tickets.TICKET_FORM_CODE).exists()


def test_the_ticket_only_form_is_made_once(office):
    first = tickets.ticket_form_version()
    assert tickets.ticket_form_version() == first
    assert FormTemplate.objects.filter(code=tickets.TICKET_FORM_CODE).count() == 1
    assert FormVersion.objects.get(pk=first.pk).status == "published"


def test_a_double_tap_gives_one_ticket(office):
    counsel = factories.service("counsel", "상담")
    key = uuid.uuid4()
    first, created = tickets.issue_ticket(office=office, service_id=counsel.pk, idempotency_key=key)
    again, created_again = tickets.issue_ticket(office=office, service_id=counsel.pk, idempotency_key=key)
    assert created and not created_again and again == first
    assert Submission.objects.filter(channel="ticket").count() == 1


def test_a_stale_key_for_another_service_is_refused(office):
    key = uuid.uuid4()
    tickets.issue_ticket(office=office, service_id=factories.service("counsel", "상담").pk, idempotency_key=key)
    with pytest.raises(TicketRefused) as refused:
        tickets.issue_ticket(office=office, service_id=factories.service().pk, idempotency_key=key)
    assert refused.value.code == "key_reused"


@pytest.mark.parametrize("service_id", ["", "abc", "999999", "²", "9" * 40])
def test_an_unknown_service_is_refused(office, service_id):
    with pytest.raises(TicketRefused) as refused:
        tickets.issue_ticket(office=office, service_id=service_id, idempotency_key=uuid.uuid4())
    assert refused.value.code == "service_unknown"
    assert not Submission.objects.exists()


def test_called_next_and_completed_it_saves_no_paper(office, officer):
    ticket = factories.ticket_only(office)
    called = console.call_next(office.pk, officer, office.counters.first())
    assert called.pk == ticket.pk
    done = console.complete(ticket.pk, officer)
    assert (done.status, done.paper_sheets_saved) == ("completed", 0)


def test_a_ticket_can_be_marked_no_show(office, officer):
    ticket = factories.ticket_only(office)
    console.call(ticket.pk, officer, None)
    assert console.no_show(ticket.pk, officer).status == "no_show"


def test_day_close_ends_a_ticket_never_called(office):
    ticket = factories.ticket_only(office)
    closing = timezone.now() + datetime.timedelta(minutes=1)
    assert dayclose.close_day(office, closing) == 1
    ticket.refresh_from_db()
    assert ticket.status == "expired"


def test_the_ticket_only_form_is_never_offered_to_residents(office, version):
    tickets.ticket_form_version()
    assert [t.code for t in offices.publishable_forms()] == [version.template.code]
