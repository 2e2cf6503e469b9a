import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_catalog import schema as form_schema
from project import parsing
from project.types import HtmxHttpRequest

from . import alerts, flow, i18n, preferences, qr, ratelimit, services
from .models import Counter, Office, Submission
from .resilience import keep_post_when_database_down


def _resident_key(request: HtmxHttpRequest) -> str:
    # Residents have no account: their drafts and tickets belong to this
    # browser's session, via a random key that survives session rotation.
    key = request.session.get("resident_key")
    if not key:
        key = secrets.token_urlsafe(16)
        request.session["resident_key"] = key
    return str(key)


def _counter_for(request: HtmxHttpRequest, office: Office) -> Counter | None:
    counter_id = request.session.get("counter_id")
    if counter_id is None:
        return None
    return services.office_counter(office, counter_id)


def _raw_values(request: HtmxHttpRequest, schema: form_schema.Schema) -> dict[str, Any]:
    raw = form_schema.raw_values_from_post(schema, request.POST)
    for f in form_schema.input_fields(schema):
        # The typed alternative to drawing (keyboard, no JavaScript); a drawn
        # signature wins when both are there.
        typed = request.POST.get(f"{f['key']}__typed", "").strip()
        if f.get("type") == "signature" and typed and not raw.get(f["key"]):
            raw[f["key"]] = services.typed_signature(typed)
    return raw


def _error_list(schema: form_schema.Schema, errors: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, label, message) for the error summary, labels in the page's language."""
    english = not i18n.is_korean_page()
    return [(k, i18n.marked(form_schema.label_for(schema, k, english=english)), msg) for k, msg in errors.items()]


def _office_or_404(slug: str) -> Office:
    office = services.resolve_office(slug)
    if office is None:
        raise Http404
    return office


def _form_or_404(office: Office, code: str) -> services.FormContext:
    try:
        return services.resolve_form(office, code)
    except services.FormUnavailable:
        raise Http404(services.FormUnavailable().message) from None


@require_GET
def counter_entry(request: HtmxHttpRequest, qr_token: str) -> HttpResponse:
    counter = get_object_or_404(Counter.objects.select_related("office"), qr_token=qr_token)
    request.session["counter_id"] = counter.pk
    _resident_key(request)
    return redirect("intake:office", slug=counter.office.slug)


@require_GET
def office_forms(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    query = request.GET.get("q", "").strip()
    forms = office.forms.filter(versions__status="published").distinct().order_by("category", "title")
    if query:
        forms = (
            forms.filter(title__icontains=query)
            | forms.filter(title_en__icontains=query)
            | forms.filter(category__icontains=query)
        )
    return render(
        request,
        "intake/office.html",
        {"office": office, "forms": forms, "query": query, "counter": _counter_for(request, office)},
    )


def _form_page(
    request: HtmxHttpRequest,
    form: services.FormContext,
    draft: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    warnings: dict[str, str],
    status: int = 200,
    alert: str = "",
    step: str = "",
) -> HttpResponse:
    schema = draft.form_version.schema
    all_steps = flow.steps(schema, values)
    index = flow.find(all_steps, step)
    if index is None:
        # No step asked for, or one these answers no longer have: where the resident was.
        index = flow.find(all_steps, draft.step) or 0
    current = all_steps[index] if index < len(all_steps) else None
    services.set_step(draft, current.key if current else flow.REVIEW)
    url = reverse("intake:form", args=[form.office.slug, form.template.code])
    sections = flow.page_sections(schema, values, current)
    return render(
        request,
        "intake/form.html",
        {
            "office": form.office,
            "template": form.template,
            "version": draft.form_version,
            "step": current,
            "review_page": current is None,
            # Came to change one answer from the review page: 다음 goes straight back there.
            "returning": flow.REVIEW in (request.GET.get("from"), request.POST.get("_return")),
            "step_number": index + 1,
            "step_count": len(all_steps) + 1,
            "steps": all_steps,
            "form_url": url,
            "sections": sections,
            # Multipart only where a file can go up: it costs the server
            # several times more to parse than a urlencoded body.
            "uploads": any(
                f.get("type") in form_schema.ATTACHMENT_TYPES for section in sections for f in section.get("fields", [])
            ),
            "review": (
                flow.review_sections(schema, values, all_steps, english=not i18n.is_korean_page())
                if current is None
                else []
            ),
            "sign_off": flow.sign_off_fields(schema, values) if current is None else [],
            "values": form_schema.page_values(schema, values),
            "errors": errors,
            "error_list": [
                (k, label, msg, _field_href(schema, all_steps, current, url, k))
                for k, label, msg in _error_list(schema, errors)
            ],
            "warnings": warnings,
            "alert": alert,
            "draft": draft,
            "counter": _counter_for(request, form.office),
        },
        status=status,
    )


def _field_href(
    schema: form_schema.Schema, all_steps: list[flow.Step], current: flow.Step | None, url: str, key: str
) -> str:
    """A link to a field: on this page an anchor, on another step that step's page."""
    step = flow.step_of(schema, all_steps, key)
    if step == (current.key if current else flow.REVIEW):
        return f"#field-{key}-input"
    return f"{url}?step={step}#field-{key}-input"


def _step_redirect(form: services.FormContext, draft: Any, step: str) -> HttpResponse:
    services.set_step(draft, step)
    url = reverse("intake:form", args=[form.office.slug, form.template.code])
    return redirect(f"{url}?step={step}")


@require_http_methods(["GET", "POST"])
@keep_post_when_database_down
def form_page(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    office = _office_or_404(slug)
    form = _form_or_404(office, code)
    counter = _counter_for(request, office)
    if request.method == "GET":
        # Shared fields are prefilled when a page is shown; a POST only carries them back.
        draft = services.get_or_start_draft(resident_key=_resident_key(request), form=form, counter=counter)
        return _form_page(request, form, draft, services.draft_values(draft), {}, {}, step=request.GET.get("step", ""))

    posted_key = _posted_key(request)
    draft = services.get_or_start_draft(
        resident_key=_resident_key(request), form=form, counter=counter, prefill=False, save=False, key=posted_key
    )
    if posted_key is not None and (draft.pk is None or posted_key != draft.idempotency_key):
        # Not the open draft's own page (that one cannot have submitted yet: a
        # submit closes its draft in the same transaction). A page resent with
        # the back button or after a lost answer must find what it submitted.
        # Only the token: a whole Submission row costs twice the CPU to read.
        token = Submission.objects.filter(idempotency_key=posted_key).values_list("public_token", flat=True).first()
        if token is not None:
            return redirect("intake:ticket", token=token)

    schema = draft.form_version.schema
    posted_step = request.POST.get("_step", "")
    raw = _raw_values(request, schema)
    seq = _seq(request)
    row_action = request.POST.get("_row", "")
    if row_action:
        # Add/remove a row of a repeatable section (세대원): a plain submit
        # button, so it works without JavaScript; the page comes back as is.
        services.save_draft(draft, raw, seq)
        services.change_rows(draft, row_action)
        return _form_page(request, form, draft, services.draft_values(draft), {}, {}, step=posted_step)
    nav = request.POST.get("_nav", "")
    if nav in ("next", "prev") or request.FILES:
        services.save_draft(draft, raw, seq)
        upload_errors = services.attach_uploads(draft, request.FILES)
        values = services.draft_values(draft)
        if nav in ("next", "prev") or upload_errors:
            return _navigate(request, form, draft, values, posted_step, nav, upload_errors)
    else:
        # Not written yet: a successful submit empties the draft anyway. Every
        # other way out below saves it first, so nothing typed is lost.
        values = services.values_with(draft, raw, seq)
    limits = [
        ("client", _resident_key(request), ratelimit.client_limit()),
        ("address", str(request.META.get("REMOTE_ADDR", "")), ratelimit.address_limit()),
    ]
    if counter is not None:
        limits.append(("counter", str(counter.pk), ratelimit.counter_limit()))
    try:
        ratelimit.check_all(limits)
    except ratelimit.RateLimited as exc:
        services.save_draft(draft, raw, seq)
        return _form_page(request, form, draft, values, {}, {}, status=429, alert=exc.message, step=posted_step)
    try:
        submission, created = services.submit(
            form=form,
            version=draft.form_version,
            raw_values=values,
            idempotency_key=draft.idempotency_key,
            counter=counter,
            draft=draft,
        )
    except services.PageKeyTaken as exc:
        draft = services.get_or_start_draft(
            resident_key=_resident_key(request), form=form, counter=counter, prefill=False, save=False
        )
        services.save_draft(draft, raw, seq)
        return _form_page(request, form, draft, values, {}, {}, status=409, alert=str(exc.message), step=posted_step)
    except services.InvalidSubmission as exc:
        services.save_draft(draft, raw, seq)
        # Back to the first step with something to fix, showing that step's errors.
        all_steps = flow.steps(schema, values)
        first = min((flow.find(all_steps, flow.step_of(schema, all_steps, k)) or 0 for k in exc.errors), default=0)
        step = all_steps[first].key if first < len(all_steps) else flow.REVIEW
        result = form_schema.validate(schema, values)
        return _form_page(
            request,
            form,
            draft,
            values,
            # Every problem in the summary, each linked to its step.
            exc.errors,
            result.warnings,
            status=422 if request.htmx else 200,
            step=step,
        )
    if created:
        ratelimit.record_all(limits)
    return redirect("intake:ticket", token=submission.public_token)


def _navigate(
    request: HtmxHttpRequest,
    form: services.FormContext,
    draft: Any,
    values: dict[str, Any],
    posted_step: str,
    nav: str,
    upload_errors: dict[str, str],
) -> HttpResponse:
    """다음/이전: the answers are already saved; 다음 goes on only when this step is right."""
    schema = draft.form_version.schema
    all_steps = flow.steps(schema, values)
    index = flow.find(all_steps, posted_step)
    if index is None:
        # The step disappeared (대리인 no longer chosen): start again from the top.
        index = 0
    result = form_schema.validate(schema, values)
    key = all_steps[index].key if index < len(all_steps) else flow.REVIEW
    errors = {**flow.errors_in(schema, all_steps, key, result.errors), **upload_errors}
    if nav == "prev":
        if upload_errors:
            return _form_page(request, form, draft, values, upload_errors, result.warnings, step=key)
        return _step_redirect(form, draft, all_steps[max(index - 1, 0)].key if all_steps else flow.REVIEW)
    if errors:
        return _form_page(
            request, form, draft, values, errors, result.warnings, status=422 if request.htmx else 200, step=key
        )
    if request.POST.get("_return") == flow.REVIEW:
        # Steps this change added (대리인 chosen) are still checked: submit sends the resident there.
        return _step_redirect(form, draft, flow.REVIEW)
    return _step_redirect(form, draft, all_steps[index + 1].key if index + 1 < len(all_steps) else flow.REVIEW)


@require_POST
def autosave(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """Save the whole page as the draft: typing pauses, leaving the page, and retries after a dropped connection."""
    office = _office_or_404(slug)
    form = _form_or_404(office, code)
    key = _posted_key(request)
    if key is not None and Submission.objects.filter(idempotency_key=key).exists():
        # A late save from a page already submitted must not start a new draft.
        return HttpResponse(status=204)
    # The page was prefilled when shown; a save carries those values back.
    draft = services.get_or_start_draft(
        resident_key=_resident_key(request),
        form=form,
        counter=_counter_for(request, office),
        prefill=False,
        save=False,
        key=key,
    )
    services.save_draft(draft, _raw_values(request, draft.form_version.schema), _seq(request))
    return HttpResponse(status=204)


def _seq(request: HtmxHttpRequest) -> int | None:
    """The page's clock when it sent this save (form.js adds it; a plain POST has none)."""
    return parsing.integer(request.POST.get("_seq"), minimum=0, maximum=10**16)


def _posted_key(request: HtmxHttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None


@require_POST
def field_check(request: HtmxHttpRequest, slug: str, code: str, key: str) -> HttpResponse:
    """htmx: validate one field on leaving it, and autosave the whole draft."""
    office = _office_or_404(slug)
    form = _form_or_404(office, code)
    draft = services.get_or_start_draft(
        resident_key=_resident_key(request), form=form, counter=_counter_for(request, office), prefill=False, save=False
    )
    schema = draft.form_version.schema
    f = form_schema.get_field(schema, key)
    if f is None:
        return HttpResponse(status=404)
    services.save_draft(draft, _raw_values(request, schema), _seq(request))
    values = services.draft_values(draft)
    _, error, warning = form_schema.validate_field(schema, key, form_schema.value_at(values, key), values)
    return render(
        request,
        "intake/form.html#field",
        {
            "field": f,
            "values": form_schema.page_values(schema, values),
            "errors": {key: error} if error else {},
            "warnings": {key: warning} if warning else {},
            "office": office,
            "template": form.template,
        },
    )


# The statuses as a resident reads them (the model's labels are the console's).
STATUS_LABELS: dict[str, str | Promise] = {
    Submission.Status.SUBMITTED: gettext_lazy("접수"),
    Submission.Status.CALLED: gettext_lazy("호출"),
    Submission.Status.CORRECTION: gettext_lazy("보완 요청"),
    Submission.Status.COMPLETED: gettext_lazy("처리 완료"),
    Submission.Status.REJECTED: gettext_lazy("반려"),
    Submission.Status.NO_SHOW: gettext_lazy("부재"),
    Submission.Status.WITHDRAWN: gettext_lazy("취하"),
}


def _ticket_context(submission: Submission) -> dict[str, Any]:
    return {
        "submission": submission,
        "status_label": STATUS_LABELS.get(submission.status, submission.status),
        # The language switch comes back to the ticket, also from the alerts POST.
        "preferences_next": reverse("intake:ticket", args=[submission.public_token]),
        "people_ahead": services.people_ahead(submission),
        "office": submission.office,
        "correction_fields": services.correction_fields(submission),
    }


def _submission_by_token(token: str) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter", "handled_by"),
        public_token=token,
    )


@require_GET
def ticket(request: HtmxHttpRequest, token: str) -> HttpResponse:
    submission = _submission_by_token(token)
    template = "intake/ticket.html#status" if request.htmx else "intake/ticket.html"
    return render(request, template, _ticket_context(submission))


@require_GET
def handoff_qr(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The hand-off code as a QR code: a counter scanner types it into the console."""
    submission = _submission_by_token(token)
    response = HttpResponse(qr.svg(submission.handoff_code), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_http_methods(["GET", "POST"])
def correct(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The resident fixes the fields the officer marked, in the same submission."""
    submission = _submission_by_token(token)
    if submission.status != Submission.Status.CORRECTION:
        messages.info(request, services.NotAwaitingCorrection().message)
        return redirect("intake:ticket", token=token)
    fields = services.correction_fields(submission)
    current = services.submission_values(submission)
    # Personal numbers are typed again rather than shown back on a link.
    values = {f["key"]: ("" if form_schema.is_sensitive(f) else current.get(f["key"])) for f in fields}
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = _raw_values(request, submission.form_version.schema)
        values.update({k: v for k, v in raw.items() if k in values})
        try:
            services.resubmit_correction(submission.pk, raw)
        except services.InvalidSubmission as exc:
            errors = exc.errors
        except services.NotAwaitingCorrection as exc:
            messages.info(request, exc.message)
            return redirect("intake:ticket", token=token)
        else:
            return redirect("intake:ticket", token=token)
    return render(
        request,
        "intake/correct.html",
        {
            "submission": submission,
            "office": submission.office,
            "template": submission.form_version.template,
            "fields": fields,
            "values": values,
            "errors": errors,
            "warnings": {},
            "error_list": _error_list(submission.form_version.schema, errors),
        },
        status=422 if errors and request.htmx else 200,
    )


@require_GET
def counter_qr(request: HtmxHttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    counter = get_object_or_404(Counter, office__slug=slug, number=number)
    url = qr.counter_url(request, counter)
    if fmt == "svg":
        return HttpResponse(qr.svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.png(url), content_type="image/png")


@require_GET
def office_logo(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The office's logo (public, like its name): checked and re-encoded when uploaded."""
    office = get_object_or_404(Office.objects.only("logo"), slug=slug)
    if not office.logo:
        raise Http404("This office has no logo.")
    # Small by construction (at most 800 px, re-encoded on upload): read whole, no file left open.
    with office.logo.open("rb") as f:
        response = HttpResponse(f.read(), content_type=office.logo_content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    offices = Office.objects.prefetch_related("counters").all()
    if request.user.is_authenticated:
        messages.info(request, _("직원용 콘솔은 위쪽 메뉴에 있습니다."))
    return render(request, "intake/home.html", {"offices": offices, "console_url": reverse("officer_console:home")})


@require_POST
def ticket_alerts(request: HtmxHttpRequest, token: str) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter"), public_token=token
    )
    raw = request.POST.get("phone", "")
    try:
        alerts.register_phone(submission, raw)
    except alerts.AlertPhoneInvalid as exc:
        context = {**_ticket_context(submission), "alert_error": exc.message, "alert_input": raw}
        return render(request, "intake/ticket.html", context, status=422)
    return redirect("intake:ticket", token=submission.public_token)


@require_POST
def set_preferences(request: HtmxHttpRequest) -> HttpResponse:
    """The language, contrast and text-size switches on every resident page:
    a plain POST form, so it works without JavaScript, back to the same page."""
    preferences.save(
        request,
        language=request.POST.get("language", ""),
        contrast=request.POST.get("contrast", ""),
        text_size=request.POST.get("text_size", ""),
    )
    # A path, never a view name: redirect() would try to reverse anything else.
    return HttpResponseRedirect(parsing.local_url(request, request.POST.get("next")) or reverse("intake:home"))
