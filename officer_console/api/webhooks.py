"""Webhooks: each lifecycle move an office's back office cares about, signed and delivered by the worker.

The lifecycle sends `submission_changed` inside the transaction that made the
move; the receiver here writes one WebhookDelivery per subscribed endpoint and
queues its task in that same transaction (like pdfgen's render), so an event is
sent if and only if its change committed. Nothing touches the network on the
request's path: the counter never waits for a receiver.

Delivery follows Standard Webhooks: headers `webhook-id` (the same on every
retry, so receivers drop duplicates), `webhook-timestamp` and
`webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`). A try
that fails (no answer within WEBHOOK_TIMEOUT_SECONDS, or not 2xx) is queued
again after WEBHOOK_RETRY_BASE_SECONDS × 2ⁿ, up to WEBHOOK_MAX_ATTEMPTS tries.
The payload carries no personal data: receivers read the submission through
the API with their token.
"""

import datetime
import json
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task
from standardwebhooks.webhooks import Webhook

from intake.models import Submission
from intake.signals import submission_changed

from .models import Event, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# Lifecycle move -> the event it sends (other moves send none).
EVENTS = {
    "submit": Event.SUBMITTED,
    "call": Event.CALLED,
    "recall": Event.CALLED,
    "complete": Event.COMPLETED,
    "reject": Event.REJECTED,
    "resubmit": Event.CORRECTED,
    "withdraw": Event.WITHDRAWN,
}


def url_allowed(url: str) -> bool:
    """HTTPS only; plain HTTP to this machine only where WEBHOOK_ALLOW_HTTP_LOCALHOST is on (tests, demo)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return (
        parts.scheme == "http"
        and settings.WEBHOOK_ALLOW_HTTP_LOCALHOST
        and parts.hostname in {"127.0.0.1", "localhost", "::1"}
    )


def payload(submission: Submission, event: str, at: datetime.datetime) -> dict[str, Any]:
    template = submission.form_version.template
    return {
        "type": f"submission.{event}",
        "timestamp": at.isoformat(),
        "data": {
            "id": submission.pk,
            "reference": submission.reference,
            "office_id": submission.office_id,
            "form": template.code,
            "form_version": submission.form_version.number,
            "status": submission.status,
            "revision": submission.revision,
            "ticket": submission.ticket_number,
            "service_date": submission.service_date.isoformat(),
        },
    }


@receiver(submission_changed)
def queue_deliveries(
    sender: Any, submission: Submission, old_status: str, new_status: str, action: str = "", **kwargs: Any
) -> None:
    event = EVENTS.get(action)
    if event is None:
        return
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(office_id=submission.office_id, active=True) if event in e.events
    ]
    if not endpoints:
        return
    now = timezone.now()
    body = payload(submission, event, now)
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            submission=submission,
            message_id=f"msg_{uuid.uuid4().hex}",
            event=event,
            payload=body,
            next_attempt_at=now,
        )
        deliver_webhook.enqueue(delivery.pk)


@task()
def deliver_webhook(delivery_id: int) -> str:
    return deliver(delivery_id)


def sign(endpoint: WebhookEndpoint, message_id: str, at: datetime.datetime, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(message_id, at, body),
    }


def deliver(delivery_id: int) -> str:
    """One try of one delivery. No transaction is held while the receiver answers."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "nothing to do"  # delivered already (a duplicate task), or given up
    attempt = delivery.attempts + 1
    # Claims this try: a second task for the same delivery finds the count moved and stops.
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=attempt)
    if not claimed:
        return "taken by another worker"
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    status_code, error = None, ""
    if not endpoint.active:
        error = "웹훅이 꺼져 있어 보내지 않았습니다 (endpoint inactive)."
        return _record(delivery, attempt, None, error, give_up=True)
    if not url_allowed(endpoint.url):
        error = "HTTPS 주소만 쓸 수 있습니다 (HTTPS only)."
    else:
        headers = {
            "content-type": "application/json",
            "user-agent": "minwon-webhooks/1",
            **sign(endpoint, delivery.message_id, timezone.now(), body),
        }
        try:
            response = httpx.post(
                endpoint.url,
                content=body,
                headers=headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                follow_redirects=False,
            )
            status_code = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
    return _record(delivery, attempt, status_code, error)


def _record(
    delivery: WebhookDelivery, attempt: int, status_code: int | None, error: str, *, give_up: bool = False
) -> str:
    now = timezone.now()
    fields: dict[str, Any] = {"last_status_code": status_code, "last_error": error}
    if status_code is not None and 200 <= status_code < 300:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
        outcome = "delivered"
    elif give_up or attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
        outcome = "failed"
        logger.warning("webhook %s to %s failed %s times; giving up", delivery.pk, delivery.endpoint.url, attempt)
    else:
        delay = datetime.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1))
        fields["next_attempt_at"] = now + delay
        outcome = f"retry in {delay.total_seconds():.0f} s"
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk, attempts=attempt).update(**fields)
        if fields.get("next_attempt_at"):
            deliver_webhook.using(run_after=fields["next_attempt_at"]).enqueue(delivery.pk)
    return outcome


def redeliver(deliveries: Any) -> int:
    """Send again from the start, with the same webhook-id (the admin's action)."""
    count = 0
    now = timezone.now()
    for delivery in deliveries:
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=now, last_error=""
            )
            deliver_webhook.enqueue(delivery.pk)
        count += 1
    return count


# A task lost with its worker (killed mid-try) leaves its delivery pending with a next try long past.
STALE_AFTER = datetime.timedelta(minutes=10)


def sweep(now: datetime.datetime) -> int:
    """Queue again every pending delivery whose try is long overdue; a duplicate task finds the
    try already claimed and stops, so this never sends twice."""
    stale = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stale):
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=now)
            deliver_webhook.enqueue(pk)
        count += 1
    if count:
        logger.warning("webhook sweep: %s overdue deliveries queued again", count)
    return count
