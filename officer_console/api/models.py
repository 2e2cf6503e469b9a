"""Service accounts, their scoped tokens, and webhook endpoints with their delivery log.

A back-office system (새올 and the like) gets a service account per office:
its tokens read and act on that office only. A token is stored as the
SHA-256 of its secret, never the secret itself, with a short visible prefix
so an admin can tell tokens apart. Status changes made through the API
are made as the account's own user (inactive, no password), so the
lifecycle's history names who did them like any staff move.
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake import crypto
from intake.models import Office, Submission


class Scope(models.TextChoices):
    READ_QUEUE = "read_queue", "대기열·목록 읽기 (read queue)"
    READ_SUBMISSION = "read_submission", "신청 내용 읽기, 마스킹 (read submission data, masked)"
    READ_PERSONAL = "read_personal", "개인정보 전체 읽기 (read personal data)"
    CHANGE_STATUS = "change_status", "상태 변경 (change status)"
    DOWNLOAD_ARCHIVE = "download_archive", "보관 PDF 내려받기 (download archive)"


def _default_scopes() -> list[str]:
    # Least privilege: personal data, status changes and the archive are granted by choice.
    return [Scope.READ_QUEUE.value, Scope.READ_SUBMISSION.value]


class ServiceAccount(models.Model):
    """One back-office system's access to one office."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="service_accounts")
    name = models.CharField("이름 (name)", max_length=100, help_text="예: 새올 연계")
    # The actor of its status changes; inactive and without a password, so it never logs in.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_account")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "API 서비스 계정 (service account)"
        verbose_name_plural = "API 서비스 계정 (service accounts)"

    def __str__(self) -> str:
        return f"{self.name} @ {self.office.name}"


class ApiToken(models.Model):
    account = models.ForeignKey(ServiceAccount, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(
        "토큰 이름 (name)", max_length=100, help_text="접근 기록에 이 이름이 남습니다 (the access log names it)"
    )
    prefix = models.CharField("앞자리 (prefix)", max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField("권한 (scopes)", default=_default_scopes)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("폐기 (revoked)", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API 토큰 (API token)"
        verbose_name_plural = "API 토큰 (API tokens)"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def actor_name(self) -> str:
        """How the access log and the history name this token."""
        return f"api:{self.name}"[:150]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class Event(models.TextChoices):
    SUBMITTED = "submitted", "접수 (submitted)"
    CALLED = "called", "호출 (called)"
    COMPLETED = "completed", "처리 완료 (completed)"
    REJECTED = "rejected", "반려 (rejected)"
    CORRECTED = "corrected", "보완 제출 (corrected)"
    WITHDRAWN = "withdrawn", "취하 (withdrawn)"


def new_webhook_secret() -> str:
    # Standard Webhooks' format: "whsec_" and the base64 of the key.
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def new_sealed_webhook_secret() -> str:
    """A new signing secret, encrypted at rest like personal data (intake.crypto): a copy of
    the database alone must not let anyone forge the office's webhooks."""
    return crypto.encrypt_json({"secret": new_webhook_secret()})


def _all_events() -> list[str]:
    return [e.value for e in Event]


class WebhookEndpoint(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField("받는 주소 (HTTPS URL)", max_length=500)
    secret_sealed = models.TextField(
        "서명 비밀값, 암호화 (signing secret, encrypted)", default=new_sealed_webhook_secret
    )
    events = models.JSONField("이벤트 (events)", default=_all_events)
    active = models.BooleanField("사용 (active)", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "웹훅 (webhook endpoint)"
        verbose_name_plural = "웹훅 (webhook endpoints)"

    def __str__(self) -> str:
        return f"{self.url} ({self.office.name})"

    @property
    def secret(self) -> str:
        """The signing secret ("whsec_…"), for signing and for the admin to copy to the receiver."""
        return str(crypto.decrypt_json(self.secret_sealed)["secret"])


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, fixed when the event happened, and every try."""

    class Status(models.TextChoices):
        PENDING = "pending", "대기 (pending)"
        DELIVERED = "delivered", "전달됨 (delivered)"
        FAILED = "failed", "실패 (failed)"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    submission = models.ForeignKey(Submission, null=True, on_delete=models.SET_NULL, related_name="+")
    # The webhook-id header: the same on every retry, so receivers drop duplicates.
    message_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=16, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "웹훅 전달 기록 (webhook delivery)"
        verbose_name_plural = "웹훅 전달 기록 (webhook deliveries)"

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint.url} ({self.status})"
