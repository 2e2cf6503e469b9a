"""Live events to consoles, tickets and mirror screens over the channel layer.

Channel layers deliver at most once, so an event is only ever a hint: every
receiver can rebuild its state from the database, and does on (re)connect.
Events carry no personal data.
"""

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from .models import Submission
from .servicedays import in_queue

logger = logging.getLogger(__name__)


def office_group(office_id: int) -> str:
    return f"office.{office_id}"


def ticket_group(public_token: str) -> str:
    # Group names allow only [a-zA-Z0-9_.-]; urlsafe tokens fit.
    return f"ticket.{public_token}"


def submission_summary(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "revision": submission.revision,
        "reference": submission.reference,
        "ticket": submission.ticket_number,
        "form": submission.form_version.template.title,
        "form_code": submission.form_version.template.code,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "submitted_at": submission.submitted_at.isoformat(),
        "called_at": submission.called_at.isoformat() if submission.called_at else None,
        "counter": submission.called_counter.number if submission.called_counter else None,
        "open": submission.is_open,
        # A row of the current service day's live queue; "open" also covers
        # 민원 in processing across days.
        "queue": in_queue(submission),
        "due_at": submission.due_at.isoformat() if submission.due_at else None,
        # Filled at home before the visit: the console marks it.
        "prepared": submission.prepared_at is not None,
        # The resident's page language ("" or "ko": Korean): the queue's badge.
        "language": submission.language,
        # A ticket without a form (guide staff, kiosk): the queue marks it and names its service.
        "ticket_only": submission.ticket_only,
        "service_name": _ticket_service_name(submission),
    }


def _ticket_service_name(submission: Submission) -> str:
    # Only a ticket without a form reads its service (a query): the form names the others.
    service = submission.service if submission.ticket_only else None
    return service.name if service is not None else ""


def event_text(summary: dict[str, Any]) -> str:
    """The frame every console of the office receives for one change, as text.

    Rendered once per event by the process that publishes it; the consumers
    of every ASGI process forward it as is instead of encoding it per console.
    """
    return json.dumps({"type": "submission", "submission": summary}, ensure_ascii=False, separators=(",", ":"))


def send_group(group: str, message: dict[str, Any]) -> None:
    send_groups([(group, message)])


def send_groups(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Send to several groups in one hop to the event loop (a sync view's thread
    waits for each hop)."""
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group, message in messages:
            try:
                await layer.group_send(group, message)
            except Exception:
                # A lost event is recovered by the receiver's resync; a failed
                # submit is not recoverable. Never let the layer fail a request.
                logger.warning("channel layer send to %s failed", group, exc_info=True)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.warning("channel layer unavailable", exc_info=True)


def publish_submission_on_commit(submission: Submission) -> None:
    summary = submission_summary(submission)
    office_id = submission.office_id
    token = submission.public_token

    def send() -> None:
        # "text" is the console's frame, encoded here once for every console
        # of the office; "submission" is for receivers that pick from it (lobby).
        message = {
            "type": "submission.changed",
            "submission": summary,
            "text": event_text(summary),
            "sent_at": timezone.now().isoformat(),
        }
        send_groups(
            [
                (office_group(office_id), message),
                (ticket_group(token), {"type": "ticket.changed", "revision": summary["revision"]}),
            ]
        )

    transaction.on_commit(send)
