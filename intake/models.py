import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms_catalog.models import FormTemplate, FormVersion

from .expressions import LocalPart, WholeSecondsBetween

# No 0/O, 1/I/L: a reference read aloud at a counter or typed from a phone
# screen must survive being misread.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def new_handoff_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_public_token() -> str:
    return secrets.token_urlsafe(24)


# ISO weekdays (Monday = 1), as Office.open_days stores them.
# Page text on the resident's pages (opening days), so translated there.
WEEKDAYS = [
    ("1", pgettext_lazy("weekday", "월")),
    ("2", pgettext_lazy("weekday", "화")),
    ("3", pgettext_lazy("weekday", "수")),
    ("4", pgettext_lazy("weekday", "목")),
    ("5", pgettext_lazy("weekday", "금")),
    ("6", pgettext_lazy("weekday", "토")),
    ("7", pgettext_lazy("weekday", "일")),
]
WEEKDAY_NAMES = dict(WEEKDAYS)


class Office(models.Model):
    class Kind(models.TextChoices):
        WARD = "ward", "구청 (district office)"
        HEALTH = "health", "보건소 (health centre)"
        DONG = "dong", "동주민센터 (community centre)"

    slug = models.SlugField("주소용 이름 (slug)", max_length=64, unique=True)
    name = models.CharField("기관명 (name)", max_length=100)
    name_en = models.CharField("영문 기관명 (English name)", max_length=100, blank=True)
    kind = models.CharField("기관 종류 (kind)", max_length=16, choices=Kind.choices, default=Kind.WARD)
    notice = models.TextField("안내 문구 (notice)", blank=True)
    # Checked by content and re-encoded on upload (intake.uploads.clean_logo);
    # served by intake:office_logo, never from a media URL.
    logo = models.FileField("로고 (logo, PNG/JPG)", upload_to="office-logos/", blank=True)
    opens_at = models.TimeField("여는 시각 (opens at)", default=datetime.time(9, 0))
    closes_at = models.TimeField("닫는 시각 (closes at)", default=datetime.time(18, 0))
    open_days = models.CharField(
        "여는 요일 (open days)", max_length=7, default="12345", help_text="1=월 … 7=일 (1 = Monday … 7 = Sunday)"
    )
    hours_note = models.CharField(
        "운영 시간 덧붙임 (opening hours note)",
        max_length=200,
        blank=True,
        help_text="예: 공휴일 휴무, 매주 목요일 20시까지 야간 민원 (e.g. closed on public holidays)",
    )
    paper_wait_baseline_minutes = models.PositiveSmallIntegerField(
        "종이 민원 시절 평균 대기(분) (paper-era wait baseline, minutes)", default=30
    )
    paper_sheets_baseline_per_year = models.PositiveIntegerField(
        "종이 민원 시절 연간 종이 사용량(매) (paper-era sheets a year)",
        null=True,
        blank=True,
        help_text="보고서에 절감 목표의 기준으로 나옵니다 (shown in the report as the paper-era reference)",
    )
    forms = models.ManyToManyField(
        FormTemplate, blank=True, related_name="offices", verbose_name="제공 서식 (forms offered)"
    )
    # How long a form filled at home (the office-wide link) waits for its resident's
    # arrival before it expires and its personal data goes (intake/visits.py).
    pre_arrival_days = models.PositiveSmallIntegerField(
        "방문 전 작성 보관 기간(일) (days a form filled at home waits)",
        default=2,
        help_text="집에서 작성한 서식이 도착 확인을 기다리는 기간 (then it expires and is purged)",
    )
    # The last time the setup guide printed the counter posters (its checklist's last step).
    posters_printed_at = models.DateTimeField("QR 안내문 인쇄 (posters printed)", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "기관 (office)"
        verbose_name_plural = "기관 (offices)"
        permissions = [("setup_office", "새 기관 개설 안내 사용 (may use the new office setup guide)")]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_content_type(self) -> str:
        return "image/png" if (self.logo.name or "").endswith(".png") else "image/jpeg"

    def is_open_on(self, day: datetime.date) -> bool:
        return str(day.isoweekday()) in self.open_days

    @property
    def closed_days_label(self) -> str:
        """e.g. "토·일" for a Monday-to-Friday office."""
        return "·".join(str(name) for number, name in WEEKDAYS if number not in self.open_days)

    @property
    def open_today(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def open_days_label(self) -> str:
        return "·".join(str(name) for number, name in WEEKDAYS if number in self.open_days)


class Counter(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField("창구 번호 (counter number)")
    name = models.CharField("창구 이름 (name)", max_length=100, blank=True)
    # The QR code carries this token, not the database id, so reprinting
    # posters after a token change retires the old ones.
    qr_token = models.CharField(max_length=32, unique=True, default=new_handoff_code)
    # None chosen = every service: a counter is general until the office says otherwise.
    services = models.ManyToManyField(
        "forms_catalog.Service", blank=True, related_name="counters", verbose_name="담당 업무 (services)"
    )

    class Meta:
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="unique_counter_number")]
        verbose_name = "창구 (counter)"
        verbose_name_plural = "창구 (counters)"

    def __str__(self) -> str:
        return f"{self.office.name} {self.number}번 창구"


class Draft(models.Model):
    """Work in progress on a resident's phone, kept on the server so nothing is lost."""

    resident_key = models.CharField(max_length=64, db_index=True)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="drafts")
    # Plain values of non-sensitive fields, encrypted blob for the rest.
    data = models.JSONField(default=dict)
    sensitive_data = models.TextField(blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True)
    # The step the resident was last on (a section key, or "review"), so a
    # reload or a re-scanned QR code resumes exactly there.
    step = models.CharField(max_length=64, blank=True)
    # The page's clock (ms) of the newest save applied: autosaves, field
    # checks and 다음 can cross on a slow network, and an older snapshot of
    # the page must never overwrite a newer one.
    saved_seq = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    submission = models.OneToOneField(
        "Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )

    class Meta:
        indexes = [models.Index(fields=["resident_key", "office", "form_version"])]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.form_version}"


class Submission(models.Model):
    class Status(models.TextChoices):
        # Korean in the record (the archive PDF prints them); English through the catalog.
        SUBMITTED = "submitted", _("접수")
        CALLED = "called", _("호출")
        CORRECTION = "correction", _("보완 요청")
        COMPLETED = "completed", _("처리 완료")
        REJECTED = "rejected", _("반려")
        NO_SHOW = "no_show", _("부재")
        WITHDRAWN = "withdrawn", _("취하")
        PROCESSING = "processing", _("처리중")
        EXPIRED = "expired", _("미호출·미서명 마감")
        # Filled at home from the office-wide link: checked, but no ticket until the resident arrives.
        PRE_ARRIVAL = "pre_arrival", _("방문 전")
        # Filed by a 대리인: joins the queue once the 위임자 co-signs (intake/delegations.py).
        AWAITING_COSIGN = "awaiting_cosign", _("위임자 서명 대기")
        REVOKED = "revoked", _("위임 거절·철회")

    class Channel(models.TextChoices):
        # How the resident reached the queue; the report splits by it.
        PHONE = "phone", _("휴대전화")
        KIOSK = "kiosk", _("무인 접수기")
        ASSISTED = "assisted", _("직원 대신 작성")
        TICKET = "ticket", _("번호표만")

    OPEN_STATUSES = (Status.SUBMITTED, Status.CALLED, Status.CORRECTION, Status.PROCESSING)
    # What the counter's live queue, the lobby and "n ahead" show, on the ticket's own service day.
    QUEUE_STATUSES = (Status.SUBMITTED, Status.CALLED, Status.CORRECTION)

    reference = models.CharField("접수번호 (reference)", max_length=9, unique=True, default=new_reference)
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token)
    handoff_code = models.CharField("인계 코드 (hand-off code)", max_length=8, default=new_handoff_code, db_index=True)
    idempotency_key = models.UUIDField(unique=True)

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="submissions")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    # The form's service at submit time (kept, so a later re-filing of the form does not move
    # today's tickets between counters); a ticket without a form names its service directly.
    service = models.ForeignKey(
        "forms_catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("접수 경로 (channel)", max_length=16, choices=Channel.choices, default=Channel.PHONE)

    data = models.JSONField(default=dict)
    sensitive_data = models.TextField(blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    # Bumped on every change; consoles drop any event older than what they hold.
    revision = models.PositiveIntegerField(default=1)
    service_date = models.DateField(db_index=True)
    # None until the ticket is taken: a form filled at home takes it at check-in, a 대리인's
    # filing when the 위임자 signs.
    ticket_number = models.PositiveIntegerField("번호표 (ticket)", null=True, blank=True)
    # When a form filled at home was sent (its submitted_at is the check-in, where the wait starts).
    prepared_at = models.DateTimeField("집에서 작성 (prepared at home)", null=True, blank=True)

    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    called_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    called_counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_note = models.TextField(blank=True)
    # Field keys an officer asked the resident to fix; empty unless status is CORRECTION.
    correction_fields = models.JSONField(default=list, blank=True)

    # 처리예정일: computed at 접수 from the version's processing period, moved
    # by 보완 pauses (intake/deadlines.py). Null when the form sets no period.
    due_at = models.DateTimeField("처리예정일 (due)", null=True, blank=True, db_index=True)
    # 수수료 owed, fixed at 접수 from the version's fee (intake/fees.py); null: no fee set.
    fee_due = models.PositiveIntegerField("수수료 (fee due, KRW)", null=True, blank=True)

    # Fixed when the submission completes so later template edits never
    # rewrite history; kept when personal data is purged.
    paper_sheets_saved = models.PositiveSmallIntegerField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    # Optional number for queue alerts, encrypted like every personal value,
    # and the alert stages already sent (each at most once).
    alert_phone = models.TextField(blank=True)
    alerts_sent = models.JSONField(default=list, blank=True)
    # When the resident agreed to alerts (the consent the 개인정보 보호법 asks to be able to show).
    alert_consent_at = models.DateTimeField(null=True, blank=True)
    # The language the resident filled the form in: the officer's queue shows it,
    # so the counter can switch the resident's screen (the mirror) to it.
    language = models.CharField("언어 (language)", max_length=8, blank=True, default="")

    # What the manager report groups and ranks, kept by the database on every
    # write: wait (submit → last call) and handling (call → completion) in
    # whole seconds, and the weekday and hour residents arrived in Korea.
    wait_seconds = models.GeneratedField(
        expression=WholeSecondsBetween("called_at", "submitted_at"), output_field=models.IntegerField(), db_persist=True
    )
    handle_seconds = models.GeneratedField(
        # A rejection also stamps completed_at; only real completions count as handling.
        expression=models.Case(
            models.When(status=Status.COMPLETED, then=WholeSecondsBetween("completed_at", "called_at")),
            output_field=models.IntegerField(),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    submitted_weekday = models.GeneratedField(
        expression=LocalPart("submitted_at", "weekday"), output_field=models.SmallIntegerField(), db_persist=True
    )
    submitted_hour = models.GeneratedField(
        expression=LocalPart("submitted_at", "hour"), output_field=models.SmallIntegerField(), db_persist=True
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "service_date", "ticket_number"], name="unique_ticket_per_day"),
        ]
        indexes = [
            models.Index(fields=["office", "status", "submitted_at"]),
            models.Index(fields=["office", "completed_at"]),
            # Covers every column the manager report reads (PostgreSQL), so
            # it never touches the wide rows holding the residents' data.
            models.Index(
                fields=["office", "service_date"],
                include=[
                    "form_version",
                    "status",
                    "paper_sheets_saved",
                    "wait_seconds",
                    "handle_seconds",
                    "submitted_weekday",
                    "submitted_hour",
                    "ticket_number",
                    "channel",
                ],
                name="submission_report",
            ),
        ]
        verbose_name = "민원 신청 (submission)"
        verbose_name_plural = "민원 신청 (submissions)"

    def __str__(self) -> str:
        if self.ticket_number is None:
            return f"{self.reference} (방문 전)" if self.status == self.Status.PRE_ARRIVAL else self.reference
        return f"{self.reference} ({self.ticket_number}번)"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def ticket_only(self) -> bool:
        """A ticket without a form (intake/tickets.py): no fields to show, check or export."""
        return self.channel == self.Channel.TICKET


class SubmissionEvent(models.Model):
    """Every state change, with who and when: the audit trail of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_status or '-'} → {self.to_status}"


class TicketSequence(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE)
    service_date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "service_date"], name="unique_ticket_sequence")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.service_date}: {self.last_number}"


# Records of a 민원's life beyond the visit (보완 pauses, fees, periodic jobs).
from .day_models import ClockPause as ClockPause  # noqa: E402
from .day_models import FeeRecord as FeeRecord  # noqa: E402
from .day_models import JobRun as JobRun  # noqa: E402
from .delegation_models import Delegation as Delegation  # noqa: E402

# Counter tablets and lobby kiosks residents without a phone fill forms on.
from .kiosk_models import KioskDevice as KioskDevice  # noqa: E402

# After the visit: the alerts sent and the resident's rating.
from .visit_models import AlertMessage as AlertMessage  # noqa: E402
from .visit_models import Rating as Rating  # noqa: E402
