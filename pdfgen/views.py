import tempfile
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_POST

from intake.models import Office, Submission
from project import parsing
from project.types import StaffRequest

from . import access, services
from .bundle import write_bundle
from .models import ArchivedDocument


def _get_archive_for_staff(request: StaffRequest, submission_id: int) -> ArchivedDocument:
    """The submission's archive row, if the account works at its office; 404 otherwise (ids stay secret)."""
    submission = get_object_or_404(Submission.objects.only("id", "office_id"), pk=submission_id)
    if not access.works_at(request.user, submission.office_id):
        raise Http404("No such submission for this account.")
    return get_object_or_404(ArchivedDocument, submission=submission)


def _status(request: StaffRequest, archive: ArchivedDocument) -> HttpResponse:
    context = {
        "archive": archive,
        "download_url": reverse(settings.PDF_DOWNLOAD_URL_NAME, args=[archive.submission_id]),
    }
    return render(request, "pdfgen/status.html#pdf-status", context)


@login_required
@require_GET
def status(request: StaffRequest, submission_id: int) -> HttpResponse:
    return _status(request, _get_archive_for_staff(request, submission_id))


@login_required
@require_POST
def retry(request: StaffRequest, submission_id: int) -> HttpResponse:
    archive = _get_archive_for_staff(request, submission_id)
    services.retry(archive)
    archive.refresh_from_db()
    if request.htmx:
        return _status(request, archive)
    back = parsing.local_url(request, request.POST.get("next"))
    if back is not None:
        return HttpResponseRedirect(back)
    return redirect("pdfgen:status", submission_id=submission_id)


def _log_export(request: StaffRequest, reason: str) -> None:
    # The console's access log, reached through settings (pdfgen never imports officer_console).
    import_string(settings.PDF_ACCESS_LOGGER)(
        user=request.user, ip=request.META.get("REMOTE_ADDR"), action="export", submission=None, reason=reason
    )


@login_required
@require_GET
def bundle(request: StaffRequest) -> HttpResponseBase:
    """Managers download a day's archive bundle of an office they manage."""
    offices = list(Office.objects.filter(pk__in=access.managed_office_ids(request.user)).order_by("name"))
    if not offices:
        raise PermissionDenied("기록물 꾸러미는 기관 관리자만 내려받을 수 있습니다. (managers only)")
    context: dict[str, Any] = {"offices": offices, "day": timezone.localdate().isoformat(), "error": ""}
    if "date" not in request.GET:
        return render(request, "pdfgen/bundle.html", context)
    context["day"] = request.GET["date"]
    day = parsing.date(request.GET["date"])
    if day is None:
        context["error"] = "날짜를 2026-11-25 처럼 연-월-일로 입력해 주세요."
        return render(request, "pdfgen/bundle.html", context, status=400)
    office = next((o for o in offices if str(o.pk) == request.GET.get("office")), None)
    if office is None:
        raise Http404("No such office for this account.")
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_bundle(target, day, office.pk)
    target.seek(0)
    _log_export(request, f"archive bundle {office.slug} {day.isoformat()}")
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"archive-{office.slug}-{day.isoformat()}.zip",
        content_type="application/zip",
    )


@login_required
@require_GET
def posters(request: StaffRequest, office_id: int) -> HttpResponse:
    """All the office's counter posters in one PDF, for staff of that office and admins."""
    office = get_object_or_404(Office, pk=office_id)
    if not (request.user.is_staff or access.works_at(request.user, office.pk)):
        raise Http404("No such office for this account.")
    from .posters import posters_pdf

    response = HttpResponse(posters_pdf(request, office), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qr-posters-{office.slug}.pdf"'
    return response
