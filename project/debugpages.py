"""With DEBUG on, tracebacks and URL lists for this machine only.

`make run` with HOST=0.0.0.0 lets phones on the office network try the
forms, and DEBUG stays on for the developer. Django's debug pages show local
variables (a resident's answers), settings and every URL pattern to whoever
caused the error: here a request from any address but loopback gets the
ordinary 404 and 500 pages instead. Production runs with DEBUG off anyway.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import Resolver404, get_resolver
from django.utils.safestring import SafeString, mark_safe
from django.views import defaults
from django.views.debug import ExceptionReporter


def from_loopback(request: HttpRequest) -> bool:
    try:
        return ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", ""))).is_loopback
    except ValueError:
        return False


class PlainErrorReporter(ExceptionReporter):
    """What Django's debug 500 page shows to a request from another machine: the ordinary error page."""

    def get_traceback_html(self) -> SafeString:
        return mark_safe(render_to_string("500.html"))  # noqa: S308 (a rendered template)

    def get_traceback_text(self) -> SafeString:
        return SafeString("Server Error (500)")


def _not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    return defaults.page_not_found(request, exception)


class LoopbackDebugMiddleware:
    """First in MIDDLEWARE: every response of the chain passes through it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.DEBUG or from_loopback(request):
            return self.get_response(request)
        # Django's debug 500 page asks the request for its reporter.
        request.exception_reporter_class = PlainErrorReporter  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code == 404:
            try:
                get_resolver().resolve(request.path_info)
            except Resolver404 as exc:
                # No URL matched: Django answered with its debug page listing every pattern.
                return _not_found(request, exc)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if settings.DEBUG and isinstance(exception, Http404) and not from_loopback(request):
            return _not_found(request, exception)
        return None
