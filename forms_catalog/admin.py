from django.contrib import admin

from .models import FormTemplate, FormVersion


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ("number", "status", "paper_sheets", "published_at")
    readonly_fields = ("published_at",)


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "category", "retention_years")
    search_fields = ("title", "code")
    inlines = [FormVersionInline]


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ("template", "number", "status", "paper_sheets", "published_at")
    list_filter = ("status",)
