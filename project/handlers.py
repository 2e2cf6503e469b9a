"""Django's ASGI handler, with the middleware chain and the view run in one
thread hop, on threads that are kept between requests."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase

# Request threads kept idle for the next request; beyond this a burst's extra
# threads end with their request.
IDLE_REQUEST_THREADS = 32


class SyncChainASGIHandler(ASGIHandler):
    """Every view and most middleware here are sync. Django's handler builds an
    async chain around them, so a request crossed between the event loop and a
    worker thread six times: at each sync-only middleware, at each
    MiddlewareMixin hook of the async-capable ones below it, and at the view.
    Each crossing costs a future, a context copy and a GIL hand-off. Built sync,
    the whole chain runs in one crossing, as under WSGI; the event loop still
    reads the request, writes the response and serves the WebSockets.
    """

    def __init__(self) -> None:
        super().__init__()
        self._idle: list[ThreadPoolExecutor] = []

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Django runs each request's sync work on a thread of its own (its
        # ThreadSensitiveContext), so that the view, the response's close and
        # request_finished, which hands the database connection back, share
        # one thread. asgiref starts that thread for the request and another
        # to join it at the end: 0.45 ms of CPU per request. A kept thread,
        # one request at a time, gives the same guarantee without them.
        # Django's own context, entered inside this one, then does nothing.
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await super().__call__(scope, receive, send)
        finally:
            if len(self._idle) < IDLE_REQUEST_THREADS:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # thread_sensitive: the request's own thread (above), where Django
        # later closes the response and returns the database connection.
        response: Any = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        return response
