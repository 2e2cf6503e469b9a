import datetime

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import Counter, Draft, Office, Submission

# The API's service accounts, tokens and webhooks live in their own module (officer_console/api).
from .api.models import ApiToken as ApiToken
from .api.models import ServiceAccount as ServiceAccount
from .api.models import WebhookDelivery as WebhookDelivery
from .api.models import WebhookEndpoint as WebhookEndpoint
from .reports.models import EquivalenceFactorSet as EquivalenceFactorSet  # report factors live in their own module


class Membership(models.Model):
    """Which offices a staff account works for, and as what.

    An officer sees and handles the office's submissions (queue, check view,
    unmask, PDF). A manager reads the office's reports and access log, and
    nothing of a resident's personal data by that role alone.
    """

    class Role(models.TextChoices):
        OFFICER = "officer", "담당 공무원 (officer)"
        MANAGER = "manager", "관리자 (manager)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        # Officer and manager are separate rights (least privilege): someone
        # who both manages an office and serves at its counters holds both.
        constraints = [models.UniqueConstraint(fields=["user", "office", "role"], name="unique_membership_role")]
        verbose_name = "소속 (membership)"
        verbose_name_plural = "소속 (memberships)"

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.role})"


# The PostgreSQL trigger (migration 0005) lets a row go only while this
# transaction-local setting names a cutoff later than the row.
PURGE_SETTING = "minwon.access_log_purge_before"


class AccessLogQuerySet(models.QuerySet):
    """Refuses every bulk change: the log is append-only (PostgreSQL also refuses in the database)."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Access log entries cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("Access log entries cannot be deleted; purge_access_log removes expired ones.")

    def purge_before(self, cutoff: datetime.datetime) -> int:
        """Delete the entries older than `cutoff`: the retention purge, the one way entries go."""
        with transaction.atomic(using=self.db):
            self._allow_deletes_before(cutoff.isoformat())
            deleted = int(self.filter(at__lt=cutoff)._raw_delete(self.db))
            # Cleared at once: called inside a longer transaction, the
            # permission must not outlive the purge.
            self._allow_deletes_before("")
        return deleted

    def _allow_deletes_before(self, cutoff: str) -> None:
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, cutoff])


class AccessLog(models.Model):
    """Append-only record of every staff access to personal data (안전성 확보조치 기준)."""

    class Action(models.TextChoices):
        VIEW = "view", "열람 (view)"
        DOWNLOAD = "download", "내려받기 (download)"
        UNMASK = "unmask", "마스킹 해제 (unmask)"
        EXPORT = "export", "내보내기 (export)"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    submission = models.ForeignKey(Submission, null=True, on_delete=models.SET_NULL, related_name="+")
    subject_reference = models.CharField("정보주체 접수번호 (whose data)", max_length=16, blank=True)
    reason = models.TextField(blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = "개인정보 접근 기록 (access log)"
        verbose_name_plural = "개인정보 접근 기록 (access log)"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.subject_reference}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Access log entries cannot be deleted; purge_access_log removes expired ones.")


class PasswordChangeRequired(models.Model):
    """Accounts made with a one-time password must choose their own before anything else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"password change required: {self.user}"


class Review(models.Model):
    """The officer's check of one submission: the ID-checked tick box."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="review")
    id_checked_at = models.DateTimeField(null=True, blank=True)
    id_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "검토 (review)"
        verbose_name_plural = "검토 (reviews)"

    def __str__(self) -> str:
        return f"review of {self.submission_id}"


class FieldEdit(models.Model):
    """One value changed on a filed submission: before, after, who, when.

    An officer's edit at the counter, or the resident's fix answering a
    correction request (`by_resident`, no account). Values of sensitive fields
    are stored encrypted like the submission's own.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="field_edits")
    field_key = models.CharField(max_length=64)
    field_label = models.CharField(max_length=200, blank=True)
    sensitive = models.BooleanField(default=False)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    by_resident = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "값 수정 기록 (value change)"
        verbose_name_plural = "값 수정 기록 (value changes)"

    def __str__(self) -> str:
        return f"{self.submission_id}.{self.field_key} by {self.username}"


class MirrorState(models.Model):
    """What a counter's resident-facing screen shows, so a reconnecting mirror redraws it."""

    counter = models.OneToOneField(Counter, on_delete=models.CASCADE, related_name="mirror")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field_key = models.CharField(max_length=64, blank=True)
    prompt = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"mirror of {self.counter_id}"


class AssistedEntry(models.Model):
    """A form an officer fills in for the resident at the counter (대신 작성), until the resident signs.

    Draft-like, not a submission: the answers live in its own intake Draft
    (encrypted like a phone's, purged with stale drafts), and nothing enters
    the queue, the report or the archive until the resident has reviewed it on
    the counter's mirror and signed there (console/assisted.py). So the
    submission lifecycle needs no "waiting for the resident's signature" state.
    """

    class Status(models.TextChoices):
        FILLING = "filling", _("작성 중")
        SIGNING = "signing", _("민원인 서명 대기")
        SIGNED = "signed", _("서명 완료")
        REFUSED = "refused", _("민원인 거부")
        CANCELLED = "cancelled", _("직원 취소")

    OPEN_STATUSES = (Status.FILLING, Status.SIGNING)

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="assisted_entries")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Its own draft, under a resident key no browser holds, so nothing is ever
    # prefilled from or into another resident's forms.
    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="assisted")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FILLING)
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="assisted_entry"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["counter", "status"])]
        verbose_name = "직원 대신 작성 (assisted entry)"
        verbose_name_plural = "직원 대신 작성 (assisted entries)"

    def __str__(self) -> str:
        return f"assisted entry {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
