"""The daily archive bundle for records transfer (기록물 이관): the day's PDFs and a manifest.

Every submission of the day is in the manifest, so nothing is silently left
out: a PDF that is not archived yet, or whose file no longer matches its
SHA-256, is listed with that state instead of being packed.
"""

import csv
import datetime
import hashlib
import io
import zipfile
from typing import IO, Any

from django.core.files.storage import default_storage
from django.utils import timezone

from intake.crypto import DecryptionError
from intake.models import Submission
from project.csvexport import safe_dict

from . import storage
from .models import ArchivedDocument

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = [
    "reference",
    "form_code",
    "form_title",
    "form_version",
    "office",
    "submitted_at",
    "completed_at",
    "status",
    "archived_at",
    "file",
    "size",
    "sha256",
    "check",
]


def _local(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def day_submissions(day: datetime.date, office_id: int | None = None) -> Any:
    qs = Submission.objects.filter(service_date=day).select_related("office", "form_version__template", "archive")
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    return qs.order_by("office__slug", "submitted_at", "pk")


def _intact_pdf(name: str, sha256: str) -> bytes | str:
    """The archived PDF, decrypted, if it is there and unaltered; else "missing" or "altered"."""
    if not default_storage.exists(name):
        return "missing"
    try:
        pdf = storage.read_file(name)
    except DecryptionError:
        return "altered"
    return pdf if hashlib.sha256(pdf).hexdigest() == sha256 else "altered"


def write_bundle(target: IO[bytes], day: datetime.date, office_id: int | None = None) -> int:
    """Write the zip to `target`; return how many PDFs it holds."""
    manifest = io.StringIO()
    writer = csv.DictWriter(manifest, fieldnames=MANIFEST_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    packed = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for submission in day_submissions(day, office_id):
            template = submission.form_version.template
            doc: ArchivedDocument | None = getattr(submission, "archive", None)
            arcname = f"{submission.office.slug}/{submission.reference}.pdf"
            check = "not archived"
            name = doc.file.name if doc is not None and doc.file else ""
            if doc is not None and doc.status == ArchivedDocument.Status.DONE and name:
                pdf = _intact_pdf(name, doc.sha256)
                if isinstance(pdf, bytes):
                    # PDFs are compressed already: store them as they are.
                    bundle.writestr(arcname, pdf, compress_type=zipfile.ZIP_STORED)
                    packed += 1
                check = "ok" if isinstance(pdf, bytes) else pdf
            elif doc is not None:
                check = f"not archived ({doc.status})"
            writer.writerow(
                safe_dict(
                    {
                        "reference": submission.reference,
                        "form_code": template.code,
                        "form_title": template.title,
                        "form_version": submission.form_version.number,
                        "office": submission.office.name,
                        "submitted_at": _local(submission.submitted_at),
                        "completed_at": _local(submission.completed_at),
                        "status": submission.status,
                        "archived_at": _local(doc.rendered_at) if doc else "",
                        "file": arcname if check == "ok" else "",
                        "size": doc.size if doc and check == "ok" else "",
                        "sha256": doc.sha256 if doc else "",
                        "check": check,
                    }
                )
            )
        # UTF-8 with a byte-order mark, so spreadsheet software shows the Korean correctly.
        bundle.writestr(MANIFEST_NAME, manifest.getvalue().encode("utf-8-sig"))
    return packed
