from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ..models import PasswordChangeRequired


class PasswordChangeRequiredMiddleware:
    """Until a one-time password is replaced, the password page is the only page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    # Only staff areas: resident pages must not load the session or touch the
    # database before their own view runs (its database-down handling relies
    # on catching the first failure itself).
    STAFF_PREFIXES = ("/console/", "/admin/", "/pdf/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.STAFF_PREFIXES):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and PasswordChangeRequired.objects.filter(user_id=user.pk).exists()
        ):
            allowed = {reverse("officer_console:password_change"), reverse("officer_console:logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("officer_console:password_change")
        return self.get_response(request)
