import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from officer_console.console import services
from officer_console.console.routing import websocket_urlpatterns

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user, office_id):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/console/{office_id}/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version])
    other = factories.office("banpo1-dong", forms=[version])
    return {"version": version, "office": office, "other": other, "officer": factories.officer(office)}


async def test_anonymous_and_foreign_officers_are_refused(setup):
    _, connected, code = await _connect(AnonymousUser(), setup["office"].pk)
    assert not connected and code == 4403
    stranger = await database_sync_to_async(factories.officer)(setup["other"], "stranger")
    _, connected, code = await _connect(stranger, setup["office"].pk)
    assert not connected and code == 4403


async def test_snapshot_then_live_submission_events(setup):
    earlier = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    communicator, connected, _ = await _connect(setup["officer"], setup["office"].pk)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    assert [s["ticket"] for s in snapshot["submissions"]] == [earlier.ticket_number]

    fresh = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    event = await communicator.receive_json_from(timeout=5)
    assert event["type"] == "submission"
    assert event["submission"]["id"] == fresh.pk and event["submission"]["ticket"] == 2
    assert "rrn" not in str(event) and "900101" not in str(event)

    # Another office's submission does not come: the next message is this office's next one
    # (the channel layer delivers a consumer's messages in order).
    await database_sync_to_async(factories.submitted)(setup["other"], setup["version"])
    own = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    assert (await communicator.receive_json_from(timeout=5))["submission"]["id"] == own.pk
    await communicator.disconnect()


async def test_events_are_forwarded_without_a_thread_hop_per_message(setup, monkeypatch):
    # Channels' own dispatch runs close_old_connections in a thread before
    # every message; ours does not (database_sync_to_async does it where the
    # database is used), which saves that hop on every event to every console.
    hops = []

    async def counted() -> None:
        hops.append(1)

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    communicator, connected, _ = await _connect(setup["officer"], setup["office"].pk)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "snapshot"
    fresh = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    assert (await communicator.receive_json_from(timeout=5))["submission"]["id"] == fresh.pk
    await communicator.send_json_to({"type": "resync"})
    assert [s["id"] for s in (await communicator.receive_json_from(timeout=5))["submissions"]] == [fresh.pk]
    assert hops == []
    await communicator.disconnect()


async def test_reconnect_resyncs_everything_missed_once_each(setup):
    communicator, _, _ = await _connect(setup["officer"], setup["office"].pk)
    await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()
    missed = [await database_sync_to_async(factories.submitted)(setup["office"], setup["version"]) for _ in range(5)]
    communicator, _, _ = await _connect(setup["officer"], setup["office"].pk)
    snapshot = await communicator.receive_json_from(timeout=5)
    ids = [s["id"] for s in snapshot["submissions"]]
    assert ids == [s.pk for s in missed]
    await communicator.disconnect()


async def test_state_changes_are_pushed_with_a_higher_revision(setup):
    submission = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    communicator, _, _ = await _connect(setup["officer"], setup["office"].pk)
    await communicator.receive_json_from(timeout=5)
    await database_sync_to_async(services.call)(submission.pk, setup["officer"], None)
    event = await communicator.receive_json_from(timeout=5)
    assert event["submission"]["status"] == "called" and event["submission"]["revision"] == 2
    await database_sync_to_async(services.complete)(submission.pk, setup["officer"])
    event = await communicator.receive_json_from(timeout=5)
    assert event["submission"]["open"] is False
    await communicator.disconnect()


async def test_garbage_frames_get_an_error_not_a_crash(setup):
    communicator, _, _ = await _connect(setup["officer"], setup["office"].pk)
    await communicator.receive_json_from(timeout=5)
    await communicator.send_json_to({"type": "nonsense"})
    reply = await communicator.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    await communicator.send_json_to({"type": "resync"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "snapshot"
    await communicator.disconnect()


@pytest.fixture
def core_layer(settings):
    """channels_redis' core layer, whichever layer the run uses by default."""
    if not settings.REDIS_URL:
        pytest.skip("The Redis core layer needs Redis; runs when REDIS_URL is set (CI's second pass).")
    settings.CHANNEL_LAYERS = {"default": settings.REDIS_CHANNEL_LAYERS["core"]}


async def test_an_idle_console_outlives_the_redis_blocking_pop(setup, core_layer):
    # The core layer blocks 5 s per receive (BZPOPMIN); a socket timeout at or
    # under that tore every quiet consumer down (redis-py 8 default).
    communicator, _, _ = await _connect(setup["officer"], setup["office"].pk)
    await communicator.receive_json_from(timeout=5)
    assert await communicator.receive_nothing(timeout=7, interval=0.5)
    fresh = await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    event = await communicator.receive_json_from(timeout=5)
    assert event["submission"]["id"] == fresh.pk
    await communicator.disconnect()
