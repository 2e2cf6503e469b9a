from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import backoffice, terms
from .schema import FormSchema, parse_version


class VersionFrozen(Exception):
    """A published or retired version's fields were about to change."""

    code = "version_frozen"
    message = "게시되었거나 폐지된 버전은 고칠 수 없습니다. '새 초안 만들기'로 다음 버전을 만들어 고쳐 주세요."

    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"{self.message} ({', '.join(fields)})")
        self.fields = fields


class Service(models.Model):
    """An 업무 구분 (line of business), e.g. 주민등록, 가족관계, 상담.

    Forms belong to one; each counter serves a set of them (intake.Counter.services),
    and calling next, the lobby's waits and the wait estimate go by service.
    """

    code = models.SlugField("업무 코드", max_length=32, unique=True)
    name = models.CharField("업무명", max_length=50)
    name_en = models.CharField("영문 업무명", max_length=50, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "업무 구분"
        verbose_name_plural = "업무 구분"

    def __str__(self) -> str:
        return self.name


class FormTemplate(models.Model):
    """An official 민원 form, e.g. 주민등록표 등본·초본 교부 신청서.

    The fields live in FormVersion.schema so that a published version is
    frozen: submissions keep validating and rendering against the exact
    version they were made with.
    """

    code = models.SlugField("서식 코드", max_length=64, unique=True)
    title = models.CharField("서식명", max_length=200)
    title_en = models.CharField("영문 서식명", max_length=200, blank=True)
    category = models.CharField("분류", max_length=100, blank=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="templates", verbose_name="업무 구분"
    )
    legal_basis = models.CharField("근거 법령", max_length=300, blank=True)
    retention_years = models.PositiveSmallIntegerField("보존기간(년)", default=5, help_text="0 = 영구")
    # The back-office system's field codes in its entry order, each with the form field it takes
    # (docs/FORM_PACKS.md): the officer's one-click copy and the day's export follow it. Not
    # frozen with a version: the back office's screens change on their own schedule.
    backoffice_fields = models.JSONField(
        "행정시스템 항목 연결",
        default=list,
        blank=True,
        help_text='예: [{"code": "APPL_NM", "field": "name", "label": "신청인 성명"}] — 새올 입력 화면의 순서대로',
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = "서식"
        verbose_name_plural = "서식"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        problems = backoffice.check(self.backoffice_fields)
        if problems:
            raise ValidationError({"backoffice_fields": problems})

    def published_version(self) -> "FormVersion | None":
        return self.versions.filter(status=FormVersion.Status.PUBLISHED).order_by("-number").first()


class FormVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "초안"
        PUBLISHED = "published", "게시"
        RETIRED = "retired", "폐지"

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name="서식")
    number = models.PositiveIntegerField("버전")
    status = models.CharField("상태", max_length=16, choices=Status.choices, default=Status.DRAFT)
    schema = models.JSONField("필드 정의", default=dict)
    paper_sheets = models.PositiveSmallIntegerField(
        "종이 매수",
        default=1,
        help_text="종이 민원에서 쓰던 매수: 쪽수 × 부수, 위임장·접수증 포함",
    )
    # The legal processing period and the fee (forms_catalog/terms.py), kept
    # beside the schema: they follow the law, not the paper's layout.
    service_terms = models.JSONField(
        "처리기한·수수료 (JSON)",
        default=dict,
        blank=True,
        help_text='예: {"processing": {"unit": "working_days", "amount": 3}, "fee": {"basis": "per_copy", "amount": 400}}',
    )
    published_at = models.DateTimeField("게시 일시", null=True, blank=True)
    retired_at = models.DateTimeField("폐지 일시", null=True, blank=True)
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
        verbose_name = "서식 버전"
        verbose_name_plural = "서식 버전"

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

    def clean(self) -> None:
        super().clean()
        _, problems = terms.check(self.service_terms)
        if problems:
            raise ValidationError({"service_terms": problems})

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def form(self) -> FormSchema:
        """The schema parsed into typed values (forms_catalog.schema), once.

        Kept with the dict it was read from, so assigning a new schema (an
        admin edit, a pack import) parses again; across instances the parse is
        shared per version and content (schema.parse_version). The stored
        dict is replaced, never edited in place.
        """
        memo = self.__dict__.get("_form")
        if memo is None or memo[0] is not self.schema:
            memo = (self.schema, parse_version(self.pk, self.schema))
            self.__dict__["_form"] = memo
        return memo[1]


class FieldRow(models.Model):
    """One field of a draft version, as the admin edits it: a row with an order.

    Rows are a draft's editing surface only. Saving the draft compiles them
    into FormVersion.schema (the single source of truth, what residents,
    submissions and packs use) after the same checks as every schema.
    """

    TYPE_CHOICES = [
        ("text", "짧은 글 (text)"),
        ("textarea", "긴 글 (textarea)"),
        ("number", "숫자 (number)"),
        ("date", "날짜 (date)"),
        ("daterange", "기간 (date range)"),
        ("phone", "전화번호 (phone)"),
        ("email", "전자우편 (e-mail)"),
        ("rrn", "주민등록번호 (RRN)"),
        ("frn", "외국인등록번호 (FRN)"),
        ("brn", "사업자등록번호 (BRN)"),
        ("address", "주소 (address)"),
        ("choice", "하나 고르기 (single choice)"),
        ("multichoice", "여러 개 고르기 (multiple choice)"),
        ("yesno", "예/아니오 (yes/no)"),
        ("consent", "동의 (consent)"),
        ("signature", "서명 (signature)"),
        ("file", "파일 첨부 (file)"),
        ("seal", "도장 사진 (seal)"),
        ("guidance", "안내문 (guidance)"),
    ]

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="field_rows")
    order = models.PositiveIntegerField("순서", default=0)
    section = models.CharField("구역 키", max_length=64, help_text="예: applicant")
    section_title = models.CharField(
        "구역 제목", max_length=200, blank=True, help_text="새 구역의 첫 항목에만 적으면 됩니다."
    )
    key = models.CharField("항목 키", max_length=64)
    type = models.CharField("형식", max_length=16, choices=TYPE_CHOICES, default="text")
    label = models.CharField("이름", max_length=300, blank=True)
    label_en = models.CharField("영문 이름", max_length=300, blank=True)
    required = models.BooleanField("필수", default=False)
    help = models.TextField("도움말", blank=True)
    max_length = models.PositiveIntegerField("최대 글자 수", null=True, blank=True)
    choices = models.TextField("선택지", blank=True, help_text="한 줄에 하나: 값=이름, 예: self=본인")
    semantic = models.CharField("공유 키", max_length=100, blank=True, help_text="예: applicant.name")
    show_if = models.CharField(
        "표시 조건",
        max_length=300,
        blank=True,
        help_text="항목키=값 또는 항목키=값1|값2, 예: applicant_type=proxy",
    )
    options = models.JSONField(
        "그 밖의 설정 (JSON)",
        default=dict,
        blank=True,
        help_text='예: {"min": 1, "max": 10} 또는 {"accept": ["image/jpeg"], "max_size_mb": 5}',
    )

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = "항목"
        verbose_name_plural = "항목 — 저장하면 필드 정의로 바뀝니다"

    def __str__(self) -> str:
        return f"{self.section}.{self.key}"
