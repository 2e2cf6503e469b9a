from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from intake.models import Submission
from project.types import StaffRequest

from . import access, services
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
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("pdfgen:status", submission_id=submission_id)
