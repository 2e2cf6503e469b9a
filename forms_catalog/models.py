from typing import Any

from django.db import models
from django.utils import timezone


class VersionFrozen(Exception):
    """A published or retired version's fields were about to change."""

    code = "version_frozen"
    message = "게시되었거나 폐지된 버전은 고칠 수 없습니다. '새 초안 만들기'로 다음 버전을 만들어 고쳐 주세요."

    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"{self.message} ({', '.join(fields)})")
        self.fields = fields


class FormTemplate(models.Model):
    """An official 민원 form, e.g. 주민등록표 등본·초본 교부 신청서.

    The fields live in FormVersion.schema so that a published version is
    frozen: submissions keep validating and rendering against the exact
    version they were made with.
    """

    code = models.SlugField("서식 코드 (code)", max_length=64, unique=True)
    title = models.CharField("서식명 (title)", max_length=200)
    title_en = models.CharField("영문 서식명 (English title)", max_length=200, blank=True)
    category = models.CharField("분류 (category)", max_length=100, blank=True)
    legal_basis = models.CharField("근거 법령 (legal basis)", max_length=300, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        "보존기간(년) (retention, years)", default=5, help_text="0 = 영구 (permanent)"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = "서식 (form template)"
        verbose_name_plural = "서식 (form templates)"

    def __str__(self) -> str:
        return self.title

    def published_version(self) -> "FormVersion | None":
        return self.versions.filter(status=FormVersion.Status.PUBLISHED).order_by("-number").first()


class FormVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "초안 (draft)"
        PUBLISHED = "published", "게시 (published)"
        RETIRED = "retired", "폐지 (retired)"

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("버전 (version)")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    schema = models.JSONField("필드 정의 (schema)", default=dict)
    paper_sheets = models.PositiveSmallIntegerField(
        "종이 매수 (paper sheets)",
        default=1,
        help_text="종이 민원에서 쓰던 매수: 쪽수 × 부수, 위임장·접수증 포함 (pages × copies, incl. 위임장 and 접수증)",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # What a published version promises never to change: submissions and
    # drafts made with it validate and render against exactly this.
    FROZEN_FIELDS = ("schema", "number", "template_id")

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="unique_form_version_number"),
            # Residents always get one answer to "which version do I fill?".
            models.UniqueConstraint(
                fields=["template"], condition=models.Q(status="published"), name="one_published_version_per_form"
            ),
        ]
        verbose_name = "서식 버전 (form version)"
        verbose_name_plural = "서식 버전 (form versions)"

    def __str__(self) -> str:
        return f"{self.template.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Checked against the stored row, not this instance's status, so a
        # stale or hand-built instance cannot unfreeze a published version.
        if self.pk is not None:
            stored = FormVersion.objects.filter(pk=self.pk).values("status", *self.FROZEN_FIELDS).first()
            if stored is not None and stored["status"] != self.Status.DRAFT:
                changed = [name for name in self.FROZEN_FIELDS if stored[name] != getattr(self, name)]
                if changed:
                    raise VersionFrozen(changed)
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT
