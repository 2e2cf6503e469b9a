"""Rows of a repeatable group (세대원) appear on the officer's screen, the mirror and the archived PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from officer_console.console import mirror
from pdfgen import render, services

from . import factories

pytestmark = pytest.mark.django_db

SCHEMA = {
    "sections": [
        {"key": "s", "title": "신고인", "fields": [{"key": "name", "type": "text", "label": "성명", "required": True}]},
        {
            "key": "members",
            "title": "세대원",
            "repeat": {"min": 0, "max": 5},
            "fields": [
                {"key": "member_name", "type": "text", "label": "성명", "required": True},
                {"key": "member_rrn", "type": "rrn", "label": "주민등록번호", "required": True},
            ],
        },
    ]
}
VALUES = {
    "name": "홍길동",
    "members": [
        {"member_name": "홍길순", "member_rrn": "920202-2345678"},
        {"member_name": "홍길남", "member_rrn": "950505-1234567"},
    ],
}


@pytest.fixture
def moved_in(db):
    version = factories.form_version("move-in", schema=SCHEMA)
    office = factories.office("dong", forms=[version])
    return office, factories.submitted(office, version, VALUES)


def test_console_and_mirror_show_each_row_masked(moved_in):
    _, submission = moved_in
    rows = [row for section in mirror.display_sections(submission) for row in section.rows]
    labels = {row.label: row.value for row in rows}
    assert labels["세대원 1 · 성명"] == "홍길순" and labels["세대원 2 · 성명"] == "홍길남"
    assert labels["세대원 1 · 주민등록번호"] == "920202-2******"


def test_officer_page_lists_the_rows(client, moved_in):
    office, submission = moved_in
    client.force_login(factories.officer(office))
    page = client.get(reverse("officer_console:submission", args=[submission.pk])).text
    assert "세대원 2 · 성명" in page and "홍길남" in page and "2345678" not in page


def test_archived_pdf_prints_every_row(moved_in):
    _, submission = moved_in
    context, data = services.build_context(submission)
    pdf = render.render_pdf(services.render_html(submission, context), data)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "세대원 1 · 성명" in text and "홍길순" in text and "홍길남" in text
    assert "920202-2345678" in text  # the archive is the full record, as on paper
