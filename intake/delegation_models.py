"""A 위임 request: the 위임자 confirms and signs, on their own phone, what a 대리인 filed."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Submission, new_public_token


def default_expiry() -> datetime.datetime:
    # As long as a draft is kept: the proxy and the principal usually settle it the same day.
    return timezone.now() + datetime.timedelta(hours=settings.DRAFT_RETENTION_HOURS)


class Delegation(models.Model):
    """One submission's 위임: how the 위임자 signed it (or that they refused), and the phone they proved."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "서명 요청 (requested)"
        SIGNED = "signed", "서명함 (signed)"
        REFUSED = "refused", "거절함 (refused)"
        REVOKED = "revoked", "철회함 (revoked)"
        EXPIRED = "expired", "기한 지남 (expired)"

    class Method(models.TextChoices):
        COSIGN = "cosign", "위임자 휴대전화 서명 (co-signed)"
        PAPER = "paper", "종이 위임장 사본 (scanned paper)"
        SEAL = "seal", "인감 날인 위임장 (seal)"

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="delegation")
    # The link's secret: whoever holds it acts as the 위임자 for this one submission.
    token = models.CharField(max_length=64, unique=True, default=new_public_token)
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.COSIGN)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_expiry, db_index=True)
    signer_name = models.CharField("서명한 위임자 (signer)", max_length=30, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # refused, revoked or expired
    # The number the one-time code went to, encrypted like every personal value.
    phone = models.TextField(blank=True)
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The one-time code: only its hash, its expiry and the wrong guesses made.
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    # The drawn (or typed) signature, a PNG data URL, encrypted.
    signature = models.TextField(blank=True)

    class Meta:
        verbose_name = "위임 (delegation)"
        verbose_name_plural = "위임 (delegations)"

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED
