"""Issue 21, point 12: managers read reports; acting on submissions and unmasking needs an officer
membership. Watching a counter's mirror is logged."""

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from officer_console.console import services
from officer_console.models import AccessLog, Membership

from . import factories, ws


@pytest.fixture
def manager(office):
    return factories.officer(office, "manager", role=Membership.Role.MANAGER)


def test_a_manager_reads_reports_and_the_access_log_but_no_submission(client, manager, office, submission):
    client.force_login(manager)
    home = client.get(reverse("officer_console:home"))
    assert home.status_code == 200 and "data-managed" in home.text
    assert reverse("officer_console:access_log", args=[office.pk]) in home.text
    assert client.get(reverse("reports:report")).status_code == 200
    assert client.get(reverse("officer_console:access_log", args=[office.pk])).status_code == 200

    refused = [
        client.get(reverse("officer_console:console", args=[office.pk])),
        client.get(reverse("officer_console:submission", args=[submission.pk])),
        client.post(reverse("officer_console:unmask", args=[submission.pk]), {"reason": "궁금해서"}),
        client.post(reverse("officer_console:submission_action", args=[submission.pk, "call"])),
        client.post(reverse("officer_console:submission_pdf", args=[submission.pk]), {"reason": "확인"}),
        client.post(reverse("officer_console:call_next", args=[office.pk])),
        client.get(reverse("officer_console:mirror", args=[office.counters.first().pk])),
        client.get(reverse("archive:status", args=[submission.pk])),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert not AccessLog.objects.exclude(action="export").exists()  # nothing of a resident was seen


@pytest.mark.django_db(transaction=True)
async def test_a_manager_cannot_follow_a_queue_or_a_mirror_over_websockets(transactional_db):
    version = await database_sync_to_async(factories.form_version)()
    office = await database_sync_to_async(factories.office)(forms=[version])
    manager = await database_sync_to_async(factories.officer)(office, "manager", Membership.Role.MANAGER)
    counter = await database_sync_to_async(office.counters.first)()
    for path in (f"/ws/console/{office.pk}/", f"/ws/mirror/{counter.pk}/"):
        _, connected, code = await ws.connect(path, manager)
        assert not connected and code == 4403


def test_someone_who_manages_and_serves_holds_both_memberships(client, manager, office, submission):
    Membership.objects.create(user=manager, office=office, role=Membership.Role.OFFICER)
    client.force_login(manager)
    assert client.get(reverse("officer_console:console", args=[office.pk])).status_code == 200
    unmasked = client.post(reverse("officer_console:unmask", args=[submission.pk]), {"reason": "본인 확인 대조"})
    assert factories.RRN in unmasked.text
    assert client.get(reverse("officer_console:access_log", args=[office.pk])).status_code == 200
    # A transfer goes to officers only: a colleague who only manages is not offered.
    factories.officer(office, "team-lead", role=Membership.Role.MANAGER)
    page = client.get(reverse("officer_console:submission", args=[submission.pk])).text
    assert "team-lead" not in page


def test_opening_a_counters_mirror_page_is_logged(client, officer, office, submission):
    counter = office.counters.first()
    client.force_login(officer)
    client.get(reverse("officer_console:mirror", args=[counter.pk]), REMOTE_ADDR="10.9.8.7")
    idle = AccessLog.objects.get()
    assert (idle.action, idle.submission, idle.ip) == ("view", None, "10.9.8.7") and "mirror" in idle.reason
    services.update_mirror(counter, show=True, submission=submission)
    page = client.get(reverse("officer_console:mirror", args=[counter.pk]))
    assert "홍길동" in page.text
    log = AccessLog.objects.exclude(pk=idle.pk).get()
    assert log.subject_reference == submission.reference and f"{counter.number}번" in log.reason


@pytest.mark.django_db(transaction=True)
async def test_watching_the_mirror_live_logs_each_submission_it_shows(transactional_db):
    version = await database_sync_to_async(factories.form_version)()
    office = await database_sync_to_async(factories.office)(forms=[version])
    officer = await database_sync_to_async(factories.officer)(office)
    counter = await database_sync_to_async(office.counters.first)()
    first = await database_sync_to_async(factories.submitted)(office, version)
    second = await database_sync_to_async(factories.submitted)(office, version)

    communicator, connected, _ = await ws.connect(f"/ws/mirror/{counter.pk}/", officer)
    assert connected
    await communicator.receive_json_from(timeout=5)  # idle: nothing of a resident shown, nothing logged
    for submission in (first, first, second):
        await database_sync_to_async(services.update_mirror)(counter, show=True, submission=submission)
        await communicator.receive_json_from(timeout=5)
    await database_sync_to_async(services.update_mirror)(counter, field_key="address")
    await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()

    logs = await database_sync_to_async(list)(
        AccessLog.objects.order_by("pk").values_list("subject_reference", "reason")
    )
    assert [reference for reference, _ in logs] == [first.reference, second.reference]
    assert all("mirror" in reason for _, reason in logs)
