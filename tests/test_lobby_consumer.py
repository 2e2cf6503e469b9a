import datetime

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from intake import estimates
from officer_console.console import mirror, services

from . import factories, ws

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    return {"version": version, "office": office, "officer": factories.officer(office)}


async def test_the_lobby_tv_follows_its_signed_address_without_a_log_in(setup):
    office = setup["office"]
    communicator, connected, _ = await ws.connect(f"/ws/lobby/{services.lobby_token(office.pk)}/", AnonymousUser())
    assert connected and (await communicator.receive_json_from(timeout=5))["type"] == "calls"
    await communicator.disconnect()
    # Not by the office's number, not by an address edited to another office,
    # not even for its own staff.
    forged = services.lobby_token(office.pk).replace(f"{office.pk}:", f"{office.pk + 1}:")
    for path, user in [
        (f"/ws/lobby/{office.pk}/", setup["officer"]),
        (f"/ws/lobby/{forged}/", AnonymousUser()),
    ]:
        _, connected, code = await ws.connect(path, user)
        assert not connected and code == 4403


async def test_lobby_shows_recent_calls_then_new_calls_and_recalls(setup):
    office, officer = setup["office"], setup["officer"]
    counter3 = await database_sync_to_async(office.counters.get)(number=3)
    earlier = await database_sync_to_async(factories.submitted)(office, setup["version"])
    await database_sync_to_async(services.call)(earlier.pk, officer, counter3)

    communicator, connected, _ = await ws.connect(f"/ws/lobby/{services.lobby_token(office.pk)}/", AnonymousUser())
    assert connected
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "calls"
    assert [(c["ticket"], c["counter"]) for c in snapshot["calls"]] == [(earlier.ticket_number, 3)]

    assert snapshot["waiting"] == []

    # A new submission is not a call: the lobby only counts one more waiting
    # for its service, then the call takes it off the count (the layer
    # delivers in order).
    waiting = await database_sync_to_async(factories.submitted)(office, setup["version"])
    event = await communicator.receive_json_from(timeout=5)
    assert event == {
        "type": "waiting",
        "waiting": [{"service": setup["version"].template.title, "count": 1, "estimate": ""}],
    }
    await database_sync_to_async(services.call)(waiting.pk, officer, counter3)
    event = await communicator.receive_json_from(timeout=5)
    assert event["type"] == "call" and (event["call"]["ticket"], event["call"]["counter"]) == (2, 3)
    assert set(event["call"]) == {"id", "revision", "ticket", "counter", "called_at"}
    assert event["waiting"] == []

    await database_sync_to_async(services.recall)(earlier.pk, officer, None)
    event = await communicator.receive_json_from(timeout=5)
    assert event["call"]["ticket"] == earlier.ticket_number and event["call"]["revision"] == 3
    await communicator.disconnect()


def test_the_lobby_counts_waiting_tickets_per_service_of_the_day_only(setup, korea_clock):
    office = setup["office"]
    other = factories.form_version(code="other-form")
    other.template.title = "가족관계증명서"
    other.template.save()
    office.forms.add(other.template)
    korea_clock.set("2026-03-02 17:00")
    factories.submitted(office, setup["version"])
    korea_clock.set("2026-03-03 10:00")
    for _ in range(2):
        factories.submitted(office, other)
    factories.submitted(office, setup["version"])
    called = factories.submitted(office, setup["version"])
    services.call(called.pk, setup["officer"], office.counters.get(number=1))

    # Forms with no 업무 구분 are counted under their title; no history yet, so no estimate.
    assert mirror.lobby_waiting(office.pk) == [
        {"service": "가족관계증명서", "count": 2, "estimate": ""},
        {"service": setup["version"].template.title, "count": 1, "estimate": ""},
    ]


def test_the_lobby_shows_each_services_wait_for_a_ticket_taken_now(setup):
    office = setup["office"]
    resident_form = factories.form_version("resident-copy", service=factories.service("resident", "주민등록"))
    family_form = factories.form_version("family-cert", service=factories.service("family", "가족관계"))
    office.forms.add(resident_form.template, family_form.template)
    office.counters.get(number=1).services.set([resident_form.template.service])
    office.counters.get(number=2).services.set([family_form.template.service])
    long_ago = timezone.now() - datetime.timedelta(days=3)
    for _ in range(estimates.MIN_SAMPLES):
        factories.timed_submission(office, resident_form, long_ago, wait=30, handle=8 * 60)
    for _ in range(3):
        factories.submitted(office, resident_form)
    factories.submitted(office, family_form)

    assert mirror.lobby_waiting(office.pk) == [
        # Three ahead at one counter (none open yet: one assumed), 8 minutes each.
        {"service": "주민등록", "count": 3, "estimate": "약 20–25분"},
        # 가족관계 has no history of its own: nothing shown rather than a guess.
        {"service": "가족관계", "count": 1, "estimate": ""},
    ]


def test_the_latest_call_of_each_counter_is_shown_large_the_rest_at_the_side():
    calls = [{"id": n, "counter": counter} for n, counter in enumerate([1, 2, 1, 3, 4, 5, 2])]
    current, earlier = mirror.split_calls(calls)
    assert [c["id"] for c in current] == [0, 1, 3, 4]
    assert [c["id"] for c in earlier] == [2, 5, 6]
