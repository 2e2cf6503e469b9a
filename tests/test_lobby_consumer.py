import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from officer_console import services

from . import factories, ws

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    return {"version": version, "office": office, "officer": factories.officer(office)}


async def test_lobby_is_for_the_offices_own_staff(setup):
    _, connected, code = await ws.connect(f"/ws/lobby/{setup['office'].pk}/", AnonymousUser())
    assert not connected and code == 4403
    other = await database_sync_to_async(factories.office)("banpo1-dong")
    stranger = await database_sync_to_async(factories.officer)(other, "stranger")
    _, connected, code = await ws.connect(f"/ws/lobby/{setup['office'].pk}/", stranger)
    assert not connected and code == 4403


async def test_lobby_shows_recent_calls_then_new_calls_and_recalls(setup):
    office, officer = setup["office"], setup["officer"]
    counter3 = await database_sync_to_async(office.counters.get)(number=3)
    earlier = await database_sync_to_async(factories.submitted)(office, setup["version"])
    await database_sync_to_async(services.call)(earlier.pk, officer, counter3)

    communicator, connected, _ = await ws.connect(f"/ws/lobby/{office.pk}/", officer)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "calls"
    assert [(c["ticket"], c["counter"]) for c in snapshot["calls"]] == [(earlier.ticket_number, 3)]

    # A new submission is not a call: the lobby stays quiet.
    waiting = await database_sync_to_async(factories.submitted)(office, setup["version"])
    assert await communicator.receive_nothing(timeout=0.3)

    await database_sync_to_async(services.call)(waiting.pk, officer, counter3)
    event = await communicator.receive_json_from(timeout=5)
    assert event["type"] == "call" and (event["call"]["ticket"], event["call"]["counter"]) == (2, 3)
    assert set(event["call"]) == {"id", "revision", "ticket", "counter", "called_at"}

    await database_sync_to_async(services.recall)(earlier.pk, officer, None)
    event = await communicator.receive_json_from(timeout=5)
    assert event["call"]["ticket"] == earlier.ticket_number and event["call"]["revision"] == 3
    await communicator.disconnect()
