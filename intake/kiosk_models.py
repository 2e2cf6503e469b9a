"""A counter tablet or lobby kiosk that residents without a phone fill forms on."""

from django.db import models
from django.utils import timezone

from .models import Office


class KioskDevice(models.Model):
    """One registered device: its address is signed per device (intake/kiosk.py) and stops
    working the moment it is revoked, whoever kept a copy of it."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="kiosk_devices", verbose_name="기관 (office)"
    )
    name = models.CharField(
        "이름 (name)", max_length=100, help_text="예: 1층 로비 접수기 (e.g. lobby kiosk, 1st floor)"
    )
    created_at = models.DateTimeField("등록 시각 (registered at)", default=timezone.now)
    revoked_at = models.DateTimeField("사용 중지 시각 (revoked at)", null=True, blank=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = "무인 접수기 (kiosk device)"
        verbose_name_plural = "무인 접수기 (kiosk devices)"

    def __str__(self) -> str:
        return f"{self.office} · {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
