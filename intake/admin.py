from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from forms_catalog.admin import FormTemplateAdmin
from forms_catalog.models import FormTemplate

from . import kiosk
from .models import AlertMessage, Counter, JobRun, KioskDevice, Office, Rating, Submission
from .office_forms import PROFILE_FIELDS, OfficeProfileForm


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ("number", "name", "services", "qr_token")


class OfficeAdminForm(OfficeProfileForm):
    # Left empty (an older form, a script posting the profile only): the default period.
    pre_arrival_days = forms.IntegerField(
        label=Office._meta.get_field("pre_arrival_days").verbose_name,
        help_text=Office._meta.get_field("pre_arrival_days").help_text,
        required=False,
        min_value=1,
        max_value=14,
    )

    class Meta(OfficeProfileForm.Meta):
        fields = [*PROFILE_FIELDS, "pre_arrival_days"]

    def clean_pre_arrival_days(self) -> int:
        return self.cleaned_data.get("pre_arrival_days") or Office._meta.get_field("pre_arrival_days").default


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeAdminForm
    list_display = ("name", "kind", "slug")
    fields = [*PROFILE_FIELDS, "pre_arrival_days", "logo_upload", "forms"]
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("forms",)
    inlines = [CounterInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    # Personal data is deliberately absent: staff read submissions through the
    # console, where every view is logged.
    list_display = ("reference", "office", "ticket_number", "status", "submitted_at", "paper_sheets_saved")
    list_filter = ("status", "office")
    search_fields = ("reference",)
    fields = (
        "reference",
        "office",
        "form_version",
        "status",
        "ticket_number",
        "submitted_at",
        "completed_at",
        "paper_sheets_saved",
    )
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class OfferedByInline(admin.TabularInline):
    """Which offices offer a form, edited on the form's own admin page."""

    model = Office.forms.through
    extra = 0
    verbose_name = "제공 기관 (office offering this form)"
    verbose_name_plural = "제공 기관 (offices offering this form)"


# The form admin lives in forms_catalog, which must not import intake; the
# offices inline is added from this side of the dependency.
admin.site.unregister(FormTemplate)


@admin.register(FormTemplate)
class FormTemplateWithOfficesAdmin(FormTemplateAdmin):
    inlines = [*FormTemplateAdmin.inlines, OfferedByInline]


class RecordAdmin(admin.ModelAdmin):
    """A log kept by the code: read it here, never add or change a row."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(RecordAdmin):
    """The periodic jobs' log: read it; a row is deleted only to have that run made again."""

    list_display = ("job", "due_at", "worker", "started_at", "finished_at", "counts", "error")
    list_filter = ("job",)
    date_hierarchy = "due_at"


@admin.register(AlertMessage)
class AlertMessageAdmin(RecordAdmin):
    """Every alert sent and how it went: read only (the number masked, the text without the ticket link)."""

    list_display = ("created_at", "submission", "event", "channel", "outcome", "phone_masked", "error")
    list_filter = ("outcome", "channel")
    date_hierarchy = "created_at"
    fields = ("created_at", "submission", "event", "channel", "outcome", "phone_masked", "text", "error")
    readonly_fields = fields


@admin.register(Rating)
class RatingAdmin(RecordAdmin):
    list_display = ("created_at", "submission", "score", "comment")
    list_filter = ("score",)
    fields = ("created_at", "submission", "score", "comment")
    readonly_fields = fields


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    """Counter tablets and lobby kiosks: register one, open its address on it, revoke it.

    Revoking goes through intake.kiosk.revoke_device (an action), never by editing the date."""

    list_display = ("name", "office", "created_at", "revoked_at")
    list_filter = ("office",)
    readonly_fields = ("address", "created_at", "revoked_at")
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: KioskDevice | None = None) -> Any:
        return ["office", "name"] if obj is None else ["office", "name", "address", "created_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: KioskDevice | None = None) -> list[str]:
        # The office is fixed once the address is out: a new office needs a new device.
        return [*self.readonly_fields, "office"] if obj is not None else list(self.readonly_fields)

    @admin.display(description="접수기 주소 (address to open on the device)")
    def address(self, obj: KioskDevice) -> str:
        if obj.pk is None or obj.is_revoked:
            return "-"
        # A path (the admin's own host): the console's 무인 접수기 page shows the full address and its QR.
        path = reverse("intake:kiosk_start", args=[kiosk.device_token(obj)])
        return format_html('<a href="{}" data-kiosk-address>{}</a>', path, path)

    @admin.action(description="선택한 접수기 사용 중지 (revoke)")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for device in queryset:
            try:
                kiosk.revoke_device(device.pk)
            except kiosk.KioskRefused as exc:
                self.message_user(request, f"{device.name}: {exc.message}", messages.WARNING)
