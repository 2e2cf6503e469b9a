"""What the check view shows beside the form: the attachments, the values a correction changed, the fields to pick.

Plain functions over one submission; the view puts them in its context and
the attachment view serves the files they name.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from forms_catalog import layout
from forms_catalog import schema as form_schema
from intake import crypto, sealed, uploads
from intake import services as intake_services
from intake.models import Submission

from ..models import FieldEdit

IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


@dataclass(frozen=True)
class Attachment:
    key: str  # the row key: a field key, or a repeatable row's path
    label: str
    name: str  # the file name on the resident's phone
    content_type: str
    pages: int
    file: str  # the sealed file in storage
    sha256: str

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)


def attachments(submission: Submission) -> list[Attachment]:
    """The uploads of the shown form (위임장, 신분증 사본, photos, seal images), in form order."""
    laid = layout.build(
        submission.form_version.form, intake_services.submission_values(submission), masked=False, only_given=True
    )
    found = []
    for row in laid.attachments:
        stored: dict[str, Any] = row.stored
        content_type = str(stored.get("content_type", ""))
        if content_type not in IMAGE_TYPES and content_type != "application/pdf":
            continue
        found.append(
            Attachment(
                key=row.key,
                label=row.label,
                name=str(stored.get("name", "")),
                content_type=content_type,
                pages=max(1, int(stored.get("pages") or 1)),
                file=stored["file"],
                sha256=str(stored.get("sha256", "")),
            )
        )
    return found


def find_attachment(submission: Submission, key: str) -> Attachment:
    for item in attachments(submission):
        if item.key == key:
            return item
    raise Http404("No such attachment.")


def attachment_content(item: Attachment, page: int | None) -> tuple[bytes, str]:
    """The bytes to show and their type: an image as stored, a PDF's page rendered as PNG, or the PDF itself."""
    data = sealed.read(item.file)
    if item.is_pdf and page is not None:
        return uploads.pdf_page_png(data, page - 1), "image/png"
    return data, item.content_type


def _readable(f: form_schema.Field, stored: str, sensitive: bool, unmasked: bool) -> str:
    """A FieldEdit value as the check view shows it: choice labels, personal numbers masked unless unmasked."""
    if not stored:
        return "—"
    value: Any = stored
    if sensitive:
        try:
            value = crypto.decrypt_json(stored).get("v")
        except crypto.DecryptionError:
            return "(열 수 없음)"
        if not unmasked:
            return form_schema.mask(f, value)
    shown = form_schema.choice_label(f, value)
    return "—" if shown in (None, "") else str(shown)


def resident_fixes(submission: Submission, unmasked: bool = False) -> dict[str, dict[str, Any]]:
    """Field key -> the resident's latest fix (before, after, when) answering a correction request."""
    fields = submission.form_version.form.fields_by_key
    fixes: dict[str, dict[str, Any]] = {}
    first_before: dict[str, str] = {}
    for edit in FieldEdit.objects.filter(submission=submission, by_resident=True).order_by("at", "pk"):
        f = fields.get(edit.field_key)
        if f is None:
            continue
        # Fixed twice: before is what the officer first saw, after the newest value.
        first_before.setdefault(edit.field_key, edit.before)
        fixes[edit.field_key] = {
            "before": _readable(f, first_before[edit.field_key], edit.sensitive, unmasked),
            "after": _readable(f, edit.after, edit.sensitive, unmasked),
            "at": edit.at,
        }
    return fixes
