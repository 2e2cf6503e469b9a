"""The 403, 404 and 500 pages: in the staff shell for staff addresses, the resident's otherwise.

Staff reach /console/ and /admin/; a refusal there belongs in the console's
frame (with its way back), not on a resident's page or Django's bare text.
The 500 page is rendered from the template alone, without the request's
context processors: whatever failed (the database, the session) must not
fail the error page too.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

STAFF_PREFIXES = ("/console/", "/admin/")


def _is_staff_path(request: HttpRequest) -> bool:
    return request.path.startswith(STAFF_PREFIXES)


def _template(request: HttpRequest, status: int) -> str:
    return f"officer_console/errors/{status}.html" if _is_staff_path(request) else f"{status}.html"


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The access helpers' refusals say in Korean what account is needed; show them.
    reason = str(exception.args[0]) if exception.args and isinstance(exception.args[0], str) else ""
    return render(request, _template(request, 403), {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Http404's text is written for developers (and could confirm what exists): not shown.
    return render(request, _template(request, 404), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template(_template(request, 500)).render())
