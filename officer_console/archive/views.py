"""The archive as staff see it: a submission's PDF state, a retry, a manager's day bundle.

pdfgen only renders and stores; who may see which archive is decided here,
on the staff side, through officer_console.access.
"""

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pdfgen import tasks
from pdfgen.bundle import write_bundle
from pdfgen.models import ArchivedDocument
from project import parsing
from project.types import StaffRequest

from .. import access
from ..console.services import log_access
from ..models import AccessLog


def _status(request: StaffRequest, archive: ArchivedDocument) -> HttpResponse:
    context = {
        "archive": archive,
        "download_url": reverse("officer_console:submission_pdf", args=[archive.submission_id]),
    }
    return render(request, "officer_console/archive/status.html#pdf-status", context)


@login_required
@require_GET
def status(request: StaffRequest, submission_id: int) -> HttpResponse:
    return _status(request, access.get_archive_for_officer(request, submission_id))


@login_required
@require_POST
def retry(request: StaffRequest, submission_id: int) -> HttpResponse:
    archive = access.get_archive_for_officer(request, submission_id)
    tasks.retry(archive)
    archive.refresh_from_db()
    if request.htmx:
        return _status(request, archive)
    back = parsing.local_url(request, request.POST.get("next"))
    if back is not None:
        return HttpResponseRedirect(back)
    return redirect("archive:status", submission_id=submission_id)


@login_required
@require_GET
def bundle(request: StaffRequest) -> HttpResponseBase:
    """A day's archive bundle, for an account that both manages and works at the office, with a reason."""
    offices = access.get_bundle_offices(request)
    reason = request.GET.get("reason", "").strip()[:200]
    context: dict[str, Any] = {
        "offices": offices,
        "day": timezone.localdate().isoformat(),
        "error": "",
        "reason": reason,
    }
    if "date" not in request.GET:
        return render(request, "officer_console/archive/bundle.html", context)
    context["day"] = request.GET["date"]
    day = parsing.date(request.GET["date"])
    if day is None:
        context["error"] = "날짜를 2026-11-25 처럼 연-월-일로 입력해 주세요."
        return render(request, "officer_console/archive/bundle.html", context, status=400)
    office = next((o for o in offices if str(o.pk) == request.GET.get("office")), None)
    if office is None:
        raise Http404("No such office for this account.")
    if not reason:
        # Every PDF in it prints the full 주민등록번호: taken, like an unmask, only for a stated reason.
        context["reason_error"] = "내려받는 사유를 입력해 주세요. 예: 기록물 이관"
        return render(request, "officer_console/archive/bundle.html", context, status=400)
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_bundle(target, day, office.pk)
    target.seek(0)
    log_access(
        user=request.user,
        ip=request.META.get("REMOTE_ADDR"),
        action=AccessLog.Action.EXPORT,
        submission=None,
        reason=f"{reason} — archive bundle {office.slug} {day.isoformat()}",
    )
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"archive-{office.slug}-{day.isoformat()}.zip",
        content_type="application/zip",
    )
