"""The report's page, CSV and PDF print the same figures, to the digit (one rounding for all three)."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from officer_console.models import Membership
from officer_console.reports import waits

from . import factories

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-01-31"}


def test_one_rounding_halves_up_whatever_the_float_says():
    # 87 s is 1.45 min; as a float 1.45 is 1.4499…, which "%.1f" printed as 1.4.
    assert f"{87 / 60:.1f}" == "1.4"
    assert waits.to_minutes(87) == Decimal("1.5")
    assert waits.to_minutes(81) == Decimal("1.4")
    assert waits.to_minutes(91.8) == Decimal("1.5")
    assert waits.shown(27.05) == Decimal("27.1") and waits.shown(None) is None


@pytest.fixture
def half_minutes(db):
    version = factories.form_version("form-h", paper_sheets=2)
    office = factories.office("office-h", name="반올림 구청", forms=[version])
    # Waits 45, 87, 93 s and handling 60, 87, 150 s: both medians are 87 s = 1.45 min.
    for day, wait, handle in (("2026-01-05", 45, 60), ("2026-01-06", 87, 87), ("2026-01-07", 93, 150)):
        factories.timed_submission(office, version, factories.at(day, 10), wait=wait, handle=handle)
    manager = factories.officer(office, "manager.h", role=Membership.Role.MANAGER)
    return office, manager


def _page_row(page: str, table_id: str, key: int) -> list[str]:
    table = page[page.index(f'id="{table_id}"') :]
    row = re.search(rf'<tr data-key="{key}">(.*?)</tr>', table, re.S)
    assert row
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]


def test_page_csv_and_pdf_agree_to_the_digit(client, half_minutes):
    office, manager = half_minutes
    client.force_login(manager)

    page = client.get(reverse("reports:report"), PERIOD).text
    on_page = _page_row(page, "table-wait-office", office.pk)
    assert on_page == ["3", "1.5", "1.5", "3", "1.5", "2.3", "30.0"]
    assert re.search(r'data-figure="handle-median">1\.5<', page)

    rows = list(csv.reader(io.StringIO(client.get(reverse("reports:csv"), PERIOD).content.decode("utf-8-sig"))))
    in_csv = next(r for r in rows if r[:2] == ["대기·처리 기관", "반올림 구청"])[2:]
    assert in_csv == on_page

    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:pdf"), PERIOD).content))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    # The wait tables' rows for the office and the total, as printed (the name wraps onto a line of its own).
    assert text.splitlines().count(" ".join(on_page)) >= 2
    # Its headers broke between words only ("호출 건수", never "호출 건/수").
    assert "호출 건수" in text.replace("\n", " ") and "호출 건\n수" not in text


def _channel_rows(page: str) -> dict[str, list[str]]:
    table = page[page.index('id="table-channels"') :].split("</table>")[0]
    rows = re.findall(r'<tr data-channel="(\w+)"><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    return {label: re.findall(r"<td[^>]*>(.*?)</td>", cells) for _key, label, cells in rows}


def test_the_channel_split_agrees_on_page_csv_and_pdf(client, half_minutes):
    office, manager = half_minutes
    ticket = factories.form_version("visit-ticket", paper_sheets=0)
    factories.timed_submission(office, ticket, factories.at("2026-01-08", 10), wait=30, handle=40, channel="ticket")
    factories.timed_submission(office, ticket, factories.at("2026-01-09", 10), channel="ticket")
    client.force_login(manager)

    on_page = _channel_rows(client.get(reverse("reports:report"), PERIOD).text)
    assert on_page == {
        "휴대전화": ["3", "3", "6"],
        "무인 접수기": ["0", "0", "0"],
        "직원 대신 작성": ["0", "0", "0"],
        "번호표만": ["2", "1", "0"],
    }

    rows = list(csv.reader(io.StringIO(client.get(reverse("reports:csv"), PERIOD).content.decode("utf-8-sig"))))
    in_csv = {r[1]: r[2:] for r in rows if r and r[0] == "접수 경로"}
    assert in_csv == on_page

    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:pdf"), PERIOD).content))
    lines = "\n".join(p.extract_text() for p in pdf.pages).splitlines()
    for label, cells in on_page.items():
        assert f"{label} {' '.join(cells)}" in lines
