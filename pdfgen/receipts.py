"""접수증: the resident's receipt of a 민원, as a page and as a PDF.

Reached from the ticket page (and so from the alert SMS link, which opens
the ticket) by the ticket's secret token, like the ticket itself. The PDF is
drawn by the archive's renderer and fonts (pdfgen/render.py). Its data is
also embedded in the archived PDF's submission.json (services.attachment_data),
so the receipt is archived with the submission.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from forms_catalog import terms as service_terms
from intake import fees
from intake.models import Submission


@dataclass(frozen=True)
class Receipt:
    reference: str
    ticket: int | None  # None until a 대리인's filing is co-signed
    form_title: str
    submitted_at: str  # Korea time, ISO
    office: str
    department: str
    department_phone: str
    processing: str  # e.g. "3일", "즉시"
    due_at: str | None  # Korea time, ISO
    fee_due: int | None  # KRW; None: no fee set for this form
    fee_detail: str
    bring: list[str]
    status: str


def _fee_detail(submission: Submission, fee: service_terms.Fee | None) -> str:
    if fee is None or submission.fee_due is None:
        return "수수료는 창구에서 안내합니다"
    if fee.basis == "free" or not submission.fee_due:
        return "무료"
    if fee.basis == "per_copy":
        copies = fees.copies(fee, submission.data)
        return f"1통 {fee.amount:,}원 × {copies}통"
    return f"1건 {fee.amount:,}원"


def receipt_for(submission: Submission) -> Receipt:
    terms = service_terms.of(submission.form_version)
    return Receipt(
        reference=submission.reference,
        ticket=submission.ticket_number or 0,  # the views show no receipt before the check-in
        form_title=submission.form_version.template.title,
        submitted_at=timezone.localtime(submission.submitted_at).isoformat(timespec="minutes"),
        office=submission.office.name,
        department=terms.department.name,
        department_phone=terms.department.phone,
        processing=terms.processing.label if terms.processing else "",
        due_at=timezone.localtime(submission.due_at).isoformat(timespec="minutes") if submission.due_at else None,
        fee_due=submission.fee_due,
        fee_detail=_fee_detail(submission, terms.fee),
        bring=list(terms.bring),
        status=submission.status,
    )


def receipt_data(submission: Submission) -> dict[str, Any]:
    """What the archive embeds of the receipt."""
    return asdict(receipt_for(submission))


def receipt_pdf(html: str) -> bytes:
    from .render import render_plain_pdf

    return render_plain_pdf(html)
