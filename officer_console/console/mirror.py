"""What the officer's screens and the resident-facing screens show of a submission.

Shared by the check view, the mirror window and the lobby display, so all
three lay out and mask a form the same way.
"""

from typing import Any

from django.utils import timezone

from forms_catalog import layout
from forms_catalog import schema as form_schema
from forms_catalog.layout import LaidSection
from intake import estimates, signers
from intake import services as intake_services
from intake.models import Counter, Submission

from ..models import MirrorState
from . import assisted

LOBBY_SIZE = 10
# Counters whose latest call the lobby TV shows large; older calls go to the side list.
LOBBY_CURRENT = 4

# Prompts the officer sends to the resident's screen with one click.
PROMPTS = [
    "서명해 주세요 (Please sign)",
    "주소를 확인해 주세요 (Please check your address)",
    "신분증을 보여 주세요 (Please show your ID)",
    "잠시만 기다려 주세요 (One moment, please)",
    "처리되었습니다. 안녕히 가세요 (All done, thank you)",
]


def display_sections(submission: Submission, unmasked: bool = False, english: bool = False) -> tuple[LaidSection, ...]:
    """The form's sections as the paper has them, sensitive values masked unless asked.

    The signatures are not rows: each is in its own box with its signer (signature_boxes).
    """
    values = intake_services.submission_values(submission)
    return laid_out(submission.form_version.form, values, unmasked=unmasked, english=english)


def laid_out(
    form: form_schema.FormSchema, values: dict[str, Any], unmasked: bool = False, english: bool = False
) -> tuple[LaidSection, ...]:
    """Answers laid out as the paper has them, masked unless asked, without the signatures."""
    laid = layout.build(form, values, masked=not unmasked, english=english)
    return laid.without(frozenset({"signature"}))


def signature_boxes(submission: Submission) -> list[signers.Signer]:
    """Who signed in which box (신청인, 위임자, 대리인), how and when."""
    return signers.signers(submission, intake_services.submission_values(submission))


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


def lobby_waiting(office_id: int) -> list[dict[str, Any]]:
    """The lobby TV's waiting list per service, with the estimate for a ticket taken now."""
    return estimates.waits_per_service(office_id)


def split_calls(calls: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The latest call of each counter (shown large), and the calls before them.

    static/js/lobby.js splits the same way when a call arrives.
    """
    current: list[dict[str, Any]] = []
    earlier: list[dict[str, Any]] = []
    for call in calls:
        seen = any(c["counter"] == call["counter"] for c in current)
        (earlier if seen or len(current) >= LOBBY_CURRENT else current).append(call)
    return current, earlier


def lobby_state(office_id: int) -> dict[str, Any]:
    """All the lobby TV shows from the database: sent on (re)connect."""
    return {"type": "calls", "calls": recent_calls(office_id), "waiting": lobby_waiting(office_id)}


def assisted_context(counter: Counter) -> dict[str, Any]:
    """A 대신 작성 waiting for this counter's resident: the answers to review (masked) and where to sign."""
    entry = assisted.waiting_at(counter)
    if entry is None:
        return {"assisted": None}
    values = intake_services.draft_values(entry.draft)
    form = entry.draft.form_version.form
    return {
        "assisted": entry,
        "sections": laid_out(form, values),
        "sign_here": [f for f in form.input_fields if f.key in assisted.signature_keys(form, values)],
    }


def mirror_context(counter_id: int) -> dict[str, Any]:
    counter = Counter.objects.select_related("office").get(pk=counter_id)
    waiting = assisted_context(counter)
    if waiting["assisted"] is not None:
        # Until the resident signs or refuses (or the officer takes it back), the screen is theirs to sign on.
        return {"counter": counter, "office": counter.office, "submission": None, "prompt": "", **waiting}
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
        # In the language the resident filled the form in (the check view's badge says which).
        "sections": display_sections(submission, english=submission.language == "en") if submission else [],
        "signers": signature_boxes(submission) if submission else [],
        "pointed": state.field_key if state and submission else "",
        "prompt": state.prompt if state else "",
    }
