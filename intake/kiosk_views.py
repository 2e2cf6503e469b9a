"""The kiosk's own pages: its start page (the office's forms), the ticket shown large, and the wipe.

The forms themselves are the phone's pages (form_views), fenced by intake.kiosk.KioskMiddleware.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from project.types import HtmxHttpRequest

from . import estimates, kiosk, preferences, services, views
from .models import KioskDevice, Submission


def _device_or_stop_page(request: HtmxHttpRequest, token: str) -> KioskDevice | HttpResponse:
    """The device of this address, or the 사용 중지 page (and nobody's session left behind).

    The device keeps its cookie: every resident page on it leads back here, so a revoked
    kiosk does not turn into an ordinary browser with the site's other pages."""
    device = kiosk.device_for_token(token)
    if device is not None and not device.is_revoked:
        request.kiosk_device = device  # type: ignore[attr-defined]
        return device
    kiosk.wipe(request)
    return render(request, "intake/kiosk/stopped.html", {"device": device}, status=410 if device else 404)


@require_GET
def kiosk_start(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The start page: the office's forms in large text, for the resident at the kiosk now."""
    device = _device_or_stop_page(request, token)
    if isinstance(device, HttpResponse):
        return device
    if request.COOKIES.get(kiosk.DEVICE_COOKIE) != token or kiosk.needs_new_resident(request):
        # The address opened on this device for the first time (whoever used its browser before,
        # staff included, is logged out), or a resident left: start afresh, then show the page
        # with the new resident's defaults.
        kiosk.start_fresh(request)
        response = redirect("intake:kiosk_start", token=token)
        response.set_cookie(
            kiosk.DEVICE_COOKIE,
            token,
            max_age=kiosk.DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    # Back on the start page with no ticket to show any more.
    request.session.pop(kiosk.TICKET, None)
    kiosk.drop_untouched_drafts(request)
    kiosk.touch(request)
    context = {
        "office": device.office,
        "device": device,
        "forms": services.published_forms(device.office),
        "waiting": estimates.waits_per_service(device.office_id),
        # A language or display the resident chose here goes too when they walk away (kiosk.js).
        "display_changed": preferences.read(request) != preferences.Preferences(text_size=settings.KIOSK_TEXT_SIZE),
    }
    return render(request, "intake/kiosk/start.html", context)


@require_POST
def kiosk_reset(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """처음으로, the idle countdown's end, the ticket page's time out: the next resident starts here."""
    device = _device_or_stop_page(request, token)
    if isinstance(device, HttpResponse):
        return device
    kiosk.start_fresh(request)
    return redirect("intake:kiosk_start", token=token)


@require_POST
def kiosk_alive(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """계속하기 on the idle prompt: the resident is still here (the server's idle clock restarts)."""
    device = _device_or_stop_page(request, token)
    if isinstance(device, HttpResponse):
        return device
    if request.session.get(kiosk.RESIDENT) is not None and not kiosk.idle_over(request):
        kiosk.touch(request)
    return HttpResponse(status=204)


def _ticket_on_show(request: HtmxHttpRequest, token: str) -> tuple[KioskDevice, Submission] | HttpResponse:
    """The device and the ticket it shows now, or where to go instead (the stop or the start page)."""
    device = _device_or_stop_page(request, token)
    if isinstance(device, HttpResponse):
        return device
    submission = kiosk.ticket_on_show(request)
    if submission is None or submission.office_id != device.office_id:
        return redirect("intake:kiosk_start", token=token)
    return device, submission


@require_GET
def kiosk_ticket(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The ticket just taken, large, for a while; then (or on a tap) the start page."""
    shown = _ticket_on_show(request, token)
    if isinstance(shown, HttpResponse):
        return shown
    device, submission = shown
    context = {
        "office": device.office,
        "device": device,
        "submission": submission,
        "people_ahead": services.people_ahead(submission) if submission.ticket_number else None,
        "ticket_seconds": settings.KIOSK_TICKET_SECONDS,
        "slip_url": reverse("intake:kiosk_ticket_slip", args=[token]),
    }
    return render(request, "intake/kiosk/ticket.html", context)


@require_GET
def kiosk_ticket_slip(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The ticket on show as an 80 mm slip, for a kiosk with a receipt printer; only while it is on show."""
    shown = _ticket_on_show(request, token)
    if isinstance(shown, HttpResponse):
        return shown
    submission = shown[1]
    if submission.ticket_number is None:  # a 대리인's filing: no number until the 위임자 signs
        return redirect("intake:kiosk_ticket", token=token)
    back = reverse("intake:kiosk_ticket", args=[token])
    return views.slip_page(request, submission, back, back_label=_("돌아가기"))
