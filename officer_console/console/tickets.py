"""The guide staff's page: a ticket without a form, for a resident who has no phone or comes
for 상담 (intake/tickets.py). Pick the service, press, print the slip."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intake import tickets
from intake.errors import TicketRefused
from project import parsing
from project.types import StaffRequest

from .. import access


@login_required
@require_http_methods(["GET", "POST"])
# No copy of the page in the browser's back cache: a page brought back would
# carry the last ticket's key and give the next resident that ticket again.
@never_cache
def issue(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    status = 200
    if request.method == "POST":
        key = parsing.uuid_key(request.POST.get("idempotency_key"))
        try:
            if key is None:
                raise TicketRefused("key_reused")
            submission, _created = tickets.issue_ticket(
                office=office, service_id=request.POST.get("service", ""), idempotency_key=key, actor=request.user
            )
        except TicketRefused as exc:
            messages.error(request, exc.message)
            status = 422
        else:
            slip = reverse("intake:ticket_slip", args=[submission.public_token])
            back = reverse("officer_console:tickets", args=[office.pk])
            return redirect(f"{slip}?back={back}")
    context = {"office": office, "services": tickets.ticket_services(), "idempotency_key": uuid.uuid4()}
    return render(request, "officer_console/tickets.html", context, status=status)
