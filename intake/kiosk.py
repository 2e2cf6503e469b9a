"""Counter tablets and lobby kiosks: one registered device, many residents one after another.

The device is known by its signed address (`/k/<token>/`, like the lobby TV's), which the device
keeps in a cookie so that every resident page knows it is on a kiosk. Each resident is one
session. Nothing of one resident reaches the next:

- the session (resident key, language, steps) is flushed and the resident's drafts deleted after
  the ticket is shown, after an idle time (the page asks "계속하시겠습니까?" first) and on 처음으로;
  the server wipes an idle resident too, should the page's script not run;
- every page carries its resident's id: a page of an earlier resident (the back button, a late
  autosave) no longer matches and is dropped, never saved into the next resident's draft;
- on the device only the kiosk's pages, its office's forms and their helpers are served: no ticket
  link (`/t/…`), whose address would outlive the resident; the kiosk shows the ticket itself, once;
- every page is `no-store`, and the browser is asked not to remember what was typed.

The forms are the phone's (`intake/form_views.py`): the same pages, validation and submit, with
`channel=kiosk`.
"""

import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from . import preferences, qr, services
from .errors import IntakeError
from .models import Draft, KioskDevice, Office, Submission

SALT = "intake.kiosk"
# The device's own address, kept on the device: outlives every resident's session.
DEVICE_COOKIE = "kiosk_device"
# A year: the device stays a kiosk until it is revoked or its browser data is cleared.
DEVICE_COOKIE_AGE = 365 * 86400
# Session keys of the resident at the kiosk now.
RESIDENT = "kiosk_resident"
SEEN = "kiosk_seen"
TICKET = "kiosk_ticket"
TICKET_UNTIL = "kiosk_ticket_until"
# The server's idle wipe waits this much longer than the page's, so the page's prompt comes first.
SERVER_GRACE_SECONDS = 30

# The kiosk's own pages: they check the device themselves.
KIOSK_VIEWS = frozenset({"kiosk_start", "kiosk_reset", "kiosk_ticket", "kiosk_ticket_slip", "kiosk_alive"})
# A resident's pages of the device's office (the phone's form pages).
FORM_VIEWS = frozenset({"form", "autosave", "field_check"})
# Helpers every page uses, tied to no one resident's data.
OPEN_VIEWS = frozenset({"address_search", "preferences", "office_logo"})
# A page's background saves: an earlier resident's is dropped without a word.
BACKGROUND_VIEWS = frozenset({"autosave", "field_check"})


class KioskRefused(IntakeError):
    code = "kiosk_refused"
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


NAME_REQUIRED = gettext_lazy("접수기 이름을 입력해 주세요. 예: 1층 로비 접수기")
ALREADY_REVOKED = gettext_lazy("이미 사용을 중지한 접수기입니다.")


# --- Devices (the admin's side) -----------------------------------------------


def device_token(device: KioskDevice) -> str:
    """What the device's address carries: signed per device and its registration, so the
    address of one device does not lead to another, nor to a later device of the same number."""
    return signing.Signer(salt=SALT).sign(f"{device.pk}.{int(device.created_at.timestamp())}")


def device_for_token(token: str) -> KioskDevice | None:
    """The registered device of an address (revoked or not), or None for an address never issued."""
    try:
        pk, created = signing.Signer(salt=SALT).unsign(token).split(".")
        device = KioskDevice.objects.select_related("office").get(pk=int(pk))
    except (signing.BadSignature, ValueError, KioskDevice.DoesNotExist):
        return None
    return device if int(device.created_at.timestamp()) == int(created) else None


def device_url(request: HttpRequest | None, device: KioskDevice) -> str:
    """The address to open on the tablet (PUBLIC_BASE_URL behind a proxy)."""
    return qr.absolute_url(request, reverse("intake:kiosk_start", args=[device_token(device)]))


def register_device(office: Office, name: str) -> KioskDevice:
    name = name.strip()
    if not name:
        raise KioskRefused("name_required", str(NAME_REQUIRED))
    return KioskDevice.objects.create(office=office, name=name[:100])


def revoke_device(device_id: int) -> KioskDevice:
    """From now on the device's address shows the 사용 중지 page, and its resident's session goes."""
    with transaction.atomic():
        device = KioskDevice.objects.select_for_update().get(pk=device_id)
        if device.is_revoked:
            raise KioskRefused("already_revoked", str(ALREADY_REVOKED))
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


# --- The resident at the kiosk --------------------------------------------------


def device_of(request: HttpRequest) -> KioskDevice | None:
    """The kiosk this request comes from (set by the middleware or the kiosk's views)."""
    return getattr(request, "kiosk_device", None)


def channel(request: HttpRequest) -> str:
    return Submission.Channel.KIOSK if device_of(request) is not None else Submission.Channel.PHONE


def wipe(request: HttpRequest) -> None:
    """Forget the resident: their drafts (open or closed: no prefill for the next one), their
    session (language, steps, resident key) and any message still waiting to be shown."""
    key = request.session.get("resident_key")
    if key:
        Draft.objects.filter(resident_key=key).delete()
    storage = messages.get_messages(request)
    for _message in storage:
        pass
    request.session.flush()


def drop_untouched_drafts(request: HttpRequest) -> None:
    """Back on the start page: a form opened but left empty (a page the back button brought up
    again included) starts over at its first step when chosen again."""
    key = request.session.get("resident_key")
    if not key:
        return
    for draft in Draft.objects.filter(resident_key=key, submission=None):
        if not any(v not in ("", None, [], {}) for v in services.draft_values(draft).values()):
            draft.delete()


def begin(request: HttpRequest) -> None:
    """A new resident: a fresh session with the kiosk's defaults (large text)."""
    request.session[RESIDENT] = secrets.token_urlsafe(12)
    request.session[SEEN] = time.time()
    preferences.save(request, text_size=settings.KIOSK_TEXT_SIZE)


def start_fresh(request: HttpRequest) -> None:
    wipe(request)
    begin(request)


def finish(request: HttpRequest, submission: Submission) -> HttpResponse:
    """After submitting: the resident is wiped at once; the new session only shows their
    ticket, on the kiosk's ticket page, for a while (then the device goes back to the start)."""
    device = device_of(request)
    assert device is not None
    start_fresh(request)
    request.session[TICKET] = submission.pk
    request.session[TICKET_UNTIL] = time.time() + settings.KIOSK_TICKET_SECONDS + SERVER_GRACE_SECONDS
    return redirect("intake:kiosk_ticket", token=device_token(device))


def ticket_on_show(request: HttpRequest) -> Submission | None:
    pk = request.session.get(TICKET)
    if pk is None or float(request.session.get(TICKET_UNTIL, 0)) < time.time():
        return None
    return (
        Submission.objects.select_related("office", "form_version__template", "called_counter")
        .filter(pk=pk, channel=Submission.Channel.KIOSK)
        .first()
    )


def touch(request: HttpRequest) -> None:
    request.session[SEEN] = time.time()


def idle_over(request: HttpRequest) -> bool:
    """Longer idle than the page's prompt and countdown allow: the page's script did not wipe it."""
    limit = settings.KIOSK_IDLE_SECONDS + settings.KIOSK_COUNTDOWN_SECONDS + SERVER_GRACE_SECONDS
    return time.time() - float(request.session.get(SEEN, 0)) > limit


def needs_new_resident(request: HttpRequest) -> bool:
    return request.session.get(RESIDENT) is None or idle_over(request)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: `kiosk` on the device's pages (the header, the idle prompt, kiosk.js)."""
    device = device_of(request)
    if device is None:
        return {"kiosk": None}
    token = device_token(device)
    return {
        "kiosk": {
            "device": device,
            "resident": request.session.get(RESIDENT, ""),
            "start_url": reverse("intake:kiosk_start", args=[token]),
            "reset_url": reverse("intake:kiosk_reset", args=[token]),
            "alive_url": reverse("intake:kiosk_alive", args=[token]),
            "idle_seconds": settings.KIOSK_IDLE_SECONDS,
            "countdown_seconds": settings.KIOSK_COUNTDOWN_SECONDS,
        }
    }


class KioskMiddleware:
    """On a kiosk device, serves only what a kiosk resident may reach, for the resident there now.

    Before PreferencesMiddleware: a new resident's defaults (large text, Korean) apply to the very
    page that starts them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = request.COOKIES.get(DEVICE_COOKIE, "")
        match = _intake_view(request) if token else None
        if match is None:
            return self.get_response(request)
        try:
            fenced = self._fence(request, token, match)
        except DatabaseError:
            # The database is down: no one's data can be read, and the form page answers a POST
            # with the "아직 접수되지 않았습니다" page (intake/resilience.py) rather than an error.
            fenced = None
        response = fenced or self.get_response(request)
        # Never from the browser's cache, nor back through its history: the next resident's
        # back button asks the server, which knows the resident has changed.
        add_never_cache_headers(response)
        return response

    def _fence(self, request: HttpRequest, token: str, match: ResolverMatch) -> HttpResponseBase | None:
        name = match.url_name
        if name in KIOSK_VIEWS:
            return None
        device = device_for_token(token)
        start = redirect("intake:kiosk_start", token=token)
        if device is None or device.is_revoked:
            return start
        request.kiosk_device = device  # type: ignore[attr-defined]
        if request.method == "POST":
            # A page of an earlier resident (or of none): nothing it carries may reach this one.
            # The session is left as it is: a new session's cookie would push out the current one.
            resident = request.session.get(RESIDENT)
            if resident is None or idle_over(request) or request.POST.get(RESIDENT) != resident:
                return HttpResponse(status=204) if name in BACKGROUND_VIEWS else start
        elif needs_new_resident(request):
            start_fresh(request)
        touch(request)
        if name in FORM_VIEWS and match.kwargs.get("slug") == device.office.slug:
            return None
        if name in OPEN_VIEWS:
            return None
        # The office list, other offices, ticket links, 위임 pages: the kiosk's start page instead.
        return start


def _intake_view(request: HttpRequest) -> ResolverMatch | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if match.namespace == "intake" and match.url_name else None
