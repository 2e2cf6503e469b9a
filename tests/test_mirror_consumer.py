import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser

from officer_console.console import services
from officer_console.console.consumers import MirrorConsumer

from . import factories, ws

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version])
    office.notice = "점심시간 12:00–13:00에도 민원을 받습니다."
    office.save()
    return {
        "office": office,
        "counter": office.counters.first(),
        "officer": factories.officer(office),
        "submission": factories.submitted(office, version),
        "version": version,
    }


async def test_mirror_is_for_the_counters_own_office(setup):
    path = f"/ws/mirror/{setup['counter'].pk}/"
    _, connected, code = await ws.connect(path, AnonymousUser())
    assert not connected and code == 4403
    other = await database_sync_to_async(factories.office)("banpo1-dong")
    stranger = await database_sync_to_async(factories.officer)(other, "stranger")
    _, connected, code = await ws.connect(path, stranger)
    assert not connected and code == 4403
    _, connected, code = await ws.connect("/ws/mirror/999999/", setup["officer"])
    assert not connected and code == 4403


async def test_mirror_follows_the_officer_masked_with_pointer_and_prompts(setup):
    counter, submission = setup["counter"], setup["submission"]
    communicator, connected, _ = await ws.connect(f"/ws/mirror/{counter.pk}/", setup["officer"])
    assert connected
    idle = await communicator.receive_json_from(timeout=5)
    assert idle["type"] == "screen" and 'data-state="idle"' in idle["html"]
    assert "점심시간" in idle["html"]

    await database_sync_to_async(services.update_mirror)(counter, show=True, submission=submission)
    shown = (await communicator.receive_json_from(timeout=5))["html"]
    assert 'data-state="open"' in shown and "홍길동" in shown
    assert "900101-1******" in shown and "1234568" not in shown

    await database_sync_to_async(services.update_mirror)(counter, field_key="address")
    pointed = (await communicator.receive_json_from(timeout=5))["html"]
    assert 'class="pointed" data-pointed><th scope="row">주소' in pointed

    await database_sync_to_async(services.update_mirror)(counter, prompt="서명해 주세요")
    assert "서명해 주세요" in (await communicator.receive_json_from(timeout=5))["html"]

    # Once the submission is no longer open the screen goes idle, whatever state says.
    await database_sync_to_async(services.call)(submission.pk, setup["officer"], counter)
    await database_sync_to_async(services.complete)(submission.pk, setup["officer"])
    await communicator.send_json_to({"type": "redraw"})
    assert 'data-state="idle"' in (await communicator.receive_json_from(timeout=5))["html"]
    await communicator.disconnect()


async def test_another_counters_changes_do_not_reach_this_mirror(setup, monkeypatch):
    # Every change redraws the screen from the database, so a stray message
    # looks like any other: count the changes that reach this mirror instead.
    reached = []
    redraw = MirrorConsumer.mirror_changed

    async def counted(consumer, event):
        reached.append((consumer.counter_id, event.get("marker", "")))
        await redraw(consumer, event)

    monkeypatch.setattr(MirrorConsumer, "mirror_changed", counted)
    counter = setup["counter"]
    communicator, _, _ = await ws.connect(f"/ws/mirror/{counter.pk}/", setup["officer"])
    await communicator.receive_json_from(timeout=5)
    other_counter = await database_sync_to_async(setup["office"].counters.last)()
    await database_sync_to_async(services.update_mirror)(other_counter, show=True, submission=setup["submission"])
    # The next change sent to this counter is the first to reach it (the layer delivers in order).
    await get_channel_layer().group_send(
        services.mirror_group(counter.pk), {"type": "mirror.changed", "marker": "next"}
    )
    assert (await communicator.receive_json_from(timeout=5))["type"] == "screen"
    assert reached == [(counter.pk, "next")]
    await communicator.disconnect()
