"""The admin of the API: service accounts, tokens (the secret shown once), webhooks and their log."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from . import tokens, webhooks
from .models import ApiToken, Event, Scope, ServiceAccount, WebhookDelivery, WebhookEndpoint


class ServiceAccountForm(forms.ModelForm):
    class Meta:
        model = ServiceAccount
        fields = ["office", "name"]


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    form = ServiceAccountForm
    list_display = ("name", "office", "created_at")
    list_filter = ("office",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("office",) if obj else ()

    def save_model(self, request: HttpRequest, obj: ServiceAccount, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = tokens.create_account(obj.office, obj.name)
        obj.pk, obj.user_id, obj.created_at = created.pk, created.user_id, created.created_at


class TokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="권한 (scopes)", choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiToken
        fields = ["account", "name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = TokenForm
    list_display = ("name", "prefix", "account", "scope_list", "created_at", "last_used_at", "revoked_at")
    list_filter = ("account__office", ("revoked_at", admin.EmptyFieldListFilter))
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    @admin.display(description="권한 (scopes)")
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "account") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = tokens.create_token(obj.account, obj.name, form.cleaned_data["scopes"])
        obj.pk = token.pk
        request._new_api_token = raw  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None) -> HttpResponse:
        # The secret exists only in this response: shown once, never stored, never put in a message.
        raw = getattr(request, "_new_api_token", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "token": obj, "raw": raw, "opts": self.opts}
        return TemplateResponse(request, "officer_console/admin/api_token_created.html", context)

    @admin.action(description="선택한 토큰 폐기 (revoke)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            tokens.revoke(token)
        messages.success(request, f"{queryset.count()}개 토큰을 폐기했습니다. 다음 요청부터 거절됩니다.")


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label="이벤트 (events)", choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    url = forms.URLField(label="받는 주소 (HTTPS URL)", max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookEndpoint
        fields = ["office", "url", "events", "active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not webhooks.url_allowed(url):
            raise forms.ValidationError("https:// 로 시작하는 주소만 쓸 수 있습니다. (HTTPS only.)")
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("url", "office", "active", "created_at")
    list_filter = ("office", "active")
    readonly_fields = ("signing_secret",)

    @admin.display(description="서명 비밀값 (signing secret)")
    def signing_secret(self, endpoint: WebhookEndpoint) -> str:
        # Stored encrypted; shown here so the admin can give it to the receiving system.
        return endpoint.secret if endpoint.pk else "저장하면 만들어집니다. (Made on save.)"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("status", "event", "endpoint__office")
    search_fields = ("message_id", "submission__reference")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.method == "GET" or obj is None  # view only; the action sends again

    @admin.action(description="다시 보내기 (redeliver)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = webhooks.redeliver(queryset)
        messages.success(request, f"{count}건을 다시 보내도록 예약했습니다 ({timezone.localtime():%H:%M}).")
