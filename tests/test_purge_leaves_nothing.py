"""Issue 21, point 8: a purged submission leaves no personal data in the database or in storage."""

import datetime
import io
import os
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from intake import alerts, crypto, retention
from intake import services as intake_services
from intake.models import Draft, Submission
from officer_console.console import services as staff
from officer_console.models import FieldEdit
from pdfgen import storage, tasks
from pdfgen.models import ArchivedDocument

from . import factories

NEW_ADDRESS = "서울특별시 서초구 반포대로 58, 202호"
EDITED_ADDRESS = "서울특별시 서초구 서초대로 1, 303호"
CORRECTION_NOTE = "홍길동님, 101호 주소를 다시 확인해 주세요"
TRANSFER_NOTE = "홍길동 민원인은 2번 창구에서 마무리"
SECRETS = [
    "홍길동",
    factories.RRN,
    factories.RRN.replace("-", ""),
    "850505-2345678",
    "01012345678",
    "010-9876-5432",
    factories.VALID_VALUES["address"],
    NEW_ADDRESS,
    EDITED_ADDRESS,
    CORRECTION_NOTE,
    TRANSFER_NOTE,
    "내신분증",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(colour: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return SimpleUploadedFile(f"내신분증-{colour}.png", out.getvalue())


def _form():
    office, version = factories.id_copy_form()
    return office, version, intake_services.FormContext(office, version.template, version)


def _filed_and_handled(office, version, form, officer) -> Submission:
    """A resident files with an ID copy (replacing the first photo); the officer handles it every way there is."""
    draft = intake_services.get_or_start_draft(resident_key="resident-1", form=form, counter=None)
    intake_services.save_draft(draft, factories.VALID_VALUES)
    assert not intake_services.attach_uploads(draft, {"id_copy": _png("red")})
    assert not intake_services.attach_uploads(draft, {"id_copy": _png("blue")})  # the red one is left behind
    submission, _ = intake_services.submit(
        form=form,
        version=version,
        raw_values=intake_services.draft_values(draft),
        idempotency_key=uuid.uuid4(),
        counter=office.counters.first(),
        draft=draft,
    )
    alerts.register_phone(submission, "010-9876-5432")
    staff.call(submission.pk, officer, office.counters.first())
    staff.request_correction(submission.pk, officer, ["address"], CORRECTION_NOTE)
    intake_services.resubmit_correction(submission.pk, {"address": NEW_ADDRESS})
    staff.edit_fields(submission.pk, officer, {"address": EDITED_ADDRESS, "rrn": "850505-2345678"})
    staff.transfer(submission.pk, officer, counter=office.counters.last(), note=TRANSFER_NOTE)
    staff.update_mirror(office.counters.first(), show=True, submission=submission)
    staff.complete(submission.pk, officer)
    submission.refresh_from_db()
    tasks.render_and_store(submission.pk, submission.revision)
    return submission


def _abandoned_draft(form) -> None:
    draft = intake_services.get_or_start_draft(resident_key="resident-2", form=form, counter=None)
    intake_services.save_draft(draft, {"name": "홍길동", "rrn": factories.RRN})
    intake_services.attach_uploads(draft, {"id_copy": _png("green")})
    intake_services.attach_uploads(draft, {"id_copy": _png("white")})  # replaced, then the draft is abandoned


def _age(tmp_path: Path, submission: Submission) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=6 * 366)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=long_ago)
    Draft.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=49))
    three_days = (timezone.now() - datetime.timedelta(days=3)).timestamp()
    for path in (tmp_path / "uploads").iterdir():
        os.utime(path, (three_days, three_days))


def test_a_purged_submission_leaves_no_personal_data_in_the_database_or_storage(tmp_path, db):
    office, version, form = _form()
    officer = factories.officer(office)
    submission = _filed_and_handled(office, version, form, officer)
    _abandoned_draft(form)
    assert len(list((tmp_path / "uploads").iterdir())) == 4
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert "서초대로 1, 303호" in dump.getvalue()  # the officer's edit, in plain text, before the purge
    _age(tmp_path, submission)

    report = retention.purge()

    assert report.submissions == [submission.reference] and report.drafts == 2 and report.files == 4
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    found = [secret for secret in SECRETS if secret in dump.getvalue()]
    assert found == []
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    doc = ArchivedDocument.objects.get(submission=submission)
    # What is left is the archived record alone, encrypted (it follows the records schedule).
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [doc.file.name]
    raw = files[0].read_bytes()
    assert crypto.is_sealed(raw) and not any(secret.encode() in raw for secret in SECRETS)
    assert storage.read_pdf(doc).startswith(b"%PDF")
    # The audit trail keeps who did what and when, without the values.
    edits = FieldEdit.objects.filter(submission=submission)
    assert {e.field_key for e in edits} == {"address", "rrn"} and {e.before + e.after for e in edits} == {""}
    assert submission.events.count() >= 6 and not submission.events.exclude(note="").exists()
    # A late render task cannot replace the record with the emptied form.
    assert tasks.render_and_store(submission.pk, submission.revision + 1) == "purged"


def test_uploads_still_in_use_and_recent_ones_are_kept(tmp_path, db):
    _, _, form = _form()
    live = intake_services.get_or_start_draft(resident_key="r", form=form, counter=None)
    intake_services.attach_uploads(live, {"id_copy": _png("red")})
    # Stored a moment ago, its draft not saved yet: too young to be taken for an orphan.
    just_uploaded = storage.store("uploads/" + "1" * 32 + ".png", b"\x89PNG")
    three_days = (timezone.now() - datetime.timedelta(days=3)).timestamp()
    for path in (tmp_path / "uploads").iterdir():
        if path.name != Path(just_uploaded).name:
            os.utime(path, (three_days, three_days))

    report = retention.purge()

    assert report.files == 0 and len(list((tmp_path / "uploads").iterdir())) == 2
