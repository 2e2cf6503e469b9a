"""Issue 21, point 1: archived PDFs and uploads are encrypted at rest, rotate with the field keys,
and an archive download is treated like an unmask (a reason, logged)."""

import base64
import hashlib
import io
import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from forms_catalog.schema import field_of
from intake import alerts, crypto, sealed, uploads
from officer_console.console import services as staff
from officer_console.models import AccessLog, FieldEdit
from pdfgen import storage, tasks
from pdfgen.models import ArchivedDocument

from . import factories

RRN_DIGITS = factories.RRN.replace("-", "")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    return out.getvalue()


def test_the_archived_pdf_is_encrypted_on_disk_and_decrypted_only_when_read(submission, tmp_path):
    tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    raw = (tmp_path / doc.file.name).read_bytes()
    assert crypto.is_sealed(raw) and not raw.startswith(b"%PDF")
    for secret in (factories.RRN.encode(), RRN_DIGITS.encode(), "홍길동".encode()):
        assert secret not in raw
    pdf = storage.read_pdf(doc)
    # The SHA-256 kept is the PDF's own, so it survives key rotation.
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == doc.sha256 and doc.size == len(pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert factories.RRN in text  # the record prints what the paper form prints (README, 개인정보 보호)


def test_an_uploaded_id_copy_is_encrypted_on_disk(tmp_path):
    image = _png()
    stored = uploads.store(field_of({"key": "id_copy", "type": "file"}), SimpleUploadedFile("신분증.png", image))
    raw = (tmp_path / stored["file"]).read_bytes()
    assert crypto.is_sealed(raw) and not raw.startswith(b"\x89PNG")
    plain = sealed.read(stored["file"])
    assert plain.startswith(b"\x89PNG") and hashlib.sha256(plain).hexdigest() == stored["sha256"]


def test_downloading_the_archive_needs_a_reason_and_logs_it(client, officer, submission):
    tasks.render_and_store(submission.pk, 1)
    url = reverse("officer_console:submission_pdf", args=[submission.pk])
    client.force_login(officer)

    page = client.get(reverse("officer_console:submission", args=[submission.pk]))
    assert f'action="{url}"' in page.text and 'name="reason"' in page.text and "data-pdf-form" in page.text
    logged = AccessLog.objects.count()  # the page view; the log is append-only

    for refused in (client.get(url), client.post(url, {"reason": "   "})):
        assert refused.status_code == 302 and refused["Content-Type"] != "application/pdf"
    assert AccessLog.objects.count() == logged
    after = client.get(reverse("officer_console:submission", args=[submission.pk]))
    assert "사유를 입력해 주세요" in after.text

    response = client.post(url, {"reason": "민원인 본인 사본 요청"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == ArchivedDocument.objects.get().sha256
    log = AccessLog.objects.get(action="download")
    assert (log.username, log.ip, log.subject_reference, log.reason) == (
        "officer",
        "10.1.2.3",
        submission.reference,
        "민원인 본인 사본 요청",
    )


def test_an_altered_archive_file_is_refused_not_served(client, officer, submission, tmp_path):
    tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    path = tmp_path / doc.file.name
    content = bytearray(path.read_bytes())
    content[-5] ^= 0x01
    path.write_bytes(bytes(content))
    client.force_login(officer)
    response = client.post(reverse("officer_console:submission_pdf", args=[submission.pk]), {"reason": "확인"})
    assert response.status_code == 302 and not AccessLog.objects.filter(action="download").exists()


def test_key_rotation_reencrypts_files_and_every_encrypted_column(settings, office, version, officer, tmp_path):
    old, new = _key(), _key()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    submission = factories.submitted(office, version)
    tasks.render_and_store(submission.pk, 1)
    upload = uploads.store(field_of({"key": "photo", "type": "file"}), SimpleUploadedFile("a.png", _png()))
    # A file stored before files were encrypted is sealed by the rotation too.
    legacy, legacy_png = tmp_path / "uploads" / ("0" * 32 + ".png"), _png()
    legacy.write_bytes(legacy_png)
    staff.edit_fields(submission.pk, officer, {"rrn": "850505-2345678"})
    alerts.register_phone(submission, "010-9876-5432")
    doc = ArchivedDocument.objects.get(submission=submission)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "files: would re-encrypt 3" in out.getvalue()
    call_command("rotate_encryption_keys", stdout=StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key can now be retired
    new_id = crypto.primary_key_id()
    for name in (doc.file.name, upload["file"], "uploads/" + legacy.name):
        raw = (tmp_path / name).read_bytes()
        assert crypto.sealed_key_id(raw) == new_id
    assert hashlib.sha256(storage.read_pdf(doc)).hexdigest() == doc.sha256
    assert sealed.read("uploads/" + legacy.name) == legacy_png
    submission.refresh_from_db()
    assert crypto.decrypt_json(submission.alert_phone)["phone"] == "010-9876-5432"
    edit = FieldEdit.objects.get(field_key="rrn")
    assert crypto.decrypt_json(edit.before) == {"v": factories.RRN}
    assert crypto.decrypt_json(edit.after) == {"v": "850505-2345678"}
    call_command("verify_archive", stdout=StringIO())  # every file intact, read with the new key only
