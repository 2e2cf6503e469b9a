"""What a resident sees when the database is briefly unreachable during a submit."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .preferences import UnreadableSession

logger = logging.getLogger(__name__)


def keep_post_when_database_down(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST that fails because the database is unreachable answers 503 with a
    page that carries everything the resident sent, as hidden fields, and a
    button that posts it again unchanged. The idempotency key is among those
    fields, so pressing it twice, or after the first try got through, still
    makes one submission. The page needs no database to render."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            session = getattr(request, "session", None)
            if isinstance(session, UnreadableSession):
                # The session could not be loaded a moment ago: the database
                # is down. Answer now rather than wait for it a second time.
                raise session.error
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if request.method != "POST":
                raise
            logger.warning("database unavailable during %s; the resident's answers were sent back", request.path)
            fields = [
                (key, value) for key, values in request.POST.lists() if key != "csrfmiddlewaretoken" for value in values
            ]
            return render(
                request,
                "intake/unavailable.html",
                {"fields": fields, "had_files": bool(request.FILES)},
                status=503,
            )

    return wrapped
