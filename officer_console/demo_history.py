"""Ninety days of past visits for the demo offices, so `make run`'s report shows something real.

Report-only records: made in bulk as the finished rows a report reads (the
times, the counter, the outcome, the sheets fixed at completion), not by
replaying the lifecycle, so they carry no events, no personal data and no
archive PDF. Deterministic per office and day (a seeded generator), and
idempotent: each row's idempotency key is derived from its place in the
history, and rows already there are skipped.
"""

import datetime
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from forms_catalog.models import FormVersion
from intake.models import Counter, Office, Submission

from .models import Membership

DAYS = 90
NAMESPACE = uuid.UUID("6f1c1a52-5d0e-4d4b-9a53-5f2a3c1e9b70")
# Residents per open day, by kind of office (a ward's centre is busiest).
DAILY = {"ward": (28, 46), "dong": (12, 24), "health": (7, 14)}
# How arrivals spread over the day: the morning rush, the lunch dip, the afternoon.
HOUR_WEIGHTS = {9: 14, 10: 16, 11: 12, 12: 5, 13: 9, 14: 13, 15: 12, 16: 10, 17: 6}
REJECTION_REASONS = [
    "위임장에 위임인 서명이 없습니다.",
    "신청인 본인 확인 서류가 없습니다.",
    "세대주 확인이 되지 않습니다.",
]


@dataclass(frozen=True)
class Visit:
    key: uuid.UUID
    day: datetime.date
    ticket: int
    submitted_at: datetime.datetime
    version: FormVersion
    outcome: str
    wait: int
    handle: int
    counter: Counter


def _open_days(office: Office, today: datetime.date) -> Iterator[datetime.date]:
    for back in range(DAYS, 0, -1):
        day = today - datetime.timedelta(days=back)
        if office.is_open_on(day):
            yield day


def _outcome(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return Submission.Status.REJECTED
    if roll < 0.05:
        return Submission.Status.WITHDRAWN
    if roll < 0.07:
        return Submission.Status.NO_SHOW
    if roll < 0.08:
        return Submission.Status.EXPIRED
    return Submission.Status.COMPLETED


def _visits(office: Office, versions: list[FormVersion], counters: list[Counter], today: datetime.date) -> list[Visit]:
    zone = ZoneInfo(settings.TIME_ZONE)
    hours = [h for h in HOUR_WEIGHTS if office.opens_at.hour <= h < office.closes_at.hour] or list(HOUR_WEIGHTS)
    weights = [HOUR_WEIGHTS[h] for h in hours]
    # The first forms of a pack are the everyday ones (등본, 전입신고…): weighted first.
    form_weights = [len(versions) - i for i in range(len(versions))]
    visits = []
    for day in _open_days(office, today):
        rng = random.Random(f"{office.slug}/{day.isoformat()}")
        low, high = DAILY.get(office.kind, DAILY["dong"])
        # Mondays and the days after a holiday are busier.
        count = rng.randint(low, high) + (6 if day.isoweekday() == 1 else 0)
        arrivals = sorted(
            datetime.datetime.combine(
                day, datetime.time(rng.choices(hours, weights)[0], rng.randrange(60), rng.randrange(60)), zone
            )
            for _ in range(count)
        )
        for ticket, at in enumerate(arrivals, start=1):
            version = rng.choices(versions, form_weights)[0]
            # Waits grow in the rush hours; handling depends on the form (more fields, more checking).
            rush = 1.8 if at.hour in (9, 10, 14) else 1.0
            wait = int(rng.gammavariate(2.2, 150) * rush) + 20
            handle = int(rng.gammavariate(3.0, 50 + 25 * version.paper_sheets)) + 40
            visits.append(
                Visit(
                    key=uuid.uuid5(NAMESPACE, f"{office.slug}/{day.isoformat()}/{ticket}"),
                    day=day,
                    ticket=ticket,
                    submitted_at=at,
                    version=version,
                    outcome=_outcome(rng),
                    wait=wait,
                    handle=handle,
                    counter=rng.choice(counters),
                )
            )
    return visits


def _row(office: Office, visit: Visit, officer: User | None) -> Submission:
    s = Submission(
        idempotency_key=visit.key,
        office=office,
        counter=visit.counter,
        form_version=visit.version,
        service=visit.version.template.service,
        service_date=visit.day,
        ticket_number=visit.ticket,
        submitted_at=visit.submitted_at,
        updated_at=visit.submitted_at,
        status=visit.outcome,
        revision=3,
    )
    called = visit.submitted_at + datetime.timedelta(seconds=visit.wait)
    if visit.outcome in (Submission.Status.COMPLETED, Submission.Status.REJECTED, Submission.Status.NO_SHOW):
        s.called_at, s.called_counter, s.handled_by = called, visit.counter, officer
    if visit.outcome == Submission.Status.COMPLETED:
        s.completed_at = called + datetime.timedelta(seconds=visit.handle)
        s.paper_sheets_saved = visit.version.paper_sheets
    elif visit.outcome == Submission.Status.REJECTED:
        s.completed_at = called + datetime.timedelta(seconds=visit.handle // 2)
        s.status_note = random.Random(str(visit.key)).choice(REJECTION_REASONS)
    s.updated_at = s.completed_at or s.called_at or s.submitted_at
    return s


def load(offices: list[Office], today: datetime.date | None = None) -> int:
    """Add the missing history rows of the offices' last DAYS days (today excluded); returns how many."""
    today = today or timezone.localdate()
    rows: list[Submission] = []
    for office in offices:
        versions = list(
            FormVersion.objects.filter(template__in=office.forms.all(), status=FormVersion.Status.PUBLISHED)
            .select_related("template__service")
            .order_by("template__code")
        )
        counters = list(office.counters.order_by("number"))
        if not versions or not counters:
            continue
        officer = User.objects.filter(memberships__office=office, memberships__role=Membership.Role.OFFICER).first()
        visits = _visits(office, versions, counters, today)
        keys = [v.key for v in visits]
        existing = set(Submission.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        # A day with real tickets (the demo was used then) keeps its own numbers: no history added to it.
        used = set(
            Submission.objects.filter(office=office, service_date__lt=today)
            .exclude(idempotency_key__in=keys)
            .values_list("service_date", flat=True)
        )
        rows += [_row(office, v, officer) for v in visits if v.key not in existing and v.day not in used]
    Submission.objects.bulk_create(rows, batch_size=500)
    return len(rows)
