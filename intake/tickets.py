"""Tickets without a form: guide staff (and later the kiosk) give a resident a place in the queue.

A resident with no smartphone, or one who comes for 상담 or for a form to fill
with the officer, takes a ticket for a service (업무 구분) only. The ticket is a
Submission like every other (same queue, lobby TV, console, report), so its
form version is the built-in ticket-only form: one published version with no
fields and no paper sheets (a ticket saves no paper). `channel=ticket` marks it
everywhere it is shown.
"""

import uuid

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from forms_catalog.models import FormTemplate, FormVersion, Service
from project import parsing

from .errors import TicketRefused
from .models import Office, Submission
from .services import file_submission

TICKET_FORM_CODE = "visit-ticket"
TICKET_FORM_TITLE = "방문 상담 (번호표)"
TICKET_FORM_TITLE_EN = "Visit (ticket only)"


def ticket_form_version() -> FormVersion:
    """The built-in ticket-only form's published version, made on first use.

    Made here rather than by a data migration: a database flushed between
    tests (or a fresh install restored from a dump without it) gets it back
    on the next ticket. Never offered to residents (it is in no office's
    forms), so it never appears on a form list.
    """
    version = (
        FormVersion.objects.filter(template__code=TICKET_FORM_CODE, status=FormVersion.Status.PUBLISHED)
        .select_related("template")
        .first()
    )
    if version is not None:
        return version
    try:
        with transaction.atomic():
            template, _ = FormTemplate.objects.get_or_create(
                code=TICKET_FORM_CODE,
                # Only the visit's times and service are kept: nothing personal to hold for long.
                defaults={"title": TICKET_FORM_TITLE, "title_en": TICKET_FORM_TITLE_EN, "retention_years": 1},
            )
            version, _ = FormVersion.objects.get_or_create(
                template=template,
                number=1,
                defaults={
                    "status": FormVersion.Status.PUBLISHED,
                    "schema": {"sections": []},
                    "paper_sheets": 0,
                    "published_at": timezone.now(),
                },
            )
    except IntegrityError:
        # Two first tickets at once: the other one made it.
        version = FormVersion.objects.select_related("template").get(template__code=TICKET_FORM_CODE, number=1)
    return version


def ticket_services() -> list[Service]:
    """The services a ticket can be taken for, in the office's display order."""
    return list(Service.objects.order_by("order", "code"))


def issue_ticket(
    *,
    office: Office,
    service_id: object,
    idempotency_key: uuid.UUID,
    actor: User | None = None,
    channel: str = Submission.Channel.TICKET,
) -> tuple[Submission, bool]:
    """A ticket for `service_id` at `office`, with no form. Returns (submission, created).

    Idempotent on `idempotency_key` (the page's key): a double tap on the
    button, or a retry after a timeout, gives the ticket already issued. The
    same key for another service or office is a stale page, refused rather
    than handing the next resident the previous one's ticket.
    """
    pk = parsing.object_id(service_id)
    service = None if pk is None else Service.objects.filter(pk=pk).first()
    if service is None:
        raise TicketRefused("service_unknown")
    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _repeat(existing, office, service)
    version = ticket_form_version()
    now = timezone.now()
    try:
        with transaction.atomic():
            submission = Submission(
                idempotency_key=idempotency_key,
                office=office,
                form_version=version,
                service=service,
                channel=channel,
            )
            # A resident's 접수, made on their behalf: the audit row names the staff member.
            file_submission(submission, take_ticket=True, to=Submission.Status.SUBMITTED, actor=actor, at=now)
    except IntegrityError:
        # A concurrent tap with the same key won; its ticket is this one.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _repeat(existing, office, service)
    return submission, True


def _repeat(existing: Submission, office: Office, service: Service) -> tuple[Submission, bool]:
    if existing.office_id != office.pk or existing.service_id != service.pk:
        raise TicketRefused("key_reused")
    return existing, False
