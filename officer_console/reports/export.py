"""The report as spreadsheet rows (the CSV download)."""

from typing import Any

from .satisfaction import Satisfaction
from .services import Report
from .waits import to_minutes


def _minutes(seconds: float | None) -> str:
    minutes = to_minutes(seconds)
    return "" if minutes is None else str(minutes)


def csv_rows(report: Report, satisfaction: Satisfaction | None = None) -> list[list[Any]]:
    """The report as spreadsheet rows: a header block, then one titled table per breakdown."""
    rows = _paper_rows(report) + _equivalent_rows(report) + _wait_rows(report)
    return rows + (_satisfaction_rows(satisfaction) if satisfaction is not None else [])


def _paper_rows(report: Report) -> list[list[Any]]:
    f, fs = report.filter, report.factors
    rows: list[list[Any]] = [
        ["종이 절감·대기 시간 보고서"],
        ["기간", f.start.isoformat(), f.end.isoformat()],
        ["기관", report.office_label],
        ["환산 계수", str(fs)],
        [],
        ["구분", "항목", "접수", "처리 완료", "절감 매수"],
        ["합계", "", report.total.submissions, report.total.completed, report.total.sheets],
    ]
    for title, items in (
        ("기관", report.by_office),
        ("서식", report.by_form),
        ("월", report.by_month),
        ("접수 경로", report.by_channel),
    ):
        rows += [[title, r.label, r.submissions, r.completed, r.sheets] for r in items]
    return rows


def _equivalent_rows(report: Report) -> list[list[Any]]:
    f = report.filter
    rows: list[list[Any]] = [
        [],
        ["연간 추정", report.annual_projection, f"최근 {report.recent_start}–{f.end} 기준"],
        [],
        ["환산", "기간", "연간 추정", "단위", "계수", "출처"],
    ]
    rows += [[e.label, f"{e.period:.2f}", f"{e.annual:.2f}", e.unit, e.factor, e.source] for e in report.equivalents]
    return rows


def _wait_rows(report: Report) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [],
        [
            "구분",
            "항목",
            "호출 건수",
            "대기 중앙값(분)",
            "대기 90백분위(분)",
            "처리 건수",
            "처리 중앙값(분)",
            "처리 90백분위(분)",
            "종이 시절 대기(분, 설정값)",
        ],
    ]
    wait_sections = [("대기·처리 합계", [report.wait_total])] + [
        (f"대기·처리 {name}", report.waits[dim])
        for name, dim in (
            ("기관", "office"),
            ("서식", "form"),
            ("요일", "weekday"),
            ("시간대", "hour"),
        )
    ]
    for title, wait_rows in wait_sections:
        rows += [
            [
                title,
                w.label,
                w.wait_n,
                _minutes(w.wait_median),
                _minutes(w.wait_p90),
                w.handle_n,
                _minutes(w.handle_median),
                _minutes(w.handle_p90),
                "" if w.baseline_shown is None else str(w.baseline_shown),
            ]
            for w in wait_rows
        ]
    return rows


def _satisfaction_rows(satisfaction: Satisfaction) -> list[list[Any]]:
    def line(title: str, r: Any) -> list[Any]:
        rate = "" if r.rate is None else f"{r.rate:.1f}"
        mean = "" if r.mean is None else f"{r.mean:.2f}"
        return [title, r.label, r.ratings, r.satisfied, rate, mean]

    rows: list[list[Any]] = [
        [],
        [
            "구분 (breakdown)",
            "항목 (item)",
            "응답 (ratings)",
            "만족·매우 만족 (satisfied)",
            "만족률 % (satisfaction rate)",
            "평균 1–5 (mean score)",
        ],
        line("만족도 합계 (satisfaction total)", satisfaction.total),
    ]
    for _name, title, items in satisfaction.sections:
        rows += [line(f"만족도 {title}", r) for r in items]
    return rows
