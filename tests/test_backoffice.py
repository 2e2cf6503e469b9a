"""The back-office field mapping: kept in the form pack, copied in one click on the check view,
exported for a day's batch entry."""

import csv
import io
import json

import pytest
from django.urls import reverse

from forms_catalog import packs
from officer_console import backoffice
from officer_console.models import AccessLog

from . import factories

pytestmark = pytest.mark.django_db

MAPPING = [
    {"code": "APPL_NM", "field": "name", "label": "신청인 성명"},
    {"code": "APPL_RRNO", "field": "rrn"},
    {"code": "ISSU_CNT", "field": "copies"},
    {"code": "APPL_SE", "field": "applicant_type"},
    {"code": "PRXY_NM", "field": "proxy_name"},
]


@pytest.fixture
def mapped(version):
    version.template.backoffice_fields = MAPPING
    version.template.save()
    return version


def test_values_in_mapping_order_masked_unless_unmasked(office, mapped, submission):
    masked = backoffice.entries(submission, unmasked=False)
    assert [e.code for e in masked] == ["APPL_NM", "APPL_RRNO", "ISSU_CNT", "APPL_SE", "PRXY_NM"]
    assert [e.value for e in masked] == ["홍길동", "900101-1******", "2", "본인", ""]
    assert [e.label for e in masked][:2] == ["신청인 성명", "주민등록번호"]  # the form's label when none is given
    full = backoffice.entries(submission, unmasked=True)
    assert backoffice.copy_text(full) == f"홍길동\t{factories.RRN}\t2\t본인\t"


def test_the_check_view_shows_the_copy_panel_and_copies_in_full_only_after_unmasking(client, office, mapped, officer):
    submission = factories.submitted(office, mapped)
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[submission.pk])).text
    assert "새올 입력용 복사" in page and "data-backoffice-masked" in page
    assert "홍길동\t900101-1******\t2\t본인\t" in page and factories.RRN not in page
    unmasked = client.post(reverse("officer_console:unmask", args=[submission.pk]), {"reason": "새올 입력"}).text
    assert f"홍길동\t{factories.RRN}\t2\t본인\t" in unmasked


def test_no_mapping_no_panel(client, office, submission, officer):
    client.force_login(officer)
    assert "새올 입력용 복사" not in client.get(reverse("officer_console:submission", args=[submission.pk])).text


def test_day_export_csv_and_json_logged_per_submission(client, office, mapped, officer):
    first = factories.submitted(office, mapped)
    second = factories.submitted(office, mapped, {**factories.VALID_VALUES, "name": '=HYPERLINK("http://x")'})
    client.force_login(officer)
    url = reverse("officer_console:day_export", args=[office.pk])
    day = first.service_date.isoformat()
    response = client.post(url, {"date": day, "fmt": "csv", "reason": "새올 일괄 등록"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][6:] == ["APPL_NM", "APPL_RRNO", "ISSU_CNT", "APPL_SE", "PRXY_NM"]
    assert [r[0] for r in rows[1:]] == [first.reference, second.reference]
    assert rows[1][6:8] == ["홍길동", "900101-1******"]
    assert rows[2][6].startswith("'=")  # never a formula in Excel
    logged = AccessLog.objects.filter(action="export")
    assert sorted(e.subject_reference for e in logged) == sorted([first.reference, second.reference])
    assert all("새올 일괄 등록" in e.reason and e.username == "officer" for e in logged)
    response = client.post(url, {"date": day, "fmt": "json", "reason": "점검", "full": "1"})
    records = json.loads(response.content)["submissions"]
    assert records[0]["fields"][1] == {"code": "APPL_RRNO", "label": "주민등록번호", "value": factories.RRN}


def test_day_export_refuses_without_a_reason_keeping_what_was_entered(client, office, mapped, officer):
    client.force_login(officer)
    response = client.post(
        reverse("officer_console:day_export", args=[office.pk]), {"date": "2026-13-40", "fmt": "json"}
    )
    assert response.status_code == 422
    assert "사유를 적어 주세요" in response.text and "2026-01-31처럼" in response.text
    assert 'value="2026-13-40"' in response.text and not AccessLog.objects.exists()


def test_another_offices_officer_cannot_export(client, office, other_office, mapped):
    factories.submitted(office, mapped)
    client.force_login(factories.officer(other_office, "stranger"))
    response = client.post(reverse("officer_console:day_export", args=[office.pk]), {"reason": "x", "fmt": "csv"})
    assert response.status_code == 404 and not AccessLog.objects.exists()


def test_the_mapping_travels_in_the_pack_and_is_checked(mapped):
    pack = packs.export_pack([mapped.template])
    assert pack["forms"][0]["backoffice_fields"] == MAPPING
    assert packs.validate_pack(pack) == []
    pack["forms"][0]["backoffice_fields"] = [{"code": "X", "field": "no_such_field"}, {"code": "X", "field": "name"}]
    problems = packs.validate_pack(pack)
    assert any("backoffice_fields[0].field" in p and "no_such_field" in p for p in problems)
    assert any("backoffice_fields[1].code" in p and "두 번" in p for p in problems)


def test_the_demo_pack_maps_two_forms():
    pack = packs.load_pack_file(packs.JSON_SCHEMA_PATH.parent / "demo.json")
    assert packs.validate_pack(pack) == []
    mapped_forms = [f["code"] for f in pack["forms"] if f.get("backoffice_fields")]
    assert mapped_forms == ["resident-registration-copy", "move-in-report"]
