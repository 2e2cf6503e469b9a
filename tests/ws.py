"""A WebSocket client on the project's real routes, with the user set as AuthMiddleware would."""

from typing import Any

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from intake.routing import websocket_urlpatterns as intake_routes
from officer_console.console.routing import websocket_urlpatterns as console_routes


async def connect(path: str, user: Any = None) -> tuple[WebsocketCommunicator, bool, int | str | None]:
    communicator = WebsocketCommunicator(URLRouter(console_routes + intake_routes), path)
    communicator.scope["user"] = user or AnonymousUser()
    connected, code = await communicator.connect()
    return communicator, connected, code
