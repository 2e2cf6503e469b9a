"""The daily archive bundle: a management command, and a download for managers."""

import csv
import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from officer_console.models import AccessLog, Membership
from pdfgen import tasks

from . import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _manifest(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    raw = archive.read("manifest.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_command_bundles_the_days_pdfs_with_a_manifest(office, version, submission, tmp_path):
    tasks.render_and_store(submission.pk, 1)
    pending = factories.submitted(office, version)  # not rendered yet
    yesterday = factories.submitted(office, version)
    yesterday.service_date -= datetime.timedelta(days=1)
    yesterday.save()

    out = tmp_path / "bundle.zip"
    call_command("archive_bundle", "--date", submission.service_date.isoformat(), "--output", str(out))
    with zipfile.ZipFile(out) as archive:
        rows = {row["reference"]: row for row in _manifest(archive)}
        assert set(rows) == {submission.reference, pending.reference}
        done = rows[submission.reference]
        assert done["form_title"] == "주민등록표 등본 교부 신청서" and done["office"] == "서초구청"
        assert done["check"] == "ok" and done["submitted_at"].startswith(submission.service_date.isoformat())
        pdf = archive.read(done["file"])
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == done["sha256"]
        assert rows[pending.reference]["check"] == "not archived (pending)" and not rows[pending.reference]["file"]
        assert archive.namelist() == [done["file"], "manifest.csv"]


def test_the_command_saves_to_storage_by_default(submission, tmp_path, capsys):
    tasks.render_and_store(submission.pk, 1)
    call_command("archive_bundle", "--date", submission.service_date.isoformat(), "--office", "seocho-gu")
    saved = tmp_path / "bundles" / f"{submission.service_date.isoformat()}-seocho-gu.zip"
    assert saved.exists() and "1 PDF(s) bundled" in capsys.readouterr().out


def _manager_and_officer(office, username):
    user = factories.officer(office, username, role=Membership.Role.MANAGER)
    Membership.objects.create(user=user, office=office, role=Membership.Role.OFFICER)
    return user


def test_a_manager_downloads_the_bundle_with_a_reason_and_it_is_logged(client, office, submission):
    tasks.render_and_store(submission.pk, 1)
    client.force_login(_manager_and_officer(office, "manager"))
    url = reverse("archive:bundle")
    page = client.get(url)
    assert page.status_code == 200 and "기록물 이관" in page.content.decode()
    day = {"date": submission.service_date.isoformat(), "office": office.pk}
    refused = client.get(url, day)
    assert refused.status_code == 400 and "사유를 입력해 주세요" in refused.content.decode()
    assert not AccessLog.objects.exists()
    response = client.get(url, {**day, "reason": "기록물 이관 (2026 상반기)"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert [row["reference"] for row in _manifest(archive)] == [submission.reference]
    log = AccessLog.objects.get(action="export")
    assert log.username == "manager" and submission.service_date.isoformat() in log.reason
    assert log.reason.startswith("기록물 이관 (2026 상반기)")


def test_only_managers_of_that_office_get_a_bundle(client, office, officer, other_office, submission):
    url = reverse("archive:bundle")
    client.force_login(officer)  # an officer, not a manager
    assert client.get(url).status_code == 403
    # A manager by that role alone reads reports, not every resident's PDF.
    client.force_login(factories.officer(office, "manager-only", role=Membership.Role.MANAGER))
    assert client.get(url).status_code == 403
    client.force_login(_manager_and_officer(other_office, "other-manager"))
    response = client.get(url, {"date": submission.service_date.isoformat(), "office": office.pk, "reason": "이관"})
    assert response.status_code == 404
    bad = client.get(url, {"date": "25/11/2026", "office": other_office.pk})
    assert (
        bad.status_code == 400 and "연-월-일" in bad.content.decode() and 'value="25/11/2026"' in bad.content.decode()
    )
    assert not AccessLog.objects.filter(action="export").exists()
