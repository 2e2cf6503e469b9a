"""Django's ASGI handler, with the middleware chain and the view run in one thread hop."""

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    """Every view and most middleware here are sync. Django's handler builds an
    async chain around them, so a request crossed between the event loop and a
    worker thread six times: at each sync-only middleware, at each
    MiddlewareMixin hook of the async-capable ones below it, and at the view.
    Each crossing costs a future, a context copy and a GIL hand-off. Built sync,
    the whole chain runs in one crossing, as under WSGI; the event loop still
    reads the request, writes the response and serves the WebSockets.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # thread_sensitive: the request's own thread (ThreadSensitiveContext), where
        # Django later closes the response and returns the database connection.
        response: Any = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        return response
