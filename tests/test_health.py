import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from . import factories


@pytest.mark.django_db(transaction=True)
def test_health_reports_database_layer_and_worker_backlog(client):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.submitted(office, version)  # queues one PDF task
    body = client.get(reverse("health")).json()
    assert body["ok"] is True
    assert body["database"]["ok"] and body["channel_layer"]["ok"]
    assert body["worker"]["backlog"] == DBTaskResult.objects.filter(status="READY").count() == 1
    assert body["worker"]["oldest_waiting_seconds"] >= 0


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_the_channel_layer_is_down(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get(reverse("health"))
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["channel_layer"] == {"ok": False, "backend": "RedisChannelLayer", "error": "ConnectionError"}
