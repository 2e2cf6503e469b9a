from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import TemplateSyntaxError
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import tasks
from .models import ArchivedDocument, PdfLayout


@admin.register(ArchivedDocument)
class ArchivedDocumentAdmin(admin.ModelAdmin):
    list_display = ("submission", "status", "size", "attempts", "rendered_at")
    list_filter = ("status",)
    actions = ("retry_render",)
    readonly_fields = (
        "submission",
        "file",
        "sha256",
        "size",
        "rendered_revision",
        "wanted_revision",
        "attempts",
        "last_error",
        "rendered_at",
    )

    @admin.action(description="PDF 다시 만들기")
    def retry_render(self, request: HttpRequest, queryset: QuerySet[ArchivedDocument]) -> None:
        for doc in queryset:
            tasks.retry(doc)
        self.message_user(request, f"{queryset.count()}건을 다시 만들도록 예약했습니다.")


class PdfLayoutForm(forms.ModelForm):
    class Meta:
        model = PdfLayout
        fields = ("form_version", "html", "active")

    def clean_html(self) -> Any:
        html = self.cleaned_data["html"]
        try:
            PdfLayout(html=html).compiled()
        except TemplateSyntaxError as exc:
            # Caught here so a typo never reaches the worker as failed renders.
            raise forms.ValidationError(f"템플릿 문법 오류입니다. 고친 뒤 다시 저장해 주세요: {exc}") from exc
        return html


@admin.register(PdfLayout)
class PdfLayoutAdmin(admin.ModelAdmin):
    form = PdfLayoutForm
    list_display = ("form_version", "active", "updated_at")
    list_filter = ("active",)


class SuperuserTaskResultAdmin(DBTaskResultAdmin):
    """django-tasks' Task Results: the worker's internals (task paths, tracebacks
    with arguments) are for the people who run the server, not for form admins
    or managers whatever model permissions a group hands out. Staff see a
    PDF's state on the archive status page instead."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, SuperuserTaskResultAdmin)
