"""서식 관리자 (form admin) in the Django admin: templates, versions, diff, publish.

A version's fields are edited as JSON, checked on save with Korean messages
that name the exact spot (schema.sections[1].fields[0].type: …). Published
versions are read-only: "새 초안" copies one into the next draft. The phone
and PDF previews need intake and pdfgen, which this app never imports: the
staff side adds them (officer_console.form_preview).
"""

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from project import parsing

from . import packs, services
from . import schema as form_schema
from .models import FieldRow, FormTemplate, FormVersion, Service


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ("number", "status", "paper_sheets", "published_at", "edit_link")
    readonly_fields = ("number", "status", "published_at", "edit_link")
    show_change_link = True
    can_delete = False

    @admin.display(description="편집")
    def edit_link(self, obj: FormVersion) -> str:
        if not obj.pk:
            return ""
        url = reverse("admin:forms_catalog_formversion_change", args=[obj.pk])
        return format_html('<a href="{}">필드 편집·미리보기</a>', url)


class PackUploadForm(forms.Form):
    pack = forms.FileField(label="서식 팩 파일 (.json)")
    check_only = forms.BooleanField(label="검사만 하기 (아무것도 저장하지 않음)", required=False)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """업무 구분: forms belong to one; the office's managers give counters theirs (창구별 담당 업무)."""

    list_display = ("name", "code", "name_en", "order", "form_count")
    list_editable = ("order",)
    search_fields = ("name", "code", "name_en")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return super().get_queryset(request).annotate(form_count=models.Count("templates"))

    @admin.display(description="서식 수", ordering="form_count")
    def form_count(self, obj: Service) -> int:
        return getattr(obj, "form_count", 0)


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "category", "service", "retention_label", "published_number")
    list_filter = ("service", "category")
    list_select_related = ("service",)
    search_fields = ("title", "code", "category")
    inlines = [FormVersionInline]
    actions = ["export_all_versions", "export_published"]
    change_list_template = "admin/forms_catalog/formtemplate/change_list.html"

    def _export(self, queryset: QuerySet[FormTemplate], published_only: bool) -> HttpResponse:
        pack = packs.export_pack(queryset.order_by("code"), published_only=published_only)
        response = HttpResponse(packs.dump_pack(pack), content_type="application/json; charset=utf-8")
        suffix = "published" if published_only else "all"
        response["Content-Disposition"] = f'attachment; filename="form-pack-{suffix}.json"'
        return response

    @admin.action(description="서식 팩으로 내보내기: 모든 버전")
    def export_all_versions(self, request: HttpRequest, queryset: QuerySet[FormTemplate]) -> HttpResponse:
        return self._export(queryset, published_only=False)

    @admin.action(description="서식 팩으로 내보내기: 게시 버전만")
    def export_published(self, request: HttpRequest, queryset: QuerySet[FormTemplate]) -> HttpResponse:
        return self._export(queryset, published_only=True)

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="forms_catalog_formtemplate_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a pack: every problem is listed with its path; nothing is written unless all is well."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PackUploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                pack = json.loads(form.cleaned_data["pack"].read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems = [f"JSON 형식이 아닙니다. 내보내기로 만든 파일인지 확인해 주세요. ({exc})"]
            else:
                if form.cleaned_data["check_only"]:
                    problems = packs.validate_pack(pack)
                    if not problems:
                        messages.success(request, "문제없는 서식 팩입니다.")
                else:
                    try:
                        report = packs.import_pack(pack)
                    except packs.PackError as exc:
                        problems = exc.problems
                    else:
                        messages.success(
                            request, "서식 팩을 가져왔습니다." if report.changed else "바뀐 것이 없습니다."
                        )
        return TemplateResponse(
            request,
            "admin/forms_catalog/formtemplate/import.html",
            {
                **self.admin_site.each_context(request),
                "title": "서식 팩 가져오기",
                "form": form,
                "problems": problems,
                "report": report,
                "opts": self.model._meta,
            },
        )

    @admin.display(description="보존기간")
    def retention_label(self, obj: FormTemplate) -> str:
        return f"{obj.retention_years}년" if obj.retention_years else "영구"

    @admin.display(description="게시 버전")
    def published_number(self, obj: FormTemplate) -> str:
        version = obj.published_version()
        return f"v{version.number}" if version else "-"


class SchemaField(forms.CharField):
    """The schema as indented JSON, with Korean errors for bad JSON and bad schemas."""

    widget = forms.Textarea(attrs={"rows": 30, "cols": 100, "class": "schema-editor", "spellcheck": "false"})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value or {"sections": []}, ensure_ascii=False, indent=2)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        try:
            schema = json.loads(text or "{}")
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"JSON 문법 오류: {exc.lineno}번째 줄 {exc.colno}번째 글자 ({exc.msg}). "
                '쉼표(,)·따옴표(")·괄호가 맞는지 확인해 주세요.'
            ) from None
        problems = form_schema.check_schema(schema)
        if problems:
            raise forms.ValidationError([forms.ValidationError(p) for p in problems])
        return schema


class FormVersionForm(forms.ModelForm):
    schema = SchemaField(
        label="필드 정의 (JSON)",
        help_text="형식은 docs/FORM_PACKS.md를 보세요. 저장할 때 검사하고, 고칠 곳을 위치와 함께 알려 줍니다.",
    )

    class Meta:
        model = FormVersion
        fields = ("template", "number", "paper_sheets", "schema")


class FieldRowInline(admin.TabularInline):
    """A draft's fields as ordered rows; saving the draft compiles them into its schema."""

    model = FieldRow
    extra = 1
    ordering = ("order", "pk")
    fields = (
        "order",
        "section",
        "section_title",
        "key",
        "type",
        "label",
        "label_en",
        "required",
        "help",
        "max_length",
        "choices",
        "semantic",
        "show_if",
        "options",
    )
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})},
        models.JSONField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})},
    }


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    form = FormVersionForm
    list_display = ("template", "number", "status", "paper_sheets", "published_at")
    list_filter = ("status", "template__category")
    search_fields = ("template__title", "template__code")
    actions = ["publish_selected", "retire_selected", "new_draft_selected"]
    inlines = [FieldRowInline]
    change_form_template = "admin/forms_catalog/formversion/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: FormVersion | None = None) -> tuple[str, ...]:
        base = ("status", "published_at", "retired_at")
        if obj is not None and obj.is_frozen:
            # Published: the fields are frozen; only the sheet count may be corrected.
            return (*base, "template", "number", "schema_readonly")
        if obj is not None:
            return (*base, "template", "number")
        return base

    def get_fields(self, request: HttpRequest, obj: FormVersion | None = None) -> list[Any]:
        if obj is not None and obj.is_frozen:
            return ["template", "number", "status", "published_at", "retired_at", "paper_sheets", "schema_readonly"]
        return ["template", "number", "status", "paper_sheets", "schema"]

    @admin.display(description="필드 정의 — 게시된 버전은 고칠 수 없습니다")
    def schema_readonly(self, obj: FormVersion) -> str:
        return format_html(
            "<pre class='schema-readonly'>{}</pre>", json.dumps(obj.schema, ensure_ascii=False, indent=2)
        )

    def get_inline_instances(self, request: HttpRequest, obj: FormVersion | None = None) -> list[Any]:
        # Rows are for editing drafts; a published version has nothing to edit.
        if obj is None or obj.is_frozen:
            return []
        return super().get_inline_instances(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        version = form.instance
        if version.is_frozen:
            return
        if "schema" in form.changed_data or not version.field_rows.exists():
            # The JSON editor was used (or there are no rows yet): it wins, rows follow it.
            services.rows_from_schema(version)
            return
        try:
            services.save_rows(version)
        except services.InvalidSchema as exc:
            messages.error(request, "항목 표에 고칠 곳이 있어 필드 정의는 바꾸지 않았습니다. 표는 저장했습니다.")
            for problem in exc.problems:
                messages.error(request, problem)
        else:
            services.rows_from_schema(version)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        template_id = parsing.object_id(initial.get("template"))
        if template_id is not None:
            numbers = FormVersion.objects.filter(template_id=template_id).values_list("number", flat=True)
            initial["number"] = max(numbers, default=0) + 1
        return initial

    def has_delete_permission(self, request: HttpRequest, obj: FormVersion | None = None) -> bool:
        # Only an unused draft may go; a published version is history.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_frozen)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FormVersion]) -> None:
        frozen = queryset.exclude(status=FormVersion.Status.DRAFT)
        if frozen.exists():
            raise PermissionDenied("게시되었거나 폐지된 버전은 지울 수 없습니다.")
        super().delete_queryset(request, queryset)

    # --- actions ------------------------------------------------------------
    def _each(self, request: HttpRequest, queryset: QuerySet[FormVersion], operation: Any, done: str) -> None:
        for version in queryset.select_related("template"):
            try:
                result = operation(version)
            except (services.CatalogError, services.VersionFrozen) as exc:
                messages.error(request, f"{version}: {exc}")
            else:
                messages.success(request, f"{result}: {done}")

    @admin.action(description="게시하기 (이전 게시 버전은 폐지)")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[FormVersion]) -> None:
        self._each(request, queryset, services.publish_version, "게시했습니다")

    @admin.action(description="폐지하기")
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[FormVersion]) -> None:
        self._each(request, queryset, services.retire_version, "폐지했습니다")

    @admin.action(description="새 초안 만들기 (이 버전을 복사)")
    def new_draft_selected(self, request: HttpRequest, queryset: QuerySet[FormVersion]) -> None:
        self._each(request, queryset, services.new_draft_from, "새 초안을 만들었습니다")

    # --- diff, publish ----------------------------------------------------------
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/diff/", wrap(self.diff_view), name="forms_catalog_formversion_diff"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="forms_catalog_formversion_publish"),
            path("<int:pk>/new-draft/", wrap(self.new_draft_view), name="forms_catalog_formversion_new_draft"),
            *super().get_urls(),
        ]

    def _version(self, request: HttpRequest, pk: int) -> FormVersion:
        version = get_object_or_404(FormVersion.objects.select_related("template"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The admin answers a bad id itself; it must get that far.
        pk = parsing.object_id(object_id)
        version = FormVersion.objects.filter(pk=pk).select_related("template").first() if pk else None
        extra = dict(extra_context or {})
        if version is not None and not version.is_frozen and not version.field_rows.exists():
            services.rows_from_schema(version)
        if version is not None:
            extra["other_versions"] = version.template.versions.exclude(pk=version.pk).order_by("-number")
        return super().change_view(request, object_id, form_url, extra)

    def diff_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        others = version.template.versions.exclude(pk=version.pk).order_by("-number")
        against_id = parsing.object_id(request.GET.get("against"))
        against = others.filter(pk=against_id).first() if against_id else None
        if against is None:
            against = others.filter(number__lt=version.number).first() or others.first()
        old, new = (against, version) if against and against.number < version.number else (version, against)
        changes = services.diff_versions(old, new) if old is not None and new is not None else []
        return TemplateResponse(
            request,
            "admin/forms_catalog/formversion/diff.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{version.template.title}: 버전 비교",
                "version": version,
                "old": old,
                "new": new,
                "others": others,
                "changes": changes,
                "opts": self.model._meta,
            },
        )

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._version(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, version):
            raise PermissionDenied
        self._each(request, FormVersion.objects.filter(pk=version.pk), services.publish_version, "게시했습니다")
        return redirect("admin:forms_catalog_formversion_change", version.pk)

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """ "새 초안 만들기" on a published or retired version: its copy opens as the next draft."""
        version = self._version(request, pk)
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        try:
            draft = services.new_draft_from(version)
        except services.DraftExists as exc:
            messages.error(request, exc.message)
            existing = version.template.versions.filter(status=FormVersion.Status.DRAFT).first()
            return redirect("admin:forms_catalog_formversion_change", (existing or version).pk)
        messages.success(request, f"새 초안 v{draft.number}를 만들었습니다. v{version.number}의 내용을 복사했습니다.")
        return redirect("admin:forms_catalog_formversion_change", draft.pk)
