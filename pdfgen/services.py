"""A submission laid out for its archive PDF: the rows, the context, the HTML.

Pure rendering input, no queue: pdfgen.tasks queues, renders and stores (it
imports this module, never the other way round).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forms_catalog import layout
from forms_catalog import schema as form_schema
from forms_catalog.schema import Field
from intake import sealed, signers, uploads
from intake.models import Submission
from intake.services import submission_values

from . import images
from .models import PdfLayout
from .receipts import receipt_data


def _options(f: Field, value: Any) -> list[dict[str, Any]]:
    chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return [{"label": c.label, "selected": c.value in chosen} for c in f.choices]


def _seal_image(value: Any) -> str:
    if not isinstance(value, dict) or not str(value.get("content_type", "")).startswith("image/"):
        return ""
    return images.print_image(sealed.read(value["file"]))


def _printed_value(row: layout.Row) -> Any:
    """The text a row reads as on paper (also what the archive checks look for)."""
    if row.stored is None or row.stored == "":
        return ""
    if row.type in form_schema.ATTACHMENT_TYPES and isinstance(row.stored, dict):
        return f"{row.stored.get('name', '')} (SHA-256 {str(row.stored.get('sha256', ''))[:12]}…)"
    return row.value


def _printed(row: layout.Row) -> dict[str, Any]:
    """A row as the archive prints it: check boxes for a short list of choices, a seal as its image."""
    f = row.field
    printed: dict[str, Any] = {"key": row.key, "label": row.label, "type": row.type, "value": _printed_value(row)}
    if f.choices and f.type in ("choice", "multichoice") and len(f.choices) <= 8:
        printed["options"] = _options(f, row.stored)
    if f.type == "seal":
        printed["image"] = _seal_image(row.stored)
    printed["wide"] = row.wide
    return printed


def _pair(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Two short label/value pairs share a table row, as on the paper forms."""
    lines: list[list[dict[str, Any]]] = []
    pending: dict[str, Any] | None = None
    for row in rows:
        if row["wide"]:
            if pending:
                lines.append([{**pending, "wide": True}])
                pending = None
            lines.append([row])
        elif pending:
            lines.append([pending, row])
            pending = None
        else:
            pending = row
    if pending:
        lines.append([{**pending, "wide": True}])
    return lines


def _printed_sections(laid: layout.Layout) -> list[dict[str, Any]]:
    """The sections as printed rows and lines; the signatures go in the 서명 boxes instead."""
    sections = []
    for section in laid.without(frozenset({"signature"})):
        rows = [_printed(row) for row in section.rows]
        sections.append({"key": section.key, "title": section.title, "rows": rows, "lines": _pair(rows)})
    return sections


def _signature_boxes(submission: Submission, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The 서명 boxes: each signer (신청인, 위임자, 대리인) with their name, image and method."""
    boxes = []
    for signer in signers.signers(submission, values):
        boxes.append(
            {
                "label": f"{signer.role} 서명",
                "role": signer.role,
                "name": signer.name,
                "method": signer.method_label,
                "at": signer.at,
                "seal": bool(signer.field) and signer.method == "seal",
                "paper": signer.method == "paper",
                "src": images.print_image(images.data_url_bytes(signer.image)) if signer.image else "",
            }
        )
    return boxes


# More pages than this of one uploaded PDF are embedded but not printed page by page.
APPENDIX_MAX_PAGES = 30


def _safe_name(text: str) -> str:
    # ASCII only: PDF readers disagree on non-ASCII names of embedded files.
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in text)[-80:]


def _appendix(laid: layout.Layout) -> list[dict[str, Any]]:
    """첨부 서류: every uploaded file (위임장, 신분증 사본, photos) printed as pages, and its bytes to embed.

    A seal image is printed in its own row already, so only files are here.
    """
    items = []
    for row in laid.attachments:
        if row.type != "file":
            continue
        stored = row.stored
        data = sealed.read(stored["file"])
        is_pdf = stored.get("content_type") == "application/pdf"
        count = min(uploads.pdf_pages(data), APPENDIX_MAX_PAGES) if is_pdf else 1
        pages = [
            images.appendix_image(uploads.pdf_page_png(data, i, width=images.APPENDIX_IMAGE_BOX[0]) if is_pdf else data)
            for i in range(count)
        ]
        extension = "pdf" if is_pdf else "png" if stored.get("content_type") == "image/png" else "jpg"
        items.append(
            {
                "key": row.key,
                "label": row.label,
                "name": stored.get("name", ""),
                "sha256": stored.get("sha256", ""),
                "pages": pages,
                # The original bytes, embedded in the PDF/A-3 under this name (render.render_pdf's files).
                "embed_name": f"attachment-{_safe_name(row.key)}.{extension}",
                "data": data,
            }
        )
    return items


def embedded_files(context: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The uploads to embed in the archive as files of their own: (name, bytes)."""
    return [(item["embed_name"], item["data"]) for item in context.get("appendix", [])]


def attachment_data(submission: Submission, values: dict[str, Any]) -> dict[str, Any]:
    """What is embedded in the PDF as submission.json: the record as filed."""
    template = submission.form_version.template
    return {
        # Who signed in which box, how and when (the images are printed in the boxes).
        "signatures": [signer.as_record() for signer in signers.signers(submission, values)],
        "reference": submission.reference,
        "form": {"code": template.code, "title": template.title, "version": submission.form_version.number},
        "channel": submission.channel,
        "service": submission.service.code if submission.service is not None else None,
        "office": submission.office.name,
        "ticket": submission.ticket_number,
        "status": submission.status,
        "submitted_at": submission.submitted_at.isoformat(),
        "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        # The 접수증 as issued (처리예정일, 수수료…), archived with the record.
        "receipt": receipt_data(submission),
        "values": values,
    }


def _no_identity_record(submission: Submission) -> bool:
    return False


# Whether the officer ticked 신분증 확인: officer_console's record (Review), which this app may not
# import; the console registers its reader at start-up (officer_console/apps.py), as it registers
# the lifecycle's guard. Until then the record says nothing was checked rather than claim it was.
_identity_checked: Callable[[Submission], bool] = _no_identity_record


def set_identity_check_reader(reader: Callable[[Submission], bool]) -> None:
    global _identity_checked
    _identity_checked = reader


def identity_check_text(submission: Submission) -> str:
    """The 신분 확인 cell: filled once the 민원 is completed, from the officer's own tick."""
    if submission.status != Submission.Status.COMPLETED:
        return ""
    return "확인함 (신분증 대조)" if _identity_checked(submission) else "확인 기록 없음"


def assisted_text(submission: Submission) -> str:
    """작성 방법 of a form an officer filled in for the resident (대신 작성): who, and that the resident signed."""
    if submission.channel != Submission.Channel.ASSISTED:
        return ""
    filed = submission.events.select_related("actor").first()
    officer = filed.actor if filed is not None else None
    name = (officer.get_full_name() or officer.get_username()) if officer is not None else ""
    by = f" ({name})" if name else ""
    return f"직원 대신 작성{by}, 민원인이 창구 화면에서 확인하고 서명"


def open_note(submission: Submission) -> str:
    """What 비고 says: only what still stands.

    A correction request stands while the resident has not resubmitted; once
    fixed, the message is history (the event log keeps it), not a note on the
    record. A rejection's reason stands for good.
    """
    if not submission.status_note:
        return ""
    if submission.status == Submission.Status.CORRECTION:
        return f"보완 요청: {submission.status_note}"
    if submission.status == Submission.Status.REJECTED:
        return f"반려 사유: {submission.status_note}"
    return ""


def build_context(
    submission: Submission, values: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    # The record is Korean whatever language the request that asked for it reads.
    with translation.override(settings.LANGUAGE_CODE):
        return _build_context(submission, values)


def _build_context(
    submission: Submission, values: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    if values is None:
        values = submission_values(submission)
    version = submission.form_version
    template = version.template
    laid = layout.build(version.form, values, masked=False)
    applicant = form_schema.value_by_semantic(version.form, values, "applicant.name")
    handled_by = ""
    if submission.handled_by:
        handled_by = submission.handled_by.get_full_name() or submission.handled_by.get_username()
    done = submission.status in (Submission.Status.COMPLETED, Submission.Status.REJECTED)
    context = {
        "doc": {
            "title": template.title,
            "title_en": template.title_en,
            "category": template.category,
            "legal_basis": template.legal_basis,
            "retention": f"{template.retention_years}년" if template.retention_years else "영구",
            "reference": submission.reference,
            "ticket": submission.ticket_number,
            "office": submission.office.name,
            "form_code": template.code,
            "version": version.number,
            "submitted_at": submission.submitted_at,
            "rendered_at": timezone.now(),
            # A ticket without a form: a one-page record of the visit, nothing filed or signed.
            "ticket_only": submission.ticket_only,
            "service": submission.service.name if submission.service is not None else "",
        },
        "submission": submission,
        "template": template,
        "sections": _printed_sections(laid),
        "signatures": _signature_boxes(submission, values),
        "appendix": _appendix(laid),
        "applicant_name": applicant,
        "processing": {
            "status": str(submission.get_status_display()),
            "handled_by": handled_by if done else "",
            "completed_at": submission.completed_at,
            "identity_checked": identity_check_text(submission),
            "note": open_note(submission),
            "assisted": assisted_text(submission),
        },
    }
    return context, attachment_data(submission, values)


def render_html(submission: Submission, context: dict[str, Any]) -> str:
    """The version's own template when an admin supplied one, else the generic layout."""
    custom = None
    if submission.form_version_id is not None:
        custom = PdfLayout.objects.filter(form_version_id=submission.form_version_id, active=True).first()
    if custom is not None:
        return custom.compiled().render(context)
    return render_to_string("pdfgen/submission.html", context)
