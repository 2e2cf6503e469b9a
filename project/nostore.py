"""No copy of staff pages or downloads in any cache: `Cache-Control: no-store`.

Staff pages show residents' personal data, and a counter PC is shared: the
browser's cache (or a proxy's) must not keep them for the next person, nor
keep an archived PDF or an exported CSV. Decided by path and content type
only, so resident pages never load a session or touch the database here.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

STAFF_PREFIXES = ("/console/", "/admin/", "/pdf/", "/api/")
DOWNLOAD_TYPES = {"application/pdf", "text/csv", "application/zip"}


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if request.path.startswith(STAFF_PREFIXES) or content_type in DOWNLOAD_TYPES:
            add_never_cache_headers(response)
        return response
