import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from officer_console.models import EquivalenceFactorSet, Membership

from . import factories

PERIOD = {"start": "2025-12-01", "end": "2026-03-31"}


@pytest.fixture
def manager(known):
    user = factories.officer(known["a"], "manager.all", role=Membership.Role.MANAGER)
    Membership.objects.create(user=user, office=known["b"], role=Membership.Role.MANAGER)
    return user


def figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', page)
    assert match, name
    return match.group(1)


def test_report_requires_login_and_the_manager_role(client, known):
    url = reverse("reports:report")
    assert client.get(url).status_code == 302
    client.force_login(factories.officer(known["a"], "officer.a"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("reports:csv")).status_code == 403


def test_manager_sees_totals_breakdowns_and_sources(client, manager):
    client.force_login(manager)
    page = client.get(reverse("reports:report"), PERIOD)
    assert page.status_code == 200
    html = page.text
    assert (figure(html, "sheets"), figure(html, "annual")) == ("19", "65")
    assert (figure(html, "wait-median"), figure(html, "wait-p90"), figure(html, "handle-median")) == (
        "4.0",
        "12.0",
        "1.8",
    )
    assert "기본 (Default" in html and "국립산림과학원" in html and "2.88 g" in html
    # Four server-drawn charts, each named for screen readers, each with its table.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 4
    assert html.count('role="img"') == 4 and html.count("<desc id=") == 4
    for table in ("table-months", "table-offices", "table-wait-weekday", "table-wait-hour"):
        assert f'id="{table}"' in html


def test_seocho_factor_set_is_labelled_derived(client, manager):
    client.force_login(manager)
    seocho = EquivalenceFactorSet.objects.get(derived=True)
    page = client.get(reverse("reports:report"), {**PERIOD, "factors": seocho.pk}).text
    assert "서초구 발표 역산" in page and "역산한 값입니다" in page and "4.62 g" in page


def test_manager_of_one_office_sees_only_that_office(client, known):
    manager = factories.officer(known["b"], "manager.b", role=Membership.Role.MANAGER)
    client.force_login(manager)
    page = client.get(reverse("reports:report"), PERIOD).text
    assert figure(page, "sheets") == "2" and "가 구청" not in page
    refused = client.get(reverse("reports:report"), {**PERIOD, "office": known["a"].pk})
    assert refused.status_code == 400 and "목록에 있는 항목을 골라 주세요" in refused.text
    assert "19" not in re.findall(r'data-figure="sheets">([^<]*)<', refused.text)


def test_superuser_sees_every_office(client, known):
    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(admin)
    assert figure(client.get(reverse("reports:report"), PERIOD).text, "sheets") == "19"


def test_filters_office_and_form(client, manager, known):
    client.force_login(manager)
    page = client.get(reverse("reports:report"), {**PERIOD, "office": known["b"].pk}).text
    assert figure(page, "sheets") == "2"
    page = client.get(reverse("reports:report"), {**PERIOD, "form": known["x"].template_id}).text
    assert figure(page, "sheets") == "17"


def test_bad_dates_keep_the_input_and_say_how_to_fix(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:report"), {"start": "2026-03-31", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "시작일을 종료일 이전으로 바꿔 주세요" in response.text
    assert 'value="2026-03-31"' in response.text and 'value="2026-01-01"' in response.text
    response = client.get(reverse("reports:report"), {"start": "31/03/2026"})
    assert "2026-01-31 처럼" in response.text and 'value="31/03/2026"' in response.text


def test_htmx_gets_only_the_filter_and_report(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:report"), PERIOD, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="report-page"')
    assert "<html" not in response.text and 'id="report-body"' in response.text
    bad = client.get(
        reverse("reports:report"), {"start": "2026-03-31", "end": "2026-01-01"}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 200 and "시작일을 종료일 이전으로" in bad.text


def test_default_view_is_the_last_twelve_months(korea_clock, client, manager):
    korea_clock.set("2026-03-01 08:00")  # still February in UTC
    client.force_login(manager)
    page = client.get(reverse("reports:report")).text
    # Twelve calendar months, this one (Korea's March) included, up to today.
    assert 'value="2025-04-01"' in page and 'value="2026-03-01"' in page


def test_csv_opens_in_korean_excel(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:csv"), PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="paper-report_20251201-20260331.csv"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0].startswith("종이 절감")
    by = {(r[0], r[1]): r for r in rows if len(r) >= 5}
    assert by[("합계", "")][2:5] == ["8", "6", "19"]
    assert by[("기관", "가 구청")][4] == "17"
    assert by[("월", "2026-02")][4] == "8"
    assert by[("대기·처리 합계", "합계")][2:] == ["7", "4.0", "12.0", "6", "1.8", "2.9", "27.1"]
    assert by[("대기·처리 기관", "나 주민센터")][2:4] == ["2", "10.0"]
    assert any(r and r[0].startswith("줄어든 CO2") and r[1] == "0.05" for r in rows)


def test_pdf_is_the_whole_report(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:pdf"), PERIOD)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("종이 절감", "2025-12-01 ~ 2026-03-31", "가 구청", "국립산림과학원", "대기 중앙값"):
        assert expected in text, expected
    # The charts are drawn in the PDF too: their reference-line labels are text only the SVG carries.
    assert "연간 추정 ÷ 12" in text and "종이 민원 시절 대기 (설정값): 27.1" in text


def test_admin_edits_factor_sets_and_their_sources(client, known):
    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(admin)
    listing = client.get(reverse("admin:officer_console_equivalencefactorset_changelist"))
    assert listing.status_code == 200 and "서초구 발표 역산" in listing.text
    default = EquivalenceFactorSet.objects.get(is_default=True)
    change = client.get(reverse("admin:officer_console_equivalencefactorset_change", args=[default.pk]))
    assert 'name="co2_source"' in change.text
    default.co2_grams_per_sheet = 3
    default.co2_source = "새 출처 (new source)"
    default.save()
    page = client.get(reverse("reports:report"), PERIOD).text
    assert "A4 1매 = 3 g CO2" in page and "새 출처 (new source)" in page


def test_report_quotes_the_offices_own_paper_era_sheet_count(client, manager, known):
    client.force_login(manager)
    assert "종이 민원 시절 연간 사용량" not in client.get(reverse("reports:report"), PERIOD).text
    known["a"].paper_sheets_baseline_per_year = 30000
    known["a"].save()
    known["b"].paper_sheets_baseline_per_year = 12000
    known["b"].save()
    page = client.get(reverse("reports:report"), PERIOD).text
    assert "설정값 — 종이 민원 시절 연간 사용량(기관 정보에 적은 값): 42,000매." in page
