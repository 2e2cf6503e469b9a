"""The archive PDF read back as text: Korean only, labels whole, only open notes in 비고, the sign-off never alone."""

import copy
import io

import pytest
from pypdf import PdfReader

from intake import services as intake_services
from officer_console.console import services as staff
from pdfgen import render, services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pages(submission) -> list[str]:
    submission.refresh_from_db()
    context, data = services.build_context(submission)
    pdf = render.render_pdf(services.render_html(submission, context), data)
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(submission) -> str:
    return "\n".join(_pages(submission))


def _schema_with(extra_fields: list[dict]) -> dict:
    schema = copy.deepcopy(factories.SCHEMA)
    schema["sections"][0]["fields"] += extra_fields
    return schema


def test_the_record_is_korean_only(office, officer):
    version = factories.form_version("move-in-form")
    submission = factories.submitted(office, version)
    counter = office.counters.first()
    staff.call(submission.pk, officer, counter)
    staff.complete(submission.pk, officer)
    text = _text(submission)
    assert "처리 완료" in text and "(completed)" not in text
    assert "move-in-form" not in text and "제1판" in text


def test_the_identity_cell_says_what_the_officer_recorded(office, officer, version):
    counter = office.counters.first()
    unchecked = factories.submitted(office, version)
    staff.call(unchecked.pk, officer, counter)
    staff.complete(unchecked.pk, officer)
    assert "신분 확인 확인 기록 없음" in " ".join(_text(unchecked).split())

    checked = factories.submitted(office, version)
    staff.call(checked.pk, officer, counter)
    staff.set_id_checked(checked.pk, officer, True)
    staff.complete(checked.pk, officer)
    text = " ".join(_text(checked).split())
    assert "신분 확인 확인함 (신분증 대조)" in text and "확인 기록 없음" not in text


def test_labels_break_between_words_only(office):
    # A long label in the narrow label column (a fifth of the width).
    label = "세대주와의 관계 또는 신청인과의 가족관계 확인"
    version = factories.form_version(
        "relation-form", schema=_schema_with([{"key": "relation", "type": "text", "label": label}])
    )
    submission = factories.submitted(office, version, {**factories.VALID_VALUES, "relation": "배우자"})
    text = _text(submission)
    # Line breaks fall only where the label has spaces: read back with breaks as spaces, it is whole.
    assert label in " ".join(text.split())
    for word in label.split():
        assert word in text.split(), word


def test_only_open_notes_stand_in_the_remarks(office, officer, version):
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())
    staff.request_correction(submission.pk, officer, ["address"], "호수까지 적어 주세요")
    assert "비고 보완 요청: 호수까지 적어 주세요" in " ".join(_text(submission).split())

    intake_services.resubmit_correction(submission.pk, {"address": "서울특별시 서초구 남부순환로 2584, 1203호"})
    text = _text(submission)
    assert "호수까지" not in text and "비고" not in text

    other = factories.submitted(office, version)
    staff.reject(other.pk, officer, "본인 확인 서류가 없습니다")
    assert "반려 사유: 본인 확인 서류가 없습니다" in " ".join(_text(other).split())


def _first_spill(office) -> tuple[int, list[str]]:
    """The fewest extra rows that push the sign-off off page 1, and that rendering's pages (bisection)."""
    low, high = 0, 48
    found: list[str] = []
    while low < high:
        n = (low + high) // 2
        fields = [{"key": f"extra_{i}", "type": "text", "label": f"추가 항목 {i}"} for i in range(n)]
        version = factories.form_version(f"long-{n}", schema=_schema_with(fields))
        values = {**factories.VALID_VALUES, **{f"extra_{i}": f"값 {i}" for i in range(n)}}
        pages = _pages(factories.submitted(office, version, values))
        if "위와 같이 신청합니다" in pages[0]:
            low = n + 1
        else:
            high, found = n, pages
    return low, found


def test_the_sign_off_never_stands_alone_on_a_page(office):
    n, pages = _first_spill(office)
    assert 0 < n < 48 and len(pages) == 2
    spilled = pages[1]
    assert "위와 같이 신청합니다" in spilled and "처리 (담당 공무원 기재란)" in spilled
    # It took the form's last section with it: the page is not the sign-off alone.
    assert "동의 및 서명" in spilled and "개인정보 수집·이용 동의" in spilled
