"""The report service against known data: exact sums, medians and percentiles.

Percentiles are continuous (percentile_cont / PERCENTILE.INC): h = p·(n−1),
v[⌊h⌋] + (h−⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]). Every expected figure below is worked
out by hand from the data in `known`.
"""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forms_catalog.schema import field_of
from intake import uploads
from officer_console import access
from officer_console.models import EquivalenceFactorSet, Membership
from officer_console.reports import services as reports
from officer_console.reports import waits

from . import factories
from .factories import KST, at


def test_sheets_totals_and_breakdowns(known):
    report = reports.build(known["filter"], reports.factor_set())
    assert (report.total.submissions, report.total.completed, report.total.sheets) == (8, 6, 19)
    assert [(r.label, r.submissions, r.completed, r.sheets) for r in report.by_office] == [
        ("가 구청", 5, 5, 17),
        ("나 주민센터", 3, 1, 2),
    ]
    assert [(r.key, r.sheets) for r in report.by_form] == [(known["x"].template_id, 17), (known["y"].template_id, 2)]
    assert [(r.label, r.sheets) for r in report.by_month] == [
        ("2025-12", 3),
        ("2026-01", 6),
        ("2026-02", 8),
        ("2026-03", 2),
    ]


def test_submissions_split_by_channel_from_the_same_one_scan(known, django_assert_num_queries):
    a, x = known["a"], known["x"]
    ticket = factories.form_version("visit-ticket", paper_sheets=0)
    factories.timed_submission(a, ticket, at("2026-01-07", 10), wait=60, handle=120, channel="ticket")
    factories.timed_submission(a, ticket, at("2026-01-07", 11), channel="ticket")
    factories.timed_submission(a, x, at("2026-01-08", 10), wait=60, handle=60, channel="kiosk")
    report = reports.build(known["filter"], reports.factor_set())
    assert [(r.key, r.label, r.submissions, r.completed, r.sheets) for r in report.by_channel] == [
        ("phone", "휴대전화", 8, 6, 19),
        ("kiosk", "무인 접수기", 1, 1, 3),
        ("assisted", "직원 대신 작성", 0, 0, 0),
        ("ticket", "번호표만", 2, 1, 0),
    ]
    assert (report.total.submissions, report.total.sheets) == (11, 22)
    # The split costs no query of its own: the paper figures are still one grouped scan (plus the version map).
    with django_assert_num_queries(2) as queries:
        reports._paper(known["filter"], known["filter"].start)
    assert sum('"intake_submission"' in q["sql"] for q in queries.captured_queries) == 1


def test_annual_projection_uses_the_last_90_days(known):
    report = reports.build(known["filter"], reports.factor_set())
    # 2026-01-01..2026-03-31 is 90 days holding 16 of the 19 sheets: 16 × 365 / 90 = 64.9.
    assert report.recent_start == datetime.date(2026, 1, 1)
    assert report.recent_sheets == 16
    assert report.annual_projection == 65


def test_equivalents_with_default_and_seocho_factors(known):
    default = reports.factor_set()
    assert default.is_default and default.co2_grams_per_sheet == Decimal("2.88")
    eq = {e.key: e for e in reports.build(known["filter"], default).equivalents}
    assert eq["co2"].period == Decimal("0.05472")  # 19 × 2.88 g
    assert eq["water"].period == Decimal("190")  # 19 × 10 L
    assert eq["trees"].period == Decimal("0.0019")  # 19 / 10,000
    assert eq["trees"].annual == Decimal("0.0065")
    assert "2010" in eq["co2"].source and "국립산림과학원" in eq["pines"].source
    assert "2.88 g" in eq["co2"].factor

    seocho = EquivalenceFactorSet.objects.get(derived=True)
    assert "서초" in seocho.name and "derived" in str(seocho)
    # The claim it is named after: 200,000 sheets ≈ 140 thirty-year pines.
    claim = {e.key: e for e in reports.equivalents(200_000, 200_000, seocho)}
    assert round(claim["pines"].period) == 140


def test_waiting_and_handling_percentiles(known):
    report = reports.build(known["filter"], reports.factor_set())
    total = report.wait_total
    # Waits 60,120,180,240,300,600,900: median h=3 → 240; p90 h=5.4 → 600+0.4·300 = 720.
    assert (total.wait_n, total.wait_median, total.wait_p90) == (7, 240, 720)
    # Handling of completions only (the rejection is left out): 30,60,90,120,150,200.
    assert (total.handle_n, total.handle_median, total.handle_p90) == (6, 105, 175)

    by_office = {w.label: w for w in report.waits["office"]}
    a, b = by_office["가 구청"], by_office["나 주민센터"]
    assert (a.wait_median, a.wait_p90, a.handle_median, a.handle_p90) == (
        180,
        456,
        90,
        138,
    )
    assert (b.wait_n, b.wait_median, b.wait_p90, b.handle_n, b.handle_median) == (2, 600, 840, 1, 200)
    # Compared with each office's paper-era wait: 30 min for A, 20 for B.
    assert (a.baseline_minutes, a.saved_minutes) == (30, 27)
    assert (b.baseline_minutes, b.saved_minutes) == (20, 10)
    # The selection's paper-era wait: baselines weighted by residents called (5 at A, 2 at B).
    assert total.baseline_minutes == pytest.approx((30 * 5 + 20 * 2) / 7)

    weekday = {w.key: w for w in report.waits["weekday"]}
    # Every day the offices open has its row; Wednesday's resident was never called.
    assert list(weekday) == [1, 2, 3, 4, 5]
    assert [w.wait_n for w in weekday.values()] == [4, 3, 0, 0, 0] and weekday[3].wait_median is None
    assert (weekday[1].wait_median, weekday[1].wait_p90) == (180, 282)
    assert (weekday[2].wait_median, weekday[2].wait_p90) == (600, 840)
    hour = {w.key: w for w in report.waits["hour"]}
    assert (hour[9].wait_n, hour[9].wait_median, hour[9].wait_p90) == (5, 180, 660)
    assert (hour[14].wait_median, hour[14].wait_p90) == (420, 564)


def test_filters_by_office_and_form(known):
    f = known["filter"]
    only_b = reports.build(reports.ReportFilter(f.start, f.end, (known["b"].pk,)), reports.factor_set())
    assert (only_b.total.submissions, only_b.total.sheets) == (3, 2)
    only_x = reports.build(
        reports.ReportFilter(f.start, f.end, f.office_ids, known["x"].template_id), reports.factor_set()
    )
    assert (only_x.total.submissions, only_x.total.sheets, only_x.wait_total.wait_median) == (5, 17, 180)
    january = reports.build(
        reports.ReportFilter(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), f.office_ids),
        reports.factor_set(),
    )
    assert (january.total.sheets, january.wait_total.wait_median) == (6, 150)


def test_manager_scope(db, office, other_office):
    manager = factories.officer(office, "manager.one", role=Membership.Role.MANAGER)
    officer = factories.officer(other_office, "officer.two")
    assert access.manager_offices(manager) == [office]
    assert access.manager_offices(officer) == []
    Membership.objects.create(user=manager, office=other_office, role=Membership.Role.MANAGER)
    assert set(access.manager_offices(manager)) == {office, other_office}


def test_paper_sheets_for_counts_attachment_pages(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    schema = {
        "sections": [
            {
                "key": "s",
                "title": "첨부",
                "fields": [
                    {"key": "evidence", "type": "file", "label": "소명자료"},
                    {"key": "photo", "type": "file", "label": "사진"},
                    {"key": "seal", "type": "seal", "label": "도장"},
                ],
            }
        ]
    }
    version = factories.form_version("with-files", paper_sheets=3, schema=schema)
    pdf_meta = uploads.store(field_of({"type": "file"}), SimpleUploadedFile("a.pdf", factories.pdf(4)))
    assert pdf_meta["pages"] == 4
    photo = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(photo, "PNG")
    photo_meta = uploads.store(field_of({"type": "file"}), SimpleUploadedFile("p.png", photo.getvalue()))
    seal_meta = uploads.store(field_of({"type": "seal"}), SimpleUploadedFile("s.png", photo.getvalue()))
    o = factories.office(forms=[version])
    submission = factories.timed_submission(o, version, at("2026-01-05", 9))
    submission.data = {"evidence": pdf_meta, "photo": photo_meta, "seal": seal_meta}
    # 3 form sheets + 4 PDF pages + 1 photo; the seal image replaces a stamp, not a copy.
    assert reports.paper_sheets_for(submission) == 8
    submission.data = {}
    assert reports.paper_sheets_for(submission) == 3


def test_broken_pdf_upload_is_refused_in_korean(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(uploads.FieldError) as exc:
        uploads.store(field_of({"type": "file"}), SimpleUploadedFile("a.pdf", b"%PDF-1.4 garbage"))
    assert "PDF" in exc.value.message


def test_figures_survive_the_purge_of_personal_data(known):
    before = reports.build(known["filter"], reports.factor_set())
    from intake.models import Submission

    Submission.objects.update(data={}, sensitive_data="", personal_data_purged_at=datetime.datetime.now(tz=KST))
    after = reports.build(known["filter"], reports.factor_set())
    assert (after.total.sheets, after.wait_total.wait_median) == (before.total.sheets, before.wait_total.wait_median)
    assert after.total.sheets == 19


def test_later_template_edit_does_not_change_past_figures(known):
    known["x"].paper_sheets = 50
    known["x"].save()
    assert reports.build(known["filter"], reports.factor_set()).total.sheets == 19


def test_local_hour_and_weekday_follow_the_time_zone_across_dst(known):
    # 09:00 and 14:00 in Seoul are 01:00 and 06:00 in Berlin in winter; summer time
    # starts there on 2026-03-29, inside the period, so no fixed offset applies.
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    f = known["filter"]
    winter = reports.ReportFilter(f.start, datetime.date(2026, 2, 28), f.office_ids)
    with timezone.override(berlin):
        assert waits.fixed_utc_offset(winter) == 3600
        assert waits.fixed_utc_offset(f) is None
        for period in (winter, f):
            report = reports.build(period, reports.factor_set())
            assert [w.key for w in report.waits["hour"] if w.wait_n] == [1, 6]
            assert [w.key for w in report.waits["weekday"] if w.wait_n] == [1, 2]
    assert waits.fixed_utc_offset(f) == 9 * 3600


def test_default_period_is_twelve_calendar_months():
    assert reports.default_period(datetime.date(2026, 1, 15)) == (datetime.date(2025, 2, 1), datetime.date(2026, 1, 15))
    assert reports.default_period(datetime.date(2026, 12, 31)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
