from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import TemplateSyntaxError

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

    @admin.action(description="PDF 다시 만들기 (queue the render again)")
    def retry_render(self, request: HttpRequest, queryset: QuerySet[ArchivedDocument]) -> None:
        for doc in queryset:
            tasks.retry(doc)
        self.message_user(request, f"{queryset.count()}건을 다시 만들도록 예약했습니다. (queued)")


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
