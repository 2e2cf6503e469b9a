import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from intake import events
from officer_console.console import services

from . import factories, ws

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version])
    return {
        "version": version,
        "office": office,
        "officer": factories.officer(office),
        "submission": factories.submitted(office, version),
    }


async def test_unknown_token_is_refused():
    _, connected, code = await ws.connect("/ws/ticket/not-a-real-token/")
    assert not connected and code == 4404


async def test_ticket_hears_its_own_changes_and_the_office_queue_moving(setup):
    submission = setup["submission"]
    communicator, connected, _ = await ws.connect(f"/ws/ticket/{submission.public_token}/")
    assert connected
    # On every (re)connect: "refresh", so a page that slept catches up.
    assert await communicator.receive_json_from(timeout=5) == {"type": "changed", "revision": 1}

    await database_sync_to_async(services.call)(submission.pk, setup["officer"], None)
    received = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
    assert {"type": "changed", "revision": 2} in received
    # Nothing personal or identifying travels on the resident's socket.
    assert all(set(m) <= {"type", "revision"} for m in received)

    # Someone else in the same office moving changes "n people ahead".
    await database_sync_to_async(factories.submitted)(setup["office"], setup["version"])
    assert (await communicator.receive_json_from(timeout=5))["type"] == "changed"
    await communicator.disconnect()


async def test_other_offices_do_not_reach_the_ticket(setup):
    other = await database_sync_to_async(factories.office)("banpo1-dong", forms=[setup["version"]])
    communicator, _, _ = await ws.connect(f"/ws/ticket/{setup['submission'].public_token}/")
    await communicator.receive_json_from(timeout=5)
    await database_sync_to_async(factories.submitted)(other, setup["version"])
    # Nothing from the other office: the next message is the next one sent to this ticket
    # (the channel layer delivers a consumer's messages in order).
    marker = {"type": "ticket.changed", "revision": 99}
    await get_channel_layer().group_send(events.ticket_group(setup["submission"].public_token), marker)
    assert await communicator.receive_json_from(timeout=5) == {"type": "changed", "revision": 99}
    await communicator.send_json_to({"type": "anything"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "error"
    await communicator.disconnect()
