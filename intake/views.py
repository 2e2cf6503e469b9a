import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_catalog import schema as form_schema
from project.types import HtmxHttpRequest

from . import qr, services
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
    return Counter.objects.filter(pk=counter_id, office=office).first()


def _raw_values(request: HtmxHttpRequest, schema: form_schema.Schema) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form_schema.input_fields(schema):
        key = f["key"]
        if f.get("type") == "multichoice":
            if key in request.POST or f"{key}__present" in request.POST:
                values[key] = request.POST.getlist(key)
        elif key in request.POST:
            values[key] = request.POST.get(key, "")
    return values


def _form_or_404(office: Office, code: str) -> services.FormContext:
    try:
        return services.resolve_form(office, code)
    except services.FormUnavailable:
        from django.http import Http404

        raise Http404(services.FormUnavailable.message) from None


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
        forms = forms.filter(title__icontains=query) | forms.filter(category__icontains=query)
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
) -> HttpResponse:
    schema = draft.form_version.schema
    fields_by_key = {f["key"]: f for f in form_schema.input_fields(schema)}
    return render(
        request,
        "intake/form.html",
        {
            "office": form.office,
            "template": form.template,
            "version": draft.form_version,
            "sections": form_schema.sections(schema),
            "values": values,
            "errors": errors,
            "error_list": [
                (k, fields_by_key[k].get("label", k), msg) for k, msg in errors.items() if k in fields_by_key
            ],
            "warnings": warnings,
            "draft": draft,
            "counter": _counter_for(request, form.office),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@keep_post_when_database_down
def form_page(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    form = _form_or_404(office, code)
    counter = _counter_for(request, office)
    draft = services.get_or_start_draft(resident_key=_resident_key(request), form=form, counter=counter)
    if request.method == "GET":
        return _form_page(request, form, draft, services.draft_values(draft), {}, {})

    try:
        idempotency_key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        idempotency_key = draft.idempotency_key
    # The key from the page, not the current draft: a resubmit of an old page
    # (back button, retry) must find the submission that page already made.
    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return redirect("intake:ticket", token=existing.public_token)

    raw = _raw_values(request, draft.form_version.schema)
    services.save_draft(draft, raw)
    upload_errors = services.attach_uploads(draft, request.FILES)
    if upload_errors:
        values = services.draft_values(draft)
        result = form_schema.validate(draft.form_version.schema, values)
        return _form_page(request, form, draft, values, {**result.errors, **upload_errors}, result.warnings)
    try:
        submission, _ = services.submit(
            form=form,
            version=draft.form_version,
            raw_values=services.draft_values(draft),
            idempotency_key=draft.idempotency_key,
            counter=counter,
            draft=draft,
        )
    except services.InvalidSubmission as exc:
        values = services.draft_values(draft)
        result = form_schema.validate(draft.form_version.schema, values)
        return _form_page(
            request, form, draft, values, exc.errors, result.warnings, status=422 if request.htmx else 200
        )
    return redirect("intake:ticket", token=submission.public_token)


@require_POST
def field_check(request: HtmxHttpRequest, slug: str, code: str, key: str) -> HttpResponse:
    """htmx: validate one field on leaving it, and autosave the whole draft."""
    office = get_object_or_404(Office, slug=slug)
    form = _form_or_404(office, code)
    draft = services.get_or_start_draft(
        resident_key=_resident_key(request), form=form, counter=_counter_for(request, office)
    )
    schema = draft.form_version.schema
    f = form_schema.get_field(schema, key)
    if f is None:
        return HttpResponse(status=404)
    services.save_draft(draft, _raw_values(request, schema))
    values = services.draft_values(draft)
    _, error, warning = form_schema.validate_field(schema, key, values.get(key), values)
    return render(
        request,
        "intake/form.html#field",
        {
            "field": f,
            "values": values,
            "errors": {key: error} if error else {},
            "warnings": {key: warning} if warning else {},
            "office": office,
            "template": form.template,
        },
    )


def _ticket_context(submission: Submission) -> dict[str, Any]:
    return {
        "submission": submission,
        "people_ahead": services.people_ahead(submission),
        "office": submission.office,
    }


@require_GET
def ticket(request: HtmxHttpRequest, token: str) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter"), public_token=token
    )
    template = "intake/ticket.html#status" if request.htmx else "intake/ticket.html"
    return render(request, template, _ticket_context(submission))


@require_GET
def counter_qr(request: HtmxHttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    counter = get_object_or_404(Counter, office__slug=slug, number=number)
    url = qr.counter_url(request, counter)
    if fmt == "svg":
        return HttpResponse(qr.svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.png(url), content_type="image/png")


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    offices = Office.objects.prefetch_related("counters").all()
    if request.user.is_authenticated:
        messages.info(request, "직원용 콘솔은 위쪽 메뉴에 있습니다. (Staff console in the menu above.)")
    return render(request, "intake/home.html", {"offices": offices, "console_url": reverse("officer_console:home")})
