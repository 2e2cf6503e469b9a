"""What the officer's screens and the resident-facing screens show of a submission.

Shared by the check view, the mirror window and the lobby display, so all
three lay out and mask a form the same way.
"""

from typing import Any

from django.utils import timezone

from forms_catalog import schema as form_schema
from intake import services as intake_services
from intake.models import Counter, Submission
from intake.templatetags.intake_tags import choices_of

from ..models import MirrorState

LOBBY_SIZE = 8

# Prompts the officer sends to the resident's screen with one click.
PROMPTS = [
    "서명해 주세요 (Please sign)",
    "주소를 확인해 주세요 (Please check your address)",
    "신분증을 보여 주세요 (Please show your ID)",
    "잠시만 기다려 주세요 (One moment, please)",
    "처리되었습니다. 안녕히 가세요 (All done, thank you)",
]


def _fields_with_values(
    section: dict[str, Any], values: dict[str, Any], shown: set[str]
) -> list[tuple[dict[str, Any], str, str, Any]]:
    """(field, key, label, value) for each shown field; a repeatable group
    (e.g. 세대원) gives one numbered set per row, as "세대원 1 · 성명"."""
    if form_schema.is_repeat(section):
        if section.get("key") not in shown:
            return []
        out = []
        for i, row in enumerate(values.get(section["key"]) or []):
            for f in form_schema.row_fields(section):
                if f.get("type") != "guidance" and isinstance(row, dict) and f["key"] in row:
                    label = f"{section.get('title', '')} {i + 1} · {f.get('label', f['key'])}"
                    out.append((f, form_schema.row_path(section["key"], i, f["key"]), label, row[f["key"]]))
        return out
    return [
        (f, f.get("key", ""), f.get("label", f.get("key", "")), values.get(f.get("key", "")))
        for f in section.get("fields", [])
        if f.get("type") != "guidance" and f.get("key", "") in shown
    ]


def display_sections(submission: Submission, unmasked: bool = False) -> list[dict[str, Any]]:
    """The form's sections as the paper has them, sensitive values masked unless asked."""
    values = intake_services.submission_values(submission)
    schema = submission.form_version.schema
    shown = form_schema.visible(schema, values)
    result = []
    for section in form_schema.sections(schema):
        rows = []
        for f, key, label, value in _fields_with_values(section, values, shown):
            sensitive = form_schema.is_sensitive(f)
            if sensitive and value and not unmasked:
                value = form_schema.mask(f, value)
            if isinstance(value, dict):  # uploaded file metadata
                value = value.get("name", "")
            # Choices read as the paper prints them, not as stored codes.
            labels = {c["value"]: c["label"] for c in choices_of(f)}
            if isinstance(value, list):
                value = ", ".join(labels.get(str(v), str(v)) for v in value)
            elif labels and value is not None:
                value = labels.get(str(value), value)
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "label_en": f.get("label_en", ""),
                    "type": f.get("type"),
                    "value": value,
                    "sensitive": sensitive,
                }
            )
        if rows:
            result.append({"title": section.get("title", ""), "title_en": section.get("title_en", ""), "rows": rows})
    return result


def call_of(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": summary["id"],
        "revision": summary["revision"],
        "ticket": summary["ticket"],
        "counter": summary["counter"],
        "called_at": summary["called_at"],
    }


def recent_calls(office_id: int) -> list[dict[str, Any]]:
    # The service day's calls (Korea time), not the last hours: the morning
    # TV must not open with last evening's numbers.
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Submission.objects.filter(office_id=office_id, called_at__gte=since, called_counter__isnull=False)
        .select_related("called_counter")
        .order_by("-called_at")[:LOBBY_SIZE]
    )
    return [
        {
            "id": s.pk,
            "revision": s.revision,
            "ticket": s.ticket_number,
            "counter": s.called_counter.number if s.called_counter else None,
            "called_at": s.called_at.isoformat() if s.called_at else None,
        }
        for s in rows
    ]


def mirror_context(counter_id: int) -> dict[str, Any]:
    counter = Counter.objects.select_related("office").get(pk=counter_id)
    state = MirrorState.objects.select_related("submission__form_version__template").filter(counter=counter).first()
    submission = state.submission if state else None
    # A mirror only ever shows an open submission of its own office.
    if submission is not None and (submission.office_id != counter.office_id or not submission.is_open):
        submission = None
    return {
        "counter": counter,
        "office": counter.office,
        "state": state,
        "submission": submission,
        "sections": display_sections(submission) if submission else [],
        "pointed": state.field_key if state and submission else "",
        "prompt": state.prompt if state else "",
    }
