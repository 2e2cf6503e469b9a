"""The personal-data access log: nobody changes or deletes an entry, by any path.

The model refuses every ORM path (both databases); on PostgreSQL a trigger
refuses in the database as well, so raw SQL and managers that bypass the
model are refused too. The one way entries go is the retention purge
(purge_access_log → AccessLog.objects.purge_before), for entries past the
retention period only. tests/test_privacy.py runs the purge command itself.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from officer_console.console import services as staff
from officer_console.models import PURGE_SETTING, AccessLog
from pdfgen.models import ArchivedDocument

pytestmark = pytest.mark.django_db

YEARS_AGO = datetime.timedelta(days=3 * 365)


@pytest.fixture
def entry(submission, officer) -> AccessLog:
    return staff.log_access(user=officer, ip="10.0.0.1", action="view", submission=submission, reason="민원 처리")


def _as_stored(entry: AccessLog) -> tuple[Any, ...]:
    return tuple(AccessLog.objects.filter(pk=entry.pk).values_list("at", "username", "action", "reason").get())


def _older(entry: AccessLog, **changes: Any) -> AccessLog:
    """A second entry like `entry`, written long ago (an insert, the one write the log takes)."""
    fields = {f: getattr(entry, f) for f in ("user", "username", "ip", "action", "submission", "subject_reference")}
    return AccessLog.objects.create(**{**fields, "at": timezone.now() - YEARS_AGO, **changes})


# --- the model: every ORM path ----------------------------------------------


def _save_again(entry: AccessLog) -> None:
    entry.reason = "지움"
    entry.save()


def _save_a_copy_over_it(entry: AccessLog) -> None:
    AccessLog(pk=entry.pk, username="someone", action="view").save()


ORM_PATHS: dict[str, Callable[[AccessLog], Any]] = {
    "save": _save_again,
    "save-over": _save_a_copy_over_it,
    "delete": lambda e: e.delete(),
    "queryset-update": lambda e: AccessLog.objects.filter(pk=e.pk).update(reason="지움"),
    "queryset-delete": lambda e: AccessLog.objects.filter(pk=e.pk).delete(),
    "all-delete": lambda e: AccessLog.objects.all().delete(),
    "bulk-update": lambda e: AccessLog.objects.bulk_update([e], ["reason"]),
    "update-or-create": lambda e: AccessLog.objects.update_or_create(pk=e.pk, defaults={"reason": "지움"}),
}


@pytest.mark.parametrize("path", ORM_PATHS)
def test_no_orm_path_changes_or_deletes_an_entry(entry, path):
    before = _as_stored(entry)
    with pytest.raises(PermissionError, match="cannot be"), transaction.atomic():
        ORM_PATHS[path](entry)
    assert AccessLog.objects.count() == 1 and _as_stored(entry) == before


def test_deleting_an_account_or_a_submission_keeps_its_entries(entry, officer, submission):
    # The links go (on_delete=SET_NULL); who and whose stay, as text.
    get_user_model().objects.filter(pk=officer.pk).delete()
    ArchivedDocument.objects.filter(submission=submission).delete()  # it protects the submission
    submission.delete()
    kept = AccessLog.objects.get()
    assert (kept.user_id, kept.submission_id) == (None, None)
    assert (kept.username, kept.subject_reference) == ("officer", submission.reference)


def test_the_purge_removes_only_entries_older_than_its_cutoff(korea_clock, entry):
    old = _older(entry)
    assert AccessLog.objects.purge_before(timezone.now() - YEARS_AGO) == 0  # not older than itself
    assert AccessLog.objects.purge_before(timezone.now() - datetime.timedelta(days=365)) == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [entry.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()


# --- the admin: read-only for everyone ---------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.kr", "pw-for-tests-1"))
    return client


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(admin_client, entry):
    before = _as_stored(entry)
    listing = admin_client.get(reverse("admin:officer_console_accesslog_changelist"))
    assert listing.status_code == 200 and "민원 처리" in listing.text
    assert 'value="delete_selected"' not in listing.text
    assert admin_client.get(reverse("admin:officer_console_accesslog_add")).status_code == 403
    change_url = reverse("admin:officer_console_accesslog_change", args=[entry.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200 and 'name="reason"' not in page.text and 'name="_save"' not in page.text
    assert admin_client.post(change_url, {"reason": "지움", "username": "x", "action": "view"}).status_code == 403
    delete_url = reverse("admin:officer_console_accesslog_delete", args=[entry.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        reverse("admin:officer_console_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AccessLog.objects.count() == 1 and _as_stored(entry) == before


# --- PostgreSQL: the database refuses too --------------------------------------


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; the SQLite run checks the model (above); runs in CI's second pass")


def _sql(statement: str, params: list[Any] | None = None) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return int(cursor.rowcount)


RAW_CHANGES = {
    "reason": ("UPDATE officer_console_accesslog SET reason = 'x' WHERE id = %s", 0),
    "time": ("UPDATE officer_console_accesslog SET at = at - interval '3 years' WHERE id = %s", 0),
    # Dropping the link while rewriting the name is not the SET NULL of a deleted account.
    "unlink-and-rename": ("UPDATE officer_console_accesslog SET user_id = NULL, username = 'x' WHERE id = %s", 0),
    "relink": ("UPDATE officer_console_accesslog SET submission_id = NULL, user_id = user_id + 1 WHERE id = %s", 0),
    "delete": ("DELETE FROM officer_console_accesslog WHERE id = %s", 0),
    # Old enough to purge, but not deleted through the purge.
    "delete-old": ("DELETE FROM officer_console_accesslog WHERE id = %s", 1),
}


@pytest.mark.services
@pytest.mark.parametrize("change", RAW_CHANGES)
def test_postgresql_refuses_raw_changes_and_deletes(postgresql, entry, change):
    statement, which = RAW_CHANGES[change]
    target = [entry, _older(entry)][which]
    before = _as_stored(target)
    with pytest.raises(DatabaseError, match="access log entries cannot be"):
        _sql(statement, [target.pk])
    assert _as_stored(target) == before


@pytest.mark.services
def test_postgresql_refuses_managers_that_bypass_the_model(postgresql, entry):
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AccessLog._base_manager.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AccessLog._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert AccessLog.objects.get().reason == "민원 처리"


@pytest.mark.services
def test_postgresql_lets_the_purge_delete_only_past_its_cutoff(postgresql, entry):
    old, older = _older(entry), _older(entry, at=timezone.now() - 2 * YEARS_AGO)
    cutoff = timezone.now() - datetime.timedelta(days=365)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, cutoff.isoformat()])
        # A newer entry is refused even inside the purge's transaction, and with it the whole statement.
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            cursor.execute("DELETE FROM officer_console_accesslog WHERE id IN (%s, %s)", [old.pk, entry.pk])
        cursor.execute("DELETE FROM officer_console_accesslog WHERE id = %s", [old.pk])
        assert cursor.rowcount == 1
    # The purge itself, inside this test's transaction: the permission ends with it.
    assert AccessLog.objects.purge_before(cutoff) == 1
    another = _older(entry)
    with pytest.raises(DatabaseError, match="cannot be deleted"):
        _sql("DELETE FROM officer_console_accesslog WHERE id = %s", [another.pk])
    assert sorted(AccessLog.objects.values_list("pk", flat=True)) == sorted([entry.pk, another.pk])
    assert not AccessLog.objects.filter(pk__in=[old.pk, older.pk]).exists()


@pytest.mark.services
def test_postgresql_lets_deleting_an_account_or_a_submission_unlink_its_entries(postgresql, entry, officer):
    test_deleting_an_account_or_a_submission_keeps_its_entries(entry, officer, entry.submission)
