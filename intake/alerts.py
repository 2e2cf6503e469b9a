"""Which alerts are due (queue stages, transfer, 보완 요청, completion), and sending them from the worker.

Each event sends at most one message, claimed by its AlertMessage row (the
log of every send and its outcome), and only to a resident who gave a number
on the ticket page (the consent).
"""

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from forms_catalog.schema import Field
from forms_catalog.schema.validators import FieldError, clean_phone

from . import crypto, i18n, notify, services
from .models import AlertMessage, Submission
from .signals import submission_changed

logger = logging.getLogger(__name__)

MAX_ALERTS = 3


class AlertPhoneInvalid(Exception):
    code = "alert_phone_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def form_phone(submission: Submission) -> str:
    """The mobile number the resident gave in the form itself ("" if none): offered with one tap."""
    values = services.submission_values(submission)
    for field in submission.form_version.form.input_fields:
        if field.type != "phone" or not values.get(field.key):
            continue
        try:
            phone = clean_phone(field, values[field.key]).value
        except FieldError:
            continue
        if phone.startswith("01"):
            return str(phone)
    return ""


def register_phone(submission: Submission, raw: str) -> None:
    """Opt in to alerts with a mobile number (or opt out with an empty one).

    Opting in is the consent: the number is kept for these alerts only, and
    when the resident agreed is recorded with it.
    """
    raw = (raw or "").strip()
    if not raw:
        Submission.objects.filter(pk=submission.pk).update(alert_phone="", alert_consent_at=None)
        return
    try:
        phone = clean_phone(Field("alert_phone", "phone"), raw).value
    except FieldError as exc:
        raise AlertPhoneInvalid(exc.message) from None
    if not phone.startswith("01"):
        raise AlertPhoneInvalid(_("알림은 휴대전화로만 보낼 수 있습니다. 010으로 시작하는 번호를 입력해 주세요."))
    # The alerts go out later from the worker, in the language of this page.
    stored = {"phone": phone, "language": translation.get_language() or settings.LANGUAGE_CODE}
    Submission.objects.filter(pk=submission.pk).update(
        alert_phone=crypto.encrypt_json(stored), alert_consent_at=timezone.now()
    )


# The queue stages: each at most once per ticket, MAX_ALERTS in all (Submission.alerts_sent).
STAGES = ("three_ahead", "next", "your_turn")


def _due(office_id: int, changed: Submission) -> list[tuple[int, str]]:
    due: list[tuple[int, str]] = []
    if changed.status == Submission.Status.CALLED and changed.alert_phone:
        due.append((changed.pk, "your_turn"))
    waiting = (
        # The changed ticket's service day: an earlier day's leftovers are never "ahead".
        Submission.objects.filter(
            office_id=office_id, service_date=changed.service_date, status=Submission.Status.SUBMITTED
        )
        .order_by("submitted_at")
        .values_list("pk", "alert_phone", "alerts_sent")[:4]
    )
    for ahead, (pk, phone, sent) in enumerate(waiting):
        stage = {3: "three_ahead", 0: "next"}.get(ahead)
        if phone and stage and stage not in sent:
            due.append((pk, stage))
    return due


def _own_events(changed: Submission, old_status: str, action: str) -> list[tuple[int, str]]:
    """What happened to the resident's own 민원 beyond the queue: one event each, keyed by its revision."""
    if not changed.alert_phone:
        return []
    if action == "transfer":
        return [(changed.pk, f"transfer:{changed.revision}")]
    if changed.status == Submission.Status.CORRECTION and old_status != Submission.Status.CORRECTION:
        return [(changed.pk, f"correction:{changed.revision}")]
    if changed.status == Submission.Status.COMPLETED:
        return [(changed.pk, "completed")]
    return []


@receiver(submission_changed)
def queue_alerts(
    sender: Any, submission: Submission, old_status: str, new_status: str, action: str = "", **kwargs: Any
) -> None:
    # Runs inside the state change's transaction: the alert task commits
    # with the change, and a crash can never send an alert for a change
    # that did not happen. A new submission joins the end of the queue: it
    # moves nobody closer to their turn and has no phone registered yet.
    if not old_status:
        return
    for pk, event in _due(submission.office_id, submission) + _own_events(submission, old_status, action):
        send_alert.enqueue(pk, event)


def with_ticket_link(text: str, submission: Submission, anchor: str = "") -> str:
    """The alert with the ticket's address, where the site has a public one: from there the
    resident follows the status, withdraws, and opens the 접수증."""
    if not settings.PUBLIC_BASE_URL:
        return text
    return f"{text} {settings.PUBLIC_BASE_URL}{reverse('intake:ticket', args=[submission.public_token])}{anchor}"


def _kind(submission: Submission, event: str) -> str:
    kind = event.partition(":")[0]
    if kind == "transfer" and submission.called_counter_id is None:
        return "transfer_officer"
    return kind


def _claim(submission: Submission, event: str) -> AlertMessage | None:
    """The event's one message, claimed by its log row; None when consent, the stage cap or a repeat says no."""
    if not submission.alert_phone:
        return None  # no consent (or withdrawn, or purged): nothing is sent
    if submission.ticket_number is None:
        return None  # no ticket yet (방문 전, or the 위임자's signature awaited): nothing to tell
    if event in STAGES:
        if event in submission.alerts_sent or len(submission.alerts_sent) >= MAX_ALERTS:
            return None
        submission.alerts_sent = [*submission.alerts_sent, event]
        submission.save(update_fields=["alerts_sent"])
    try:
        with transaction.atomic():
            return AlertMessage.objects.create(submission=submission, event=event)
    except IntegrityError:
        return None  # this event's message was already sent


@task()
def send_alert(submission_id: int, stage: str) -> str:
    """Send one event's alert (`stage`: a queue stage, or an event such as "transfer:7")."""
    with transaction.atomic():
        # No select_related: PostgreSQL refuses FOR UPDATE across a nullable join.
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        record = _claim(submission, stage)
        if record is None:
            return "skipped"
        stored = crypto.decrypt_json(submission.alert_phone)
        phone = stored["phone"]
        kind = _kind(submission, stage)
        with translation.override(stored.get("language", settings.LANGUAGE_CODE)):
            text, variables = notify.compose(
                kind,
                office=i18n.text_in_language(submission.office, "name"),
                ticket=submission.ticket_number,
                counter=submission.called_counter.number if submission.called_counter else None,
            )
        # The log keeps the text without the link: the ticket's address is the resident's key to it.
        record.text, record.phone_masked = text, notify.mask_phone(phone)
        record.save(update_fields=["text", "phone_masked"])
        link = with_ticket_link(text, submission, "#rating" if kind == "completed" else "")
        variables["링크"] = link.removeprefix(text).strip()
        alert = notify.Alert(kind, phone, link, variables)
    try:
        channel = notify.backend().send(alert)
    except Exception as exc:
        # An alert is a courtesy: log and move on, never retry into a flood.
        logger.warning("alert %s for submission %s failed", stage, submission_id, exc_info=True)
        # The provider's message may quote the number: never kept in full.
        error = f"{type(exc).__name__}: {exc}".replace(phone, record.phone_masked)
        error = error.replace(phone.replace("-", ""), record.phone_masked)
        AlertMessage.objects.filter(pk=record.pk).update(outcome=AlertMessage.Outcome.FAILED, error=error[:300])
        return "failed"
    AlertMessage.objects.filter(pk=record.pk).update(outcome=AlertMessage.Outcome.SENT, channel=channel)
    return "sent"
