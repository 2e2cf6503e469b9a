from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from forms_catalog import schema as form_schema
from intake import services as intake_services
from intake.models import Counter, Office, Submission
from pdfgen.models import ArchivedDocument
from project.types import StaffRequest

from . import services
from .models import AccessLog


def _client_ip(request: StaffRequest) -> str | None:
    # Behind the documented proxy REMOTE_ADDR is the proxy; it sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


def _get_office_for_officer(request: StaffRequest, office_id: int) -> Office:
    office = get_object_or_404(Office, pk=office_id)
    if not services.can_access_office(request.user, office.pk):
        raise Http404("No such office for this account.")
    return office


def _get_submission_for_officer(request: StaffRequest, pk: int) -> Submission:
    """The submission, if it belongs to one of the officer's offices; 404 otherwise.

    404 rather than 403 so a curious account cannot learn which ids exist.
    """
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter", "handled_by"), pk=pk
    )
    if not services.can_access_office(request.user, submission.office_id):
        raise Http404("No such submission for this account.")
    return submission


def _selected_counter(request: StaffRequest, office: Office) -> Counter | None:
    counter_id = request.session.get(f"counter_for_office_{office.pk}")
    return Counter.objects.filter(pk=counter_id, office=office).first() if counter_id else None


@login_required
@require_GET
def home(request: StaffRequest) -> HttpResponse:
    offices = services.offices_for(request.user)
    if len(offices) == 1:
        return redirect("officer_console:console", office_id=offices[0].pk)
    if not offices and not request.user.is_staff:
        raise PermissionDenied("이 계정은 소속 기관이 없습니다. 관리자에게 문의하세요.")
    return render(request, "officer_console/home.html", {"offices": offices})


@login_required
@require_GET
def console(request: StaffRequest, office_id: int) -> HttpResponse:
    office = _get_office_for_officer(request, office_id)
    return render(
        request,
        "officer_console/console.html",
        {
            "office": office,
            "queue": intake_services.open_queue(office.pk),
            "counters": office.counters.all(),
            "counter": _selected_counter(request, office),
        },
    )


@login_required
@require_POST
def choose_counter(request: StaffRequest, office_id: int) -> HttpResponse:
    office = _get_office_for_officer(request, office_id)
    counter = Counter.objects.filter(office=office, pk=request.POST.get("counter") or 0).first()
    if counter is not None:
        request.session[f"counter_for_office_{office.pk}"] = counter.pk
    return redirect("officer_console:console", office_id=office.pk)


def _display_rows(submission: Submission, values: dict[str, Any], unmasked: bool) -> list[dict[str, Any]]:
    schema = submission.form_version.schema
    shown = form_schema.visible(schema, values)
    sections = []
    for section in form_schema.sections(schema):
        rows = []
        for f in section.get("fields", []):
            key = f.get("key", "")
            if f.get("type") == "guidance" or key not in shown:
                continue
            value = values.get(key)
            if form_schema.is_sensitive(f) and value and not unmasked:
                value = form_schema.mask(f, value)
            rows.append({"key": key, "label": f.get("label", key), "type": f.get("type"), "value": value})
        if rows:
            sections.append({"title": section.get("title", ""), "rows": rows})
    return sections


@login_required
@require_GET
def submission_detail(request: StaffRequest, pk: int) -> HttpResponse:
    submission = _get_submission_for_officer(request, pk)
    services.log_access(user=request.user, ip=_client_ip(request), action=AccessLog.Action.VIEW, submission=submission)
    values = intake_services.submission_values(submission)
    archive = ArchivedDocument.objects.filter(submission=submission).first()
    context = {
        "submission": submission,
        "sections": _display_rows(submission, values, unmasked=False),
        "archive": archive,
        "office": submission.office,
    }
    template = "officer_console/submission.html#detail" if request.htmx else "officer_console/submission.html"
    return render(request, template, context)


@login_required
@require_POST
def submission_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    submission = _get_submission_for_officer(request, pk)
    user = request.user
    try:
        if action == "call":
            services.call(submission.pk, user, _selected_counter(request, submission.office))
        elif action == "complete":
            services.complete(submission.pk, user)
        elif action == "reject":
            services.reject(submission.pk, user, request.POST.get("reason", ""))
        else:
            raise Http404("Unknown action.")
    except services.StaffActionError as exc:
        messages.error(request, exc.message)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_POST
def call_next(request: StaffRequest, office_id: int) -> HttpResponse:
    office = _get_office_for_officer(request, office_id)
    user = request.user
    try:
        submission = services.call_next(office.pk, user, _selected_counter(request, office))
    except services.StaffActionError as exc:
        messages.info(request, exc.message)
        return redirect("officer_console:console", office_id=office.pk)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_GET
def submission_pdf(request: StaffRequest, pk: int) -> HttpResponseBase:
    submission = _get_submission_for_officer(request, pk)
    archive = ArchivedDocument.objects.filter(submission=submission).exclude(file="").first()
    if archive is None:
        raise Http404("PDF가 아직 준비되지 않았습니다. 잠시 후 다시 시도해 주세요.")
    services.log_access(
        user=request.user, ip=_client_ip(request), action=AccessLog.Action.DOWNLOAD, submission=submission
    )
    return FileResponse(
        archive.file.open("rb"),
        as_attachment=True,
        filename=f"{submission.reference}.pdf",
        content_type="application/pdf",
    )
