import base64
import datetime
import os
import shutil
import subprocess
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from intake import crypto, retention
from intake import services as intake_services
from intake.models import Draft, Submission
from officer_console.console import services as staff

from . import factories

RRN_DIGITS = factories.RRN.replace("-", "")


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_database_dump_holds_no_resident_registration_number(submission, office, version):
    draft = intake_services.get_or_start_draft(
        resident_key="k", form=intake_services.FormContext(office, version.template, version), counter=None
    )
    intake_services.save_draft(draft, {"rrn": "850505-2345678"})
    out = StringIO()
    call_command("dumpdata", "intake", stdout=out)
    dump = out.getvalue()
    assert submission.reference in dump
    for secret in (factories.RRN, RRN_DIGITS, "850505-2345678", "8505052345678"):
        assert secret not in dump


@pytest.mark.django_db(transaction=True)
def test_postgres_dump_holds_no_resident_registration_number():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump check runs in the PostgreSQL pass (CI)")
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.submitted(office, version)
    s = connection.settings_dict
    dump = subprocess.run(
        [
            shutil.which("pg_dump") or "pg_dump",
            "-h",
            s["HOST"] or "127.0.0.1",
            "-p",
            str(s["PORT"] or 5432),
            "-U",
            s["USER"],
            "-d",
            s["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "intake_submission" in dump
    assert factories.RRN not in dump and RRN_DIGITS not in dump


def test_key_rotation_reencrypts_with_the_new_key(settings, office, version, tmp_path):
    # Its own storage: rotation also walks the stored files, and other tests' files have other keys.
    settings.MEDIA_ROOT = tmp_path
    old, new = _key(), _key()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    submission = factories.submitted(office, version)
    # A resident halfway through a form: their draft holds a number too.
    form = intake_services.FormContext(office, version.template, version)
    draft = intake_services.get_or_start_draft(resident_key="halfway", form=form, counter=None)
    intake_services.save_draft(draft, {"rrn": "850505-2345678"})
    old_id = crypto.key_id_of(submission.sensitive_data)
    assert crypto.key_id_of(Draft.objects.get(pk=draft.pk).sensitive_data) == old_id

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "민원 신청 (submissions) · sensitive_data: would re-encrypt 1" in lines
    assert "drafts · sensitive_data: would re-encrypt 1" in lines
    call_command("rotate_encryption_keys", stdout=StringIO())
    submission.refresh_from_db()
    draft.refresh_from_db()
    assert crypto.key_id_of(submission.sensitive_data) not in ("", old_id)
    assert crypto.key_id_of(draft.sensitive_data) == crypto.key_id_of(submission.sensitive_data)

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key can now be retired
    assert intake_services.submission_values(submission)["rrn"] == factories.RRN
    assert intake_services.draft_values(draft)["rrn"] == "850505-2345678"


def test_a_row_encrypted_with_a_retired_key_fails_loudly(settings, submission):
    settings.FIELD_ENCRYPTION_KEYS = [_key()]
    with pytest.raises(crypto.DecryptionError):
        intake_services.submission_values(submission)


def _age(submission: Submission, days: int) -> None:
    Submission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days))


def test_retention_purges_personal_data_but_keeps_the_figures(office, version, officer):
    old = factories.submitted(office, version)
    staff.call(old.pk, officer, None)
    staff.complete(old.pk, officer)
    recent = factories.submitted(office, version)
    _age(old, 5 * 366)  # the test form keeps data for 5 years
    _age(recent, 30)

    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert old.reference in out.getvalue() and recent.reference not in out.getvalue()
    assert Submission.objects.get(pk=old.pk).sensitive_data != ""

    call_command("purge_personal_data", stdout=StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.data == {} and old.sensitive_data == "" and old.personal_data_purged_at is not None
    assert (old.status, old.paper_sheets_saved, old.ticket_number) == ("completed", 2, 1)
    assert old.completed_at is not None and old.called_at is not None
    assert intake_services.submission_values(recent)["rrn"] == factories.RRN


def test_retention_deletes_stale_drafts_and_their_files(office, version, settings, tmp_path):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("uploads/x.png", __import__("io").BytesIO(b"\x89PNG\r\n\x1a\n"))
    form = intake_services.FormContext(office, version.template, version)
    draft = intake_services.get_or_start_draft(resident_key="k", form=form, counter=None)
    Draft.objects.filter(pk=draft.pk).update(
        data={"photo": {"file": name, "name": "x.png"}}, updated_at=timezone.now() - datetime.timedelta(hours=49)
    )
    report = retention.purge()
    assert report.drafts == 1 and report.files == 1
    assert not Draft.objects.exists() and not default_storage.exists(name)


def test_years_before_handles_leap_days():
    moment = datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert retention.years_before(moment, 1) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)


def test_access_log_is_kept_two_years_then_purged(submission, officer):
    from officer_console.models import AccessLog

    # Entries are never changed (tests/test_access_log.py): write them at the times wanted.
    now = timezone.now()
    entries = []
    for days in (731, 700):
        with time_machine.travel(now - datetime.timedelta(days=days), tick=False):
            entries.append(staff.log_access(user=officer, ip="10.0.0.1", action="view", submission=submission))
    old, recent = entries
    assert old.at == now - datetime.timedelta(days=731)
    out = StringIO()
    call_command("purge_access_log", "--dry-run", stdout=out)
    assert "would delete 1" in out.getvalue() and AccessLog.objects.count() == 2
    call_command("purge_access_log", stdout=StringIO())
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
