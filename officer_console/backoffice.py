"""Values for the back-office system (새올 and the like), in the order of the form's mapping.

The officer's one-click copy on the check view, the day's CSV/JSON export and the API all read a
submission through here: the one layout builder gives each value as a person reads it (choice
labels, 예/아니오), masked unless the reader may see it in full.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from forms_catalog import layout
from intake import services as intake_services
from intake.models import Office, Submission
from project.csvexport import excel_csv


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    value: str
    masked: bool


def entries(submission: Submission, *, unmasked: bool) -> list[Entry]:
    """The mapped values of one submission; a field not answered (or hidden) copies as empty."""
    mapping = submission.form_version.template.backoffice_fields or []
    if not mapping:
        return []
    values = intake_services.submission_values(submission)
    rows = {
        row.key: row
        for section in layout.build(submission.form_version.form, values, masked=not unmasked).sections
        for row in section.rows
    }
    found = []
    for item in mapping:
        row = rows.get(item["field"])
        value = "" if row is None or row.value is None else str(row.value)
        label = item.get("label") or (row.label if row else item["field"])
        found.append(Entry(item["code"], label, value, masked=bool(row and row.masked)))
    return found


def copy_text(found: Sequence[Entry]) -> str:
    """One line, values separated by tabs: pasted into a grid or entry screen in mapping order."""
    return "\t".join(e.value.replace("\t", " ").replace("\n", " ") for e in found)


def copy_context(submission: Submission, *, unmasked: bool) -> dict[str, Any]:
    """What the check view's copy panel shows."""
    found = entries(submission, unmasked=unmasked)
    return {"entries": found, "text": copy_text(found), "masked": any(e.masked for e in found)}


# --- a day's submissions, for batch entry -------------------------------------

EXPORT_HEADER = ["접수번호", "번호표", "서식 코드", "서식", "상태", "접수 일시"]


def day_submissions(office: Office, day: datetime.date, form_code: str = "") -> QuerySet[Submission]:
    # A ticket without a form filed nothing the back office could enter.
    qs = (
        Submission.objects.filter(office=office, service_date=day)
        .exclude(channel=Submission.Channel.TICKET)
        .select_related("form_version__template")
    )
    if form_code:
        qs = qs.filter(form_version__template__code=form_code)
    return qs.order_by("ticket_number")


def export_records(submissions: Iterable[Submission], *, unmasked: bool) -> list[dict[str, Any]]:
    return [
        {
            "reference": s.reference,
            "ticket": s.ticket_number,
            "form_code": s.form_version.template.code,
            "form": s.form_version.template.title,
            "status": s.status,
            "submitted_at": timezone.localtime(s.submitted_at).isoformat(timespec="seconds"),
            "fields": [{"code": e.code, "label": e.label, "value": e.value} for e in entries(s, unmasked=unmasked)],
        }
        for s in submissions
    ]


def export_csv(records: list[dict[str, Any]], filename: str) -> HttpResponse:
    """One row per submission; the mapped codes of all its forms as columns, in first-seen order."""
    codes: list[str] = []
    for record in records:
        codes.extend(f["code"] for f in record["fields"] if f["code"] not in codes)
    rows: list[list[Any]] = [[*EXPORT_HEADER, *codes]]
    for r in records:
        by_code = {f["code"]: f["value"] for f in r["fields"]}
        rows.append(
            [r["reference"], r["ticket"], r["form_code"], r["form"], r["status"], r["submitted_at"]]
            + [by_code.get(code, "") for code in codes]
        )
    return excel_csv(rows, filename)


def export_json(records: list[dict[str, Any]], filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"submissions": records}, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
