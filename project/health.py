"""Health for the proxy and for monitoring: database, channel layer, worker backlog."""

import asyncio
import contextlib
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


async def _layer_roundtrip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer")
    # A message to our own fresh channel proves we can both send and receive.
    channel = await layer.new_channel("health.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "health.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    # The pub/sub layer keeps a channel subscribed until a receive on it is
    # cancelled: cancel one, or every health check leaks a subscription.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), timeout=0.01)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned the wrong message")


def _channel_layer() -> dict[str, Any]:
    layer = get_channel_layer()
    try:
        async_to_sync(_layer_roundtrip)()
        return {"ok": True, "backend": type(layer).__name__}
    except Exception as exc:
        return {"ok": False, "backend": type(layer).__name__, "error": type(exc).__name__}


def _worker() -> dict[str, Any]:
    try:
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return {
            "ok": True,
            "backlog": ready.count(),
            "running": DBTaskResult.objects.filter(status="RUNNING").count(),
            "oldest_waiting_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0,
        }
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "channel_layer": _channel_layer()}
    checks["worker"] = _worker() if checks["database"]["ok"] else {"ok": False, "error": "database unavailable"}
    # The worker backlog is reported, not judged: a long queue is for a human
    # to read, not a reason for the proxy to take the node out.
    healthy = checks["database"]["ok"] and checks["channel_layer"]["ok"]
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
