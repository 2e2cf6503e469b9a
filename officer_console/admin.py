from django.contrib import admin

from . import form_preview  # noqa: F401  registers FormVersion's admin with its previews
from .api import admin as api_admin  # noqa: F401  registers service accounts, tokens and webhooks
from .models import AccessLog, Membership
from .reports import admin as report_admin  # noqa: F401  registers the report factor sets


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role")
    list_filter = ("role", "office")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip", "action", "subject_reference", "reason")
    list_filter = ("action",)
    search_fields = ("username", "subject_reference")

    # Append-only, for every role including superusers.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
