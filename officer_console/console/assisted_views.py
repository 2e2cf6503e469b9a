"""대신 작성: the officer's pages for a form filled in for the resident, and the mirror's sign and refuse.

The form page is the resident's form page (intake/form_views.py, the same
template, steps, checks and saving) in the staff shell, on the entry's own
draft; its last button asks the resident to sign on the counter's mirror.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intake import form_views, resident
from intake.errors import FormUnavailable, InvalidSubmission
from project.types import StaffRequest

from .. import access
from ..models import AssistedEntry
from . import assisted
from .services import StaffActionError
from .views import _selected_counter

E = AssistedEntry.Status


def _url(entry: AssistedEntry) -> str:
    return reverse("officer_console:assisted", args=[entry.pk])


def _page_context(entry: AssistedEntry) -> dict[str, Any]:
    """What makes the resident's form page the officer's: the staff shell, the entry's addresses."""
    return {
        "base_template": "officer_console/base_console.html",
        "staff_entry": True,
        "assisted": entry,
        "check_url": reverse("officer_console:assisted_check", args=[entry.pk, "-"]).removesuffix("-/"),
        "counter": entry.counter,
        # Every step offers a way out: stop (the answers are wiped) or back to the queue (kept there).
        "assisted_cancel_url": reverse("officer_console:assisted_action", args=[entry.pk, "cancel"]),
        "queue_url": reverse("officer_console:console", args=[entry.office_id]),
    }


@login_required
@require_POST
def start(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    try:
        entry = assisted.start(office, request.user, _selected_counter(request, office), request.POST.get("form", ""))
    except (StaffActionError, FormUnavailable) as exc:
        messages.error(request, exc.message)
        return redirect("officer_console:console", office_id=office.pk)
    return redirect(_url(entry))


@login_required
@require_http_methods(["GET", "POST"])
def entry_page(request: StaffRequest, pk: int) -> HttpResponse:
    """Filling in: the form's steps. Afterwards: where it stands (waiting to be signed, filed, stopped)."""
    entry = access.get_assisted_for_officer(request, pk)
    if entry.status != E.FILLING:
        if entry.status == E.SIGNED and entry.submission_id and not request.htmx:
            return redirect("officer_console:submission", pk=entry.submission_id)
        template = "officer_console/assisted/status.html"
        return render(request, template + "#status" if request.htmx else template, {"entry": entry})
    form = assisted.form_of(entry)
    if request.method == "GET":
        return form_views.render_page(
            request,
            form,
            entry.draft,
            step=request.GET.get("step", ""),
            url=_url(entry),
            template="intake/form.html",
            extra=_page_context(entry),
        )
    draft = entry.draft
    page = form_views.PostedPage(
        request,
        form,
        entry.counter,
        draft,
        resident.raw_values(request, draft.form_version.form),
        None,
        request.POST.get("_step", ""),
        url=_url(entry),
        extra=_page_context(entry),
    )
    answered = form_views.step_intent(page)
    if answered is not None:
        return answered
    values, upload_errors = page.save_with_uploads()
    try:
        if upload_errors:
            raise InvalidSubmission(upload_errors)
        assisted.request_signature(entry.pk, request.user)
    except InvalidSubmission as exc:
        return form_views.show_problems(page, values, exc.errors)
    except StaffActionError as exc:
        messages.error(request, exc.message)
    return redirect(_url(entry))


@login_required
@require_POST
def check(request: StaffRequest, pk: int, key: str) -> HttpResponse:
    """A field's check on leaving it, saved into the entry's draft (not the officer's browser's)."""
    entry = access.get_assisted_for_officer(request, pk)
    if entry.status != E.FILLING:
        return HttpResponse(status=409)
    return form_views.field_feedback(request, assisted.form_of(entry), entry.draft, key, extra=_page_context(entry))


@login_required
@require_POST
def officer_action(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    """고치기 (back to the form) or 취소, from the officer's page."""
    entry = access.get_assisted_for_officer(request, pk)
    run = {"reopen": assisted.reopen, "cancel": assisted.cancel}.get(action)
    if run is None:
        return HttpResponse(status=404)
    try:
        run(entry.pk, request.user)
    except StaffActionError as exc:
        messages.error(request, exc.message)
    if action == "cancel":
        messages.info(request, _("대신 작성을 취소했습니다. 입력한 내용은 지웠습니다."))
        return redirect("officer_console:console", office_id=entry.office_id)
    return redirect(_url(entry))


def _mirror_answer(request: StaffRequest, entry: AssistedEntry, problem: str = "", status: int = 200) -> HttpResponse:
    """The mirror posts with fetch (mirror.js) and redraws from its socket: a status and a message suffice."""
    if request.headers.get("X-Mirror"):
        return HttpResponse(problem, status=status if problem else 204, content_type="text/plain; charset=utf-8")
    if problem:
        messages.error(request, problem)
    return redirect("officer_console:mirror", counter_id=entry.counter_id)


@login_required
@require_POST
def sign(request: StaffRequest, pk: int) -> HttpResponse:
    """The resident's signature, drawn on the counter's mirror: the entry is filed now."""
    entry = access.get_assisted_for_officer(request, pk)
    schema = entry.draft.form_version.form
    signed = {f.key: request.POST.get(f.key, "") for f in schema.input_fields if f.type == "signature"}
    try:
        assisted.sign(entry.pk, request.user, signed)
    except StaffActionError as exc:
        return _mirror_answer(request, entry, exc.message, 409 if exc.code == "conflict" else 422)
    except InvalidSubmission as exc:
        return _mirror_answer(request, entry, " / ".join(exc.errors.values()) or str(exc.message), 422)
    return _mirror_answer(request, entry)


@login_required
@require_POST
def refuse(request: StaffRequest, pk: int) -> HttpResponse:
    """The resident does not want it filed (on the mirror)."""
    entry = access.get_assisted_for_officer(request, pk)
    try:
        assisted.refuse(entry.pk, request.user)
    except StaffActionError as exc:
        return _mirror_answer(request, entry, exc.message, 409)
    return _mirror_answer(request, entry)
