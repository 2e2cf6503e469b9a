from typing import Any

from django.db import models
from django.template import engines
from django.utils import timezone

from forms_catalog.models import FormVersion
from intake.models import Submission


class ArchivedDocument(models.Model):
    """The archived PDF of a submission, and where its rendering stands."""

    class Status(models.TextChoices):
        PENDING = "pending", "준비 중 (pending)"
        DONE = "done", "완료 (done)"
        FAILED = "failed", "실패 (failed)"

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="archive")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="archive/%Y/%m/", blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    # Which revision of the submission the current file shows; a stale task
    # for an older revision never overwrites a newer file.
    rendered_revision = models.PositiveIntegerField(default=0)
    wanted_revision = models.PositiveIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "보관 PDF (archived PDF)"
        verbose_name_plural = "보관 PDF (archived PDFs)"

    def __str__(self) -> str:
        return f"PDF {self.submission.reference} ({self.status})"


class PdfLayout(models.Model):
    """An admin-supplied archive layout for one form version (Django template).

    Kept here rather than on FormVersion so the catalog stays free of
    rendering concerns. The template usually extends "pdfgen/submission.html"
    and replaces a block such as `sections`; it receives the same context.
    """

    form_version = models.OneToOneField(
        FormVersion, on_delete=models.CASCADE, related_name="pdf_layout", verbose_name="서식 버전 (form version)"
    )
    html = models.TextField(
        "PDF 서식 템플릿 (layout template)",
        help_text='Django 템플릿. 보통 {% extends "pdfgen/submission.html" %} 후 block을 바꿉니다.',
    )
    active = models.BooleanField("사용 (active)", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "PDF 서식 (PDF layout)"
        verbose_name_plural = "PDF 서식 (PDF layouts)"

    def __str__(self) -> str:
        return f"PDF layout of {self.form_version}"

    def compiled(self) -> Any:
        return engines["django"].from_string(self.html)
