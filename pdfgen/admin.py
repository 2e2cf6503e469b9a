from django.contrib import admin

from .models import ArchivedDocument


@admin.register(ArchivedDocument)
class ArchivedDocumentAdmin(admin.ModelAdmin):
    list_display = ("submission", "status", "size", "attempts", "rendered_at")
    list_filter = ("status",)
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
