"""The resident's 접수증 (page and PDF), by the ticket's secret token."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from intake.models import Submission

from . import receipts


def _context(token: str) -> dict[str, object]:
    submission = get_object_or_404(
        # A form filled at home is received (접수) when its resident checks in: no receipt before.
        Submission.objects.select_related("office", "form_version__template").exclude(ticket_number=None),
        public_token=token,
    )
    return {
        "submission": submission,
        "office": submission.office,
        "receipt": receipts.receipt_for(submission),
        "due_at": submission.due_at,
        "printed_at": timezone.now(),
    }


@require_GET
def receipt_page(request: HttpRequest, token: str) -> HttpResponse:
    response = render(request, "pdfgen/receipt_page.html", _context(token))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    context = _context(token)
    pdf = receipts.receipt_pdf(render_to_string("pdfgen/receipt.html", context))
    submission = context["submission"]
    assert isinstance(submission, Submission)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{submission.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
