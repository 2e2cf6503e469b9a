"""Log-in throttling with django-axes, for the console and the admin log-in alike.

Settings (project/settings.py) say what is counted and for how long; here is
what axes asks the project for: the client's address and which log-ins to
watch. Administrators unlock an account or address in the admin (Axes →
Access attempts: delete the row) or with `manage.py axes_reset_username NAME`
/ `axes_reset_ip ADDRESS` / `axes_reset` (everything); docs/PRODUCTION.md.
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address counted for lockouts: the same one the access log records."""
    from officer_console.console.views import _client_ip

    return _client_ip(request)  # type: ignore[arg-type]


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every log-in of a locked-out account or address (axes' own check).

    A log-in through a page always comes with its request. Code that
    authenticates without one (`Client.login` in tests, scripts) is not a
    log-in form anyone can hammer, and axes cannot count it: it is left to the
    next backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The page a locked-out log-in gets (axes' AXES_LOCKOUT_CALLABLE): what happened, how long, whom to ask."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "officer_console/locked_out.html", context, status=429)
