from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from project import parsing
from project.types import HtmxHttpRequest

from . import alerts, notify, preferences, qr, resident, services, ticket_phases, visits
from .models import Counter, Delegation, Office, Submission


@require_GET
def counter_entry(request: HtmxHttpRequest, qr_token: str) -> HttpResponse:
    counter = get_object_or_404(Counter.objects.select_related("office"), qr_token=qr_token)
    request.session["counter_id"] = counter.pk
    resident.resident_key(request)
    return _arrive(request, counter.office, counter)


@require_GET
def lobby_entry(request: HtmxHttpRequest, slug: str, token: str) -> HttpResponse:
    """The lobby's QR code (on the lobby TV and its poster): an arrival without a counter."""
    office = get_object_or_404(Office, slug=slug)
    if not qr.lobby_token_matches(office, token):
        raise Http404("Not this office's lobby code.")
    resident.resident_key(request)
    return _arrive(request, office, None)


def _arrive(request: HtmxHttpRequest, office: Office, counter: Counter | None) -> HttpResponse:
    """At the office: forms this phone filled at home take their tickets now."""
    resident.arrived(request)
    checked_in = services.check_in_arrivals(office, resident.pre_arrival_tokens(request), counter)
    if not checked_in:
        return redirect("intake:office", slug=office.slug)
    numbers = ", ".join(str(s.ticket_number) for s in checked_in)
    messages.success(request, _("도착을 확인했습니다. 번호표 %(numbers)s번을 받았습니다.") % {"numbers": numbers})
    return redirect("intake:ticket", token=checked_in[0].public_token)


@require_GET
def office_home(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The office-wide link (posters, the office page): forms filled from here wait for the visit."""
    office = get_object_or_404(Office, slug=slug)
    resident.resident_key(request)
    resident.start_at_home(request, office)
    return redirect("intake:office", slug=office.slug)


@require_GET
def office_forms(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    query = request.GET.get("q", "").strip()
    forms = services.published_forms(office)
    if query:
        forms = (
            forms.filter(title__icontains=query)
            | forms.filter(title_en__icontains=query)
            | forms.filter(category__icontains=query)
        )
    context = {
        "office": office,
        "forms": forms,
        "query": query,
        "counter": resident.counter_for(request, office),
        "at_home": resident.filling_at_home(request, office),
    }
    return render(request, "intake/office.html", context)


# The one-tap rating, best first, as the resident reads it.
RATING_CHOICES = [
    (5, gettext_lazy("매우 만족")),
    (4, gettext_lazy("만족")),
    (3, pgettext_lazy("rating", "보통")),
    (2, gettext_lazy("불만족")),
    (1, gettext_lazy("매우 불만족")),
]


def _ticket_context(submission: Submission, *, whole_page: bool = True) -> dict[str, Any]:
    ahead = services.people_ahead(submission)
    # Only the whole page has the alerts box: the live status part needs no decryption.
    offer = whole_page and submission.is_open and not submission.alert_phone
    form_phone = alerts.form_phone(submission) if offer else ""
    return {
        "submission": submission,
        "phase": ticket_phases.phase_of(submission, ahead),
        "form_phone": form_phone,
        "form_phone_masked": notify.mask_phone(form_phone) if form_phone else "",
        # The language switch comes back to the ticket, also from the alerts POST.
        "preferences_next": reverse("intake:ticket", args=[submission.public_token]),
        "people_ahead": ahead,
        # Counters call by service: how long each line is (the ticket's own is submission.service).
        "service_waits": services.waiting_per_service(submission.office_id, submission.service_date)
        if submission.status == Submission.Status.SUBMITTED
        else [],
        "office": submission.office,
        "correction_fields": services.correction_fields(submission),
        "can_withdraw": services.can_withdraw(submission),
        "rating": services.rating_state(submission),
        "rating_choices": RATING_CHOICES,
        "delegation": Delegation.objects.filter(submission=submission).first(),
    }


def _submission_by_token(token: str) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related(
            "office", "form_version__template", "called_counter", "handled_by", "service"
        ),
        public_token=token,
    )


@require_GET
def ticket(request: HtmxHttpRequest, token: str) -> HttpResponse:
    submission = _submission_by_token(token)
    # Filled at home and not checked in (yet, or ever: withdrawn or expired before the visit);
    # a 대리인's filing made at home shows its 위임 request first, on the ticket page.
    at_home = submission.ticket_number is None and submission.prepared_at is not None
    if at_home and submission.status != Submission.Status.AWAITING_COSIGN:
        return _pre_arrival(request, submission)
    template = "intake/ticket.html#status" if request.htmx else "intake/ticket.html"
    return render(request, template, _ticket_context(submission, whole_page=not request.htmx))


@require_GET
def ticket_slip(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The ticket as an 80 mm receipt-printer slip (print CSS, the browser's print dialog).

    Any submission holding a ticket has one: guide staff print it for a ticket
    without a form, a kiosk for what it took. Its QR code opens the live ticket
    page, so a resident with a phone can follow their turn. `back` (a path on
    this site) is where the page's own link returns, e.g. to issue the next one.
    """
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "service"), public_token=token
    )
    if submission.ticket_number is None:
        raise Http404("No ticket yet.")
    return slip_page(request, submission, parsing.local_url(request, request.GET.get("back")))


def slip_page(request: HtmxHttpRequest, submission: Submission, back: str | None, back_label: str = "") -> HttpResponse:
    """The slip of a submission with a ticket; `back` is where its own link returns."""
    ticket_url = qr.absolute_url(request, reverse("intake:ticket", args=[submission.public_token]))
    context = {
        "submission": submission,
        "office": submission.office,
        "people_ahead": services.people_ahead(submission),
        "ticket_qr": qr.data_uri(ticket_url),
        "back": back,
        "back_label": back_label,
    }
    return render(request, "intake/ticket_slip.html", context)


def _pre_arrival(request: HtmxHttpRequest, submission: Submission) -> HttpResponse:
    """Filled at home: no ticket yet. This phone remembers it, so a QR code at the office checks it in."""
    office = submission.office
    context = {
        **_ticket_context(submission),
        "kept_until": visits.kept_until(submission),
    }
    response = render(request, "intake/ticket_pre_arrival.html", context)
    if submission.status == Submission.Status.PRE_ARRIVAL:
        resident.remember_pre_arrival(request, response, submission.public_token, office.pre_arrival_days)
    return response


@require_POST
def rate(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The one-tap rating after completion (a score button, with the optional comment above it)."""
    submission = _submission_by_token(token)
    comment = request.POST.get("comment", "")
    try:
        services.rate(submission.pk, request.POST.get("score", ""), comment)
    except services.RatingRefused as exc:
        if exc.code in ("invalid_score", "comment_too_long"):
            # Back to the page with the comment as typed and what to fix.
            context = {**_ticket_context(submission), "rating_error": exc.message, "rating_comment": comment}
            return render(request, "intake/ticket.html", context, status=422)
        messages.info(request, exc.message)
    else:
        messages.success(request, _("의견을 보내 주셔서 고맙습니다."))
    return redirect("intake:ticket", token=token)


@require_http_methods(["GET", "POST"])
def withdraw(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """취하: a confirmation page (a plain form, no script needed), then the move."""
    submission = _submission_by_token(token)
    if request.method == "POST":
        try:
            services.withdraw(submission.pk)
        except services.ActionRefused as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, _("신청을 취하했습니다."))
        return redirect("intake:ticket", token=token)
    if not services.can_withdraw(submission):
        return redirect("intake:ticket", token=token)
    return render(request, "intake/withdraw.html", {"submission": submission, "office": submission.office})


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
    values = {f.key: ("" if f.is_sensitive else current.get(f.key)) for f in fields}
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = resident.raw_values(request, submission.form_version.form)
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
            "error_list": resident.error_list(submission.form_version.form, errors),
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
    # Where staff land after log-in, as the project's settings name it: intake names no staff URL.
    console_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return render(request, "intake/home.html", {"offices": offices, "console_url": console_url})


@require_POST
def ticket_alerts(request: HtmxHttpRequest, token: str) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter"), public_token=token
    )
    # 이 번호로 받기: the number from the form itself, never sent back by the page.
    raw = alerts.form_phone(submission) if request.POST.get("use_form_phone") else request.POST.get("phone", "")
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
