import io
import itertools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_catalog import schema as form_schema
from intake import qr
from intake import services as intake_services
from intake.crypto import DecryptionError
from intake.models import Counter, Office, Submission
from pdfgen import storage as archive_storage
from pdfgen.models import ArchivedDocument
from pdfgen.posters import posters_pdf
from project import parsing
from project.csvexport import excel_csv
from project.types import StaffRequest

from .. import access, backoffice
from ..models import AccessLog, FieldEdit, Review
from . import actions, assisted, casework, checkview, mirror, services


def _client_ip(request: StaffRequest) -> str | None:
    # project.proxy.ForwardedHeadersMiddleware has put the client's address
    # here, taken from forwarded headers only when a trusted proxy sent them.
    return request.META.get("REMOTE_ADDR")


COUNTER_COOKIE_AGE = 60 * 60 * 24 * 365


def _counter_cookie(office: Office) -> str:
    return f"counter_{office.pk}"


def _selected_counter(request: StaffRequest, office: Office) -> Counter | None:
    """The counter this browser sits at: from the session, else the browser's signed cookie.

    The cookie outlives log-out, so the PC at counter 3 stays counter 3 whoever logs in.
    """
    counter_id = request.session.get(f"counter_for_office_{office.pk}") or request.get_signed_cookie(
        _counter_cookie(office), default=None, salt="counter"
    )
    return _office_counter(office, counter_id)


@login_required
@require_GET
def home(request: StaffRequest) -> HttpResponse:
    offices, managed = access.get_offices_for_staff(request)
    if len(offices) == 1 and not managed:
        return redirect("officer_console:console", office_id=offices[0].pk)
    return render(request, "officer_console/home.html", {"offices": offices, "managed": managed})


@login_required
@require_GET
def console(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    counter = _selected_counter(request, office)
    if counter is not None:
        # Back at the queue, nothing is open: the resident's screen goes idle.
        services.idle_mirror(counter)
    status = request.GET.get("status", "")
    form_code = request.GET.get("form", "")
    queue = [
        s
        for s in intake_services.open_queue(office.pk)
        if (not status or s.status == status) and (not form_code or s.form_version.template.code == form_code)
    ]
    return render(
        request,
        "officer_console/console.html",
        {
            "office": office,
            "queue": queue,
            "counters": office.counters.all(),
            "counter": counter,
            "status_filter": status,
            "form_filter": form_code,
            "statuses": [(v, label) for v, label in Submission.Status.choices if v in Submission.QUEUE_STATUSES],
            "forms": office.forms.order_by("title"),
            "is_manager": access.manages(request.user, office.pk),
            "resync_seconds": settings.CONSOLE_RESYNC_SECONDS,
            # The officer's 대신 작성 not filed yet, to go back to.
            "assisted": assisted.open_entries(office, request.user),
        },
    )


@login_required
@require_POST
def choose_counter(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    counter = _office_counter(office, request.POST.get("counter"))
    response = redirect("officer_console:console", office_id=office.pk)
    if counter is not None:
        request.session[f"counter_for_office_{office.pk}"] = counter.pk
        response.set_signed_cookie(
            _counter_cookie(office),
            str(counter.pk),
            salt="counter",
            max_age=COUNTER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        messages.success(
            request, f"이 화면은 {counter.number}번 창구입니다. (This console is counter {counter.number}.)"
        )
    return response


@login_required
@require_GET
def submission_detail(request: StaffRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for_officer(request, pk)
    services.log_access(user=request.user, ip=_client_ip(request), action=AccessLog.Action.VIEW, submission=submission)
    counter = _selected_counter(request, submission.office)
    # The resident-facing screen follows what the officer has open.
    if counter is not None and submission.is_open and not request.htmx:
        services.update_mirror(counter, show=True, submission=submission)
    return _render_detail(request, submission, unmasked=False)


def _render_detail(request: StaffRequest, submission: Submission, unmasked: bool, status: int = 200) -> HttpResponse:
    office = submission.office
    review = Review.objects.filter(submission=submission).select_related("id_checked_by").first()
    shown = _shown_fields(submission)
    correction_fields = intake_services.correction_fields(submission)
    sections = mirror.display_sections(submission, unmasked=unmasked)
    on_rows = {row.key for section in sections for row in section.rows}
    context = {
        "submission": submission,
        "sections": sections,
        "signers": mirror.signature_boxes(submission),
        "unmasked": unmasked,
        "archive": ArchivedDocument.objects.filter(submission=submission).first(),
        "office": office,
        "counter": _selected_counter(request, office),
        "counters": office.counters.all(),
        "colleagues": access.colleagues(office).exclude(pk=request.user.pk).order_by("username"),
        "review": review,
        "edits": FieldEdit.objects.filter(submission=submission, by_resident=False),
        "history": submission.events.select_related("actor").all(),
        "prompts": mirror.PROMPTS,
        "input_fields": shown,
        # The fields a correction may ask for: ticked on the form's own rows, the rest (a row of a list) in the panel.
        "pickable": {f.key for f in shown},
        "listed_fields": [f for f in shown if f.key not in on_rows],
        "edit_fields": _edit_fields(submission),
        "correction_fields": correction_fields,
        "asked": {f.key for f in correction_fields},
        "fixes": checkview.resident_fixes(submission, unmasked=unmasked),
        "attachments": checkview.attachments(submission),
        "id_check_required": services.id_check_required(submission),
        "casework": casework.context(submission),
        "backoffice": backoffice.copy_context(submission, unmasked=unmasked),
    }
    template = "officer_console/submission.html#detail" if request.htmx else "officer_console/submission.html"
    return render(request, template, context, status=status)


EDITABLE_TYPES = {"text", "textarea", "address", "phone", "email", "number", "date", "choice", "rrn", "brn"}


def _shown_fields(submission: Submission) -> list[form_schema.Field]:
    """The fields the resident was shown, the ones a correction may ask for."""
    form = submission.form_version.form
    shown = form_schema.visible(form, submission.data)
    return [f for f in form.input_fields if f.key in shown]


def _edit_fields(submission: Submission) -> list[dict[str, Any]]:
    """Inputs for the officer's edit form; personal numbers start empty (typed only to change)."""
    values = submission.data
    rows = []
    for f in submission.form_version.form.input_fields:
        if f.type not in EDITABLE_TYPES:
            continue
        value = "" if f.is_sensitive else values.get(f.key, "")
        rows.append(
            {
                "key": f.key,
                "label": f.label,
                "type": f.type,
                "choices": f.choices,
                "value": value,
                "sensitive": f.is_sensitive,
            }
        )
    return rows


def _office_counter(office: Office, counter_id: object) -> Counter | None:
    """The office's counter with this id (as posted, or kept in the session or cookie), if any."""
    pk = parsing.object_id(counter_id)
    return None if pk is None else Counter.objects.filter(office=office, pk=pk).first()


@login_required
@require_POST
def submission_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    submission = access.get_submission_for_officer(request, pk)
    form_class = actions.ACTIONS.get(action)
    if form_class is None:
        raise Http404("Unknown action.")
    counter = _selected_counter(request, submission.office)
    if form_class.confirm and request.POST.get("confirmed") != "1":
        # Without JavaScript (no dialog): ask once on a page of its own, the reason kept.
        return render(
            request,
            "officer_console/check/confirm.html",
            {
                "submission": submission,
                "action": action,
                "question": form_class.confirm,
                "reason": request.POST.get("reason", ""),
            },
        )
    form = form_class(request.POST, submission=submission, user=request.user, counter=counter)
    try:
        done_message = form.run()
    except services.StaffActionError as exc:
        messages.error(request, exc.message)
    else:
        if done_message:
            messages.success(request, done_message)
        if counter is not None and form.ends_visit:
            services.update_mirror(counter, show=True, submission=None)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_GET
@never_cache
def attachment(request: StaffRequest, pk: int, key: str) -> HttpResponse:
    """An uploaded 위임장, ID copy or photo, shown inline; a PDF page as an image (`?page=n`). Each view is logged."""
    submission = access.get_submission_for_officer(request, pk)
    item = checkview.find_attachment(submission, key)
    page = None
    if item.is_pdf and request.GET.get("page"):
        page = parsing.integer(request.GET["page"], minimum=1, maximum=item.pages)
        if page is None:
            raise Http404("No such page.")
    try:
        body, content_type = checkview.attachment_content(item, page)
    except DecryptionError:
        return HttpResponse("첨부 파일을 열 수 없습니다(변조 또는 키 없음). 관리자에게 알려 주세요.", status=500)
    where = f" {page}쪽" if page else ""
    services.log_access(
        user=request.user,
        ip=_client_ip(request),
        action=AccessLog.Action.VIEW,
        submission=submission,
        reason=f"첨부 열람 (attachment): {item.label}{where}",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def unmask(request: StaffRequest, pk: int) -> HttpResponse:
    """Show personal numbers in full, once, for a stated reason that is logged."""
    submission = access.get_submission_for_officer(request, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, "마스킹 해제 사유를 입력해 주세요. (A reason is required to unmask.)")
        return redirect("officer_console:submission", pk=submission.pk)
    services.log_access(
        user=request.user, ip=_client_ip(request), action=AccessLog.Action.UNMASK, submission=submission, reason=reason
    )
    return _render_detail(request, submission, unmasked=True)


@login_required
@require_POST
def mirror_control(request: StaffRequest, pk: int) -> HttpResponse:
    """The officer points at a field or sends a prompt to the counter's resident screen."""
    submission = access.get_submission_for_officer(request, pk)
    counter = _selected_counter(request, submission.office)
    if counter is None:
        messages.error(request, _("창구를 먼저 고르세요."))
    else:
        kind = request.POST.get("kind", "")
        if kind == "point":
            services.update_mirror(counter, field_key=request.POST.get("field", "")[:64])
        elif kind == "prompt":
            services.update_mirror(counter, prompt=request.POST.get("prompt", ""))
        elif kind == "show":
            services.update_mirror(counter, show=True, submission=submission)
        elif kind == "idle":
            services.update_mirror(counter, show=True, submission=None)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_GET
def mirror_window(request: StaffRequest, counter_id: int) -> HttpResponse:
    counter = access.get_counter_for_staff(request, counter_id)
    context = mirror.mirror_context(counter.pk)
    # The mirror shows the resident's data (masked): watching it is an access like opening the submission.
    services.log_mirror_watch(request.user, _client_ip(request), counter, context["submission"])
    return render(request, "officer_console/mirror.html", context)


@login_required
@require_GET
def lobby(request: StaffRequest, office_id: int) -> HttpResponse:
    # Staff come here for the TV's address; the TV itself needs no log-in.
    office = access.get_office_for_officer(request, office_id)
    return redirect("officer_console:lobby_tv", token=services.lobby_token(office.pk))


@login_required
@require_GET
def posters(request: StaffRequest, office_id: int) -> HttpResponse:
    """All the office's counter posters in one PDF, for staff of that office and admins."""
    office = access.get_office_for_staff(request, office_id)
    response = HttpResponse(posters_pdf(request, office), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qr-posters-{office.slug}.pdf"'
    return response


@require_GET
def lobby_tv(request: HttpRequest, token: str) -> HttpResponse:
    office = get_object_or_404(Office, pk=services.office_for_lobby_token(token) or 0)
    state = mirror.lobby_state(office.pk)
    current, earlier = mirror.split_calls(state["calls"])
    return render(
        request,
        "officer_console/lobby.html",
        {
            "office": office,
            "current": current,
            "earlier": earlier,
            "waiting": state["waiting"],
            "token": token,
            # Forms filled at home check in here too (intake.views.lobby_entry).
            "arrival_qr": qr.data_uri(qr.lobby_url(request, office)),
        },
    )


@login_required
@require_GET
def handoff(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    try:
        submission = services.find_by_handoff(office.pk, request.GET.get("code", ""))
    except services.StaffActionError as exc:
        messages.error(request, exc.message)
        return redirect("officer_console:console", office_id=office.pk)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_GET
def search(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    q = request.GET
    ticket = parsing.integer(q.get("ticket", ""), minimum=0, maximum=10**9)
    errors = []
    if q.get("ticket", "").strip() and ticket is None:
        errors.append(_("번호표는 숫자로 입력해 주세요."))
    for name in ("date_from", "date_to"):
        if q.get(name) and parsing.date(q[name]) is None:
            errors.append(_("날짜는 2024-05-01 형식으로, 2000년부터 2099년 사이로 입력해 주세요."))
    searched = any(q.get(k) for k in ("reference", "ticket", "date_from", "date_to", "form", "status"))
    results = (
        services.search(
            office.pk,
            reference=q.get("reference", ""),
            ticket=ticket,
            date_from=parsing.date(q.get("date_from", "")),
            date_to=parsing.date(q.get("date_to", "")),
            form_code=q.get("form", ""),
            status=q.get("status", ""),
        )[:200]
        if searched and not errors
        else []
    )
    return render(
        request,
        "officer_console/search.html",
        {
            "office": office,
            "q": q,
            "errors": errors,
            "searched": searched,
            "results": results,
            "forms": office.forms.order_by("title"),
            "statuses": Submission.Status.choices,
        },
    )


def _access_log_rows(office: Office, q: Any) -> Any:
    # Entries about this office's submissions, and exports made by its staff.
    rows = (
        AccessLog.objects.filter(
            Q(submission__office=office) | Q(submission__isnull=True, user__memberships__office=office)
        )
        .distinct()
        .order_by("-at")
    )
    if q.get("action"):
        rows = rows.filter(action=q["action"])
    if q.get("user"):
        rows = rows.filter(username__icontains=q["user"])
    day = parsing.date(q.get("date", ""))
    if day is not None:
        rows = rows.filter(at__date=day)
    return rows


@login_required
@require_GET
def access_log(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_manager(request, office_id)
    return render(
        request,
        "officer_console/access_log.html",
        {
            "office": office,
            "rows": _access_log_rows(office, request.GET)[:500],
            "q": request.GET,
            "actions": AccessLog.Action.choices,
        },
    )


@login_required
@require_GET
def access_log_csv(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_manager(request, office_id)
    # Exporting the log is itself an access to who-saw-whose-data: logged too.
    services.log_access(
        user=request.user,
        ip=_client_ip(request),
        action=AccessLog.Action.EXPORT,
        submission=None,
        reason=f"접근 기록 CSV ({office.name}) {request.GET.urlencode()}".strip(),
    )
    header = ["일시 (time)", "계정 (account)", "IP", "행위 (action)", "접수번호 (whose data)", "사유 (reason)"]
    rows = (
        [
            timezone.localtime(row.at).isoformat(),
            row.username,
            row.ip or "",
            row.action,
            row.subject_reference,
            row.reason,
        ]
        for row in _access_log_rows(office, request.GET).iterator()
    )
    return excel_csv(itertools.chain([header], rows), f"access-log-{office.slug}.csv")


@login_required
@require_POST
def call_next(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    user = request.user
    try:
        submission = services.call_next(office.pk, user, _selected_counter(request, office))
    except services.StaffActionError as exc:
        messages.info(request, exc.message)
        return redirect("officer_console:console", office_id=office.pk)
    return redirect("officer_console:submission", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_pdf(request: StaffRequest, pk: int) -> HttpResponseBase:
    """The archived PDF holds the full 주민등록번호: like an unmask, only for a stated reason, logged."""
    submission = access.get_submission_for_officer(request, pk)
    archive = ArchivedDocument.objects.filter(submission=submission).exclude(file="").first()
    if archive is None:
        raise Http404("PDF가 아직 준비되지 않았습니다. 잠시 후 다시 시도해 주세요.")
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        messages.error(request, "PDF 내려받기 사유를 입력해 주세요. (A reason is required to download the PDF.)")
        return redirect("officer_console:submission", pk=submission.pk)
    try:
        pdf = archive_storage.read_pdf(archive)
    except DecryptionError:
        messages.error(request, "보관 PDF를 열 수 없습니다(변조 또는 키 없음). 관리자에게 알려 주세요.")
        return redirect("officer_console:submission", pk=submission.pk)
    services.log_access(
        user=request.user,
        ip=_client_ip(request),
        action=AccessLog.Action.DOWNLOAD,
        submission=submission,
        reason=reason,
    )
    return FileResponse(
        io.BytesIO(pdf), as_attachment=True, filename=f"{submission.reference}.pdf", content_type="application/pdf"
    )
