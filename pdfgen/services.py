"""A submission laid out for its archive PDF: the rows, the context, the HTML.

Pure rendering input, no queue: pdfgen.tasks queues, renders and stores (it
imports this module, never the other way round).
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from forms_catalog import schema as form_schema
from intake import sealed
from intake.models import Submission
from intake.services import submission_values

from . import images
from .models import PdfLayout
from .receipts import receipt_data

# Values longer than this take the whole width of a row instead of half.
WIDE_VALUE_CHARS = 16
WIDE_TYPES = {"address", "textarea", "multichoice", "file", "seal", "choice"}


def _options(f: dict[str, Any], value: Any) -> list[dict[str, Any]]:
    chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return [{"label": c["label"], "selected": str(c["value"]) in chosen} for c in f.get("choices", [])]


def _seal_image(value: Any) -> str:
    if not isinstance(value, dict) or not str(value.get("content_type", "")).startswith("image/"):
        return ""
    return images.print_image(sealed.read(value["file"]))


def display_value(f: dict[str, Any], value: Any) -> Any:
    """The text a field's value reads as on paper (also what the checks look for)."""
    kind = f.get("type")
    if value is None or value == "":
        return ""
    if f.get("choices"):
        labels = {str(c["value"]): c["label"] for c in f["choices"]}
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in items)
    if kind == "yesno":
        return {"yes": "예", "no": "아니오"}.get(str(value), value)
    if kind == "consent":
        return {"agree": "동의함", "disagree": "동의하지 않음"}.get(str(value), value)
    if kind in ("file", "seal") and isinstance(value, dict):
        return f"{value.get('name', '')} (SHA-256 {str(value.get('sha256', ''))[:12]}…)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _row(f: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = f.get("type")
    text = display_value(f, value)
    row: dict[str, Any] = {"key": f.get("key", ""), "label": f.get("label", f.get("key", "")), "type": kind}
    row["value"] = text
    if f.get("choices") and kind in ("choice", "multichoice") and len(f["choices"]) <= 8:
        row["options"] = _options(f, value)
    if kind == "seal":
        row["image"] = _seal_image(value)
    row["wide"] = kind in WIDE_TYPES or len(str(text)) > WIDE_VALUE_CHARS
    return row


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


def layout(schema: dict[str, Any], values: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's sections as printed rows, and the signatures for the 서명 boxes."""
    sections = []
    signatures = []
    visible = form_schema.visible(schema, values)
    for section in form_schema.sections(schema):
        rows = []
        if form_schema.is_repeat(section):
            # A repeatable group (e.g. 세대원) prints one numbered block per row.
            if section.get("key") in visible:
                for i, row_values in enumerate(values.get(section["key"]) or []):
                    for f in form_schema.row_fields(section):
                        if f.get("type") != "guidance" and isinstance(row_values, dict):
                            row = _row(f, row_values.get(f["key"]))
                            row["label"] = f"{section.get('title', '')} {i + 1} · {row['label']}"
                            rows.append(row)
            if rows:
                sections.append(
                    {
                        "key": section.get("key", ""),
                        "title": section.get("title", ""),
                        "rows": rows,
                        "lines": _pair(rows),
                    }
                )
            continue
        for f in section.get("fields", []):
            key = f.get("key", "")
            if f.get("type") == "guidance" or key not in visible:
                continue
            if f.get("type") == "signature":
                signatures.append({"key": key, "label": f.get("label", key), "value": values.get(key)})
                continue
            rows.append(_row(f, values.get(key)))
        if rows:
            sections.append(
                {"key": section.get("key", ""), "title": section.get("title", ""), "rows": rows, "lines": _pair(rows)}
            )
    return sections, signatures


def _by_semantic(schema: dict[str, Any], values: dict[str, Any], semantic: str) -> str:
    for section in form_schema.sections(schema):
        for f in section.get("fields", []):
            if f.get("semantic") == semantic and values.get(f.get("key", "")):
                return str(values[f["key"]])
    return ""


def attachment_data(submission: Submission, values: dict[str, Any]) -> dict[str, Any]:
    """What is embedded in the PDF as submission.json: the record as filed."""
    template = submission.form_version.template
    return {
        "reference": submission.reference,
        "form": {"code": template.code, "title": template.title, "version": submission.form_version.number},
        "office": submission.office.name,
        "ticket": submission.ticket_number,
        "status": submission.status,
        "submitted_at": submission.submitted_at.isoformat(),
        "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        # The 접수증 as issued (처리예정일, 수수료…), archived with the record.
        "receipt": receipt_data(submission),
        "values": values,
    }


def build_context(
    submission: Submission, values: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    if values is None:
        values = submission_values(submission)
    version = submission.form_version
    template = version.template
    schema = version.schema
    sections, signature_fields = layout(schema, values)
    applicant = _by_semantic(schema, values, "applicant.name")
    proxy = _by_semantic(schema, values, "proxy.name")
    signatures = []
    for sig in signature_fields:
        is_proxy = "대리" in sig["label"] or "proxy" in sig["key"]
        src = images.print_image(images.data_url_bytes(sig["value"])) if sig["value"] else ""
        signatures.append(
            {
                "label": sig["label"],
                "role": "대리인" if is_proxy else "신청인",
                "name": proxy if is_proxy else applicant,
                "src": src,
            }
        )
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
        },
        "submission": submission,
        "template": template,
        "sections": sections,
        "signatures": signatures,
        "applicant_name": applicant,
        "processing": {
            "status": submission.get_status_display(),
            "handled_by": handled_by if done else "",
            "completed_at": submission.completed_at,
            "identity_checked": "확인함 (신분증 대조)" if submission.status == Submission.Status.COMPLETED else "",
            "note": submission.status_note,
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
