"""The API's admin: service accounts, a token's secret shown once, revoking, webhooks and redelivery."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from officer_console.api import tokens
from officer_console.models import ApiToken, ServiceAccount, WebhookDelivery, WebhookEndpoint

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-1"))
    return client


def test_an_account_then_a_token_whose_secret_is_shown_once(admin_client, office):
    admin_client.post(reverse("admin:officer_console_serviceaccount_add"), {"office": office.pk, "name": "새올"})
    account = ServiceAccount.objects.get()
    assert account.user.is_active is False and not account.user.has_usable_password()
    page = admin_client.post(
        reverse("admin:officer_console_apitoken_add"),
        {"account": account.pk, "name": "새올 본청", "scopes": ["read_queue", "read_submission"]},
    )
    token = ApiToken.objects.get()
    raw = page.context["raw"]
    assert raw in page.text and raw.startswith(f"mwk_{token.prefix}_")
    assert token.scopes == ["read_queue", "read_submission"] and token.key_hash == tokens.hash_key(raw)
    change = admin_client.get(reverse("admin:officer_console_apitoken_change", args=[token.pk])).text
    assert raw not in change and token.key_hash not in change
    assert admin_client.get("/api/v1/offices", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_revoking_in_the_admin_refuses_the_next_request(admin_client, office):
    token, raw = tokens.create_token(tokens.create_account(office, "새올"), "t", ["read_queue"])
    admin_client.post(
        reverse("admin:officer_console_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = admin_client.get("/api/v1/offices", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"


def test_a_webhook_must_be_https(admin_client, office, settings):
    settings.WEBHOOK_ALLOW_HTTP_LOCALHOST = False
    url = reverse("admin:officer_console_webhookendpoint_add")
    refused = admin_client.post(
        url, {"office": office.pk, "url": "http://saeol.example.go.kr/h", "events": ["submitted"]}
    )
    assert "HTTPS" in refused.text and not WebhookEndpoint.objects.exists()
    admin_client.post(
        url, {"office": office.pk, "url": "https://saeol.example.go.kr/h", "events": ["submitted"], "active": "on"}
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["submitted"] and endpoint.secret.startswith("whsec_")
    # Kept encrypted; the endpoint's page shows it to copy into the receiving system.
    page = admin_client.get(reverse("admin:officer_console_webhookendpoint_change", args=[endpoint.pk])).text
    assert endpoint.secret in page and endpoint.secret not in endpoint.secret_sealed


def test_the_delivery_log_and_redelivery(admin_client, office, version):
    WebhookEndpoint.objects.create(office=office, url="https://saeol.example.go.kr/h")
    submission = factories.submitted(office, version)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=8)
    listing = admin_client.get(reverse("admin:officer_console_webhookdelivery_changelist")).text
    assert "submitted" in listing
    admin_client.post(
        reverse("admin:officer_console_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.submission) == ("pending", 0, submission)


def test_the_command_makes_a_token_once_and_refuses_unknown_scopes(office):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command(
        "create_api_token", office=office.slug, name="새올 본청", scopes="read_queue,change_status", stdout=out
    )
    raw = out.getvalue().strip()
    token = tokens.authenticate(raw)
    assert token.scopes == ["read_queue", "change_status"] and token.account.office == office
    with pytest.raises(CommandError, match="알 수 없는 권한"):
        call_command("create_api_token", office=office.slug, name="x", scopes="read_everything")
