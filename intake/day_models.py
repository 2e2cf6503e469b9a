"""What a 민원's life beyond the counter visit records: 보완 pauses of the
processing clock, the fee paid or waived, and each run of a periodic job."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Submission


class ClockPause(models.Model):
    """A stretch during which the processing clock stood still (a 보완 request until the fix)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=16, default="correction")

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = "처리기간 정지 (clock pause)"
        verbose_name_plural = "처리기간 정지 (clock pauses)"

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.started_at:%Y-%m-%d %H:%M} → {self.ended_at or '…'}"


class FeeRecord(models.Model):
    """How the fee of one submission was settled: paid (and how), or waived (and why)."""

    class Outcome(models.TextChoices):
        PAID = "paid", "수납 (paid)"
        WAIVED = "waived", "감면 (waived)"

    class Method(models.TextChoices):
        CASH = "cash", "현금 (cash)"
        CARD = "card", "카드 (card)"
        OTHER = "other", "기타 (other)"
        # A payment gateway, when one is connected, records its payments as this method.
        GATEWAY = "gateway", "전자결제 (payment gateway)"

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="fee_record")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    amount = models.PositiveIntegerField("금액 (amount, KRW)")
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    exemption_code = models.CharField(max_length=40, blank=True)
    exemption_label = models.CharField(max_length=200, blank=True)
    evidence_note = models.CharField("증빙 (evidence seen)", max_length=200, blank=True)
    # The gateway's own transaction id, for reconciliation (empty at the counter).
    gateway_reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "수수료 (fee record)"
        verbose_name_plural = "수수료 (fee records)"

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.outcome} {self.amount}원"


class JobRun(models.Model):
    """One run of a periodic job for one due time. The unique pair is the lock:
    of several workers, the one whose insert wins runs the job; the others skip it."""

    job = models.CharField(max_length=80)
    due_at = models.DateTimeField()
    worker = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_at", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_job_and_due_time")]
        verbose_name = "정기 작업 실행 (job run)"
        verbose_name_plural = "정기 작업 실행 (job runs)"

    def __str__(self) -> str:
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M}"
