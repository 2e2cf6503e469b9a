"""Manager report pages: the report, its CSV and its PDF, all from one filter."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from forms_catalog.models import FormTemplate
from intake.models import Office
from pdfgen.render import render_plain_pdf
from project.csvexport import excel_csv
from project.parsing import BoundedDateField
from project.types import StaffRequest

from .. import access
from . import casework, charts, export, satisfaction
from . import services as reports
from .models import EquivalenceFactorSet


class ReportFilterForm(forms.Form):
    start = BoundedDateField(label=_("시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = BoundedDateField(label=_("종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    office = forms.ModelChoiceField(Office.objects.none(), label=_("기관"), required=False, empty_label=_("전체 기관"))
    form = forms.ModelChoiceField(
        FormTemplate.objects.none(), label=_("서식"), required=False, empty_label=_("전체 서식")
    )
    factors = forms.ModelChoiceField(
        EquivalenceFactorSet.objects.all(),
        label=_("환산 계수"),
        required=False,
        empty_label=_("기본값"),
    )

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offices = offices
        office_field = self.fields["office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = Office.objects.filter(pk__in=[o.pk for o in offices]).order_by("name")
        form_field = self.fields["form"]
        assert isinstance(form_field, forms.ModelChoiceField)
        form_field.queryset = FormTemplate.objects.filter(offices__in=offices).distinct().order_by("title")
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "목록에 있는 항목을 골라 주세요."
            field.error_messages["invalid"] = "날짜를 2026-01-31 처럼 입력해 주세요."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("시작일이 종료일보다 늦습니다. 시작일을 종료일 이전으로 바꿔 주세요.")
        return data

    def to_filter(self) -> reports.ReportFilter:
        default_start, default_end = reports.default_period(timezone.localdate())
        data = self.cleaned_data
        end = data.get("end") or default_end
        start = data.get("start") or (default_start if end == default_end else end.replace(day=1))
        office = data.get("office")
        template = data.get("form")
        office_ids = (office.pk,) if office else tuple(o.pk for o in self.offices)
        return reports.ReportFilter(start, end, office_ids, template.pk if template else None)


def _report(request: StaffRequest) -> tuple[ReportFilterForm, reports.Report | None]:
    offices = access.get_report_offices(request)
    start, end = reports.default_period(timezone.localdate())
    data = request.GET or {"start": start.isoformat(), "end": end.isoformat()}
    form = ReportFilterForm(data, offices=offices)
    if not form.is_valid():
        return form, None
    factors = form.cleaned_data.get("factors")
    return form, reports.build(form.to_filter(), reports.factor_set(factors.pk if factors else None))


def _floats(values: Iterable[Decimal | None]) -> list[float | None]:
    # The charts draw the very figures the tables print (already rounded).
    return [None if v is None else float(v) for v in values]


def _charts(report: reports.Report) -> dict[str, Any]:
    baseline = report.wait_total.baseline_shown
    wait_ref = charts.Reference(float(baseline), "종이 민원 시절 대기 (설정값)") if baseline is not None else None
    return {
        "months": charts.bar_chart(
            chart_id="chart-months",
            title="월별 절감 매수",
            labels=[m.label for m in report.by_month],
            values=[m.sheets for m in report.by_month],
            unit="매",
            reference=charts.Reference(report.annual_projection / 12, "연간 추정 ÷ 12"),
        ),
        "offices": charts.bar_chart(
            chart_id="chart-offices",
            title="기관별 절감 매수",
            labels=[r.label for r in report.by_office],
            values=[r.sheets for r in report.by_office],
            unit="매",
        ),
        "weekday": charts.bar_chart(
            chart_id="chart-weekday",
            title="요일별 대기 시간 중앙값",
            labels=[w.label for w in report.waits["weekday"]],
            values=_floats(w.wait_median_min for w in report.waits["weekday"]),
            unit="분",
            decimals=1,
            reference=wait_ref,
        ),
        "hour": charts.bar_chart(
            chart_id="chart-hour",
            title="시간대별 대기 시간 중앙값",
            labels=[w.label for w in report.waits["hour"]],
            values=_floats(w.wait_median_min for w in report.waits["hour"]),
            unit="분",
            decimals=1,
            reference=wait_ref,
        ),
    }


def _context(form: ReportFilterForm, report: reports.Report | None) -> dict[str, Any]:
    return {
        "form": form,
        "report": report,
        "charts": _charts(report) if report else {},
        "casework": casework.build(report.filter) if report else None,
        "satisfaction": satisfaction.build(report.filter) if report else None,
        "generated_at": timezone.localtime(),
    }


@login_required
@require_GET
def report(request: StaffRequest) -> HttpResponse:
    form, result = _report(request)
    if request.htmx and not request.htmx.boosted:
        # htmx swaps only 2xx responses; the errors are in the swapped form.
        return render(request, "officer_console/reports/report.html#page", _context(form, result))
    return render(request, "officer_console/reports/report.html", _context(form, result), status=200 if result else 400)


def _filename(report: reports.Report, ext: str) -> str:
    return f"paper-report_{report.filter.start:%Y%m%d}-{report.filter.end:%Y%m%d}.{ext}"


@login_required
@require_GET
def report_csv(request: StaffRequest) -> HttpResponse:
    form, result = _report(request)
    if result is None:
        return render(request, "officer_console/reports/report.html", _context(form, None), status=400)
    return excel_csv(export.csv_rows(result, satisfaction.build(result.filter)), _filename(result, "csv"))


@login_required
@require_GET
def report_pdf(request: StaffRequest) -> HttpResponse:
    form, result = _report(request)
    if result is None:
        return render(request, "officer_console/reports/report.html", _context(form, None), status=400)
    context = {**_context(form, result), "for_print": True}
    html = render_to_string("officer_console/reports/report_pdf.html", context, request=request)
    response = HttpResponse(render_plain_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(result, "pdf")}"'
    return response
