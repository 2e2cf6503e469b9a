from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models import Office, Submission

from .report_models import EquivalenceFactorSet as EquivalenceFactorSet  # report factors live in their own module


class Membership(models.Model):
    """Which offices a staff account works for, and as what."""

    class Role(models.TextChoices):
        OFFICER = "officer", "담당 공무원 (officer)"
        MANAGER = "manager", "관리자 (manager)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="unique_membership")]
        verbose_name = "소속 (membership)"
        verbose_name_plural = "소속 (memberships)"

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.role})"


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
