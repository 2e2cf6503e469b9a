"""A day's submissions for batch entry into the back office (새올 and the like), as CSV or JSON.

Each row carries the values of the form's back-office mapping (officer_console/backoffice.py).
An export holds residents' data: it takes a reason, and each submission exported is in the access
log as an `export` with it; personal numbers stay masked unless the officer asks for them in full.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from project import parsing
from project.types import StaffRequest

from .. import access, backoffice
from ..models import AccessLog
from . import services

FORMATS = {"csv": "CSV (엑셀)", "json": "JSON"}


@login_required
@require_http_methods(["GET", "POST"])
def day_export(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    data = request.POST if request.method == "POST" else request.GET
    values: dict[str, Any] = {
        "date": data.get("date") or timezone.localdate().isoformat(),
        "form": data.get("form", ""),
        "fmt": data.get("fmt", "csv"),
        "reason": data.get("reason", "").strip(),
        "full": data.get("full") == "1",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        day = parsing.date(values["date"])
        if day is None:
            errors["date"] = "날짜를 2026-01-31처럼 적어 주세요."
        if values["fmt"] not in FORMATS:
            errors["fmt"] = "CSV나 JSON 중에서 골라 주세요."
        if not values["reason"]:
            errors["reason"] = "내보내는 사유를 적어 주세요. 접근 기록에 남습니다."
        if day is not None and not errors:
            submissions = list(backoffice.day_submissions(office, day, values["form"]))
            kind = "전체" if values["full"] else "마스킹"
            for submission in submissions:
                services.log_access(
                    user=request.user,
                    ip=request.META.get("REMOTE_ADDR"),
                    action=AccessLog.Action.EXPORT,
                    submission=submission,
                    reason=f"행정시스템 일괄 입력 ({kind}): {values['reason']}"[:1000],
                )
            records = backoffice.export_records(submissions, unmasked=values["full"])
            filename = f"minwon-{office.slug}-{day.isoformat()}.{values['fmt']}"
            if values["fmt"] == "json":
                return backoffice.export_json(records, filename)
            return backoffice.export_csv(records, filename)
    return render(
        request,
        "officer_console/backoffice_export.html",
        {
            "office": office,
            "values": values,
            "errors": errors,
            "formats": FORMATS,
            "forms": office.forms.order_by("title"),
        },
        status=422 if errors else 200,
    )
