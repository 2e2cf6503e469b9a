"""Who may open which WebSocket, through the whole application a server runs.

project.asgi.application as daphne and uvicorn serve it: the Origin check
(AllowedHostsOriginValidator), the session cookie read by AuthMiddlewareStack,
then the consumer's own check. The consumer tests (tests/ws.py) set the user
directly and skip the first two.
"""

from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from officer_console.console import services
from officer_console.models import PasswordChangeRequired
from project.asgi import application

from . import factories
from .cluster import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SAME_ORIGIN = "http://127.0.0.1:8000"
# Closed by the Origin check before any consumer runs, or by the consumer itself.
BAD_ORIGIN, NOT_ALLOWED = 1000, 4403


def _logged_out_cookie(user: Any) -> str:
    """The cookie of a session that has since ended (log-out deletes it on the server)."""
    from django.contrib.sessions.models import Session

    cookie = session_cookie(user)
    Session.objects.filter(session_key=cookie.partition("=")[2]).delete()
    return cookie


@pytest.fixture
def world(transactional_db, settings) -> dict[str, Any]:
    # Six accounts per test: the hasher's deliberate slowness would be most of the test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    version = factories.form_version()
    office = factories.office(forms=[version])
    other = factories.office("banpo1-dong", name="반포1동 주민센터", forms=[version])
    pending = factories.officer(office, "new.officer")
    # An account made with a one-time password not yet replaced (setup_office, the officer import).
    PasswordChangeRequired.objects.create(user=pending)
    return {
        "submission": factories.submitted(office, version),
        "paths": {
            "console": f"/ws/console/{office.pk}/",
            "mirror": f"/ws/mirror/{office.counters.first().pk}/",
            "lobby": f"/ws/lobby/{services.lobby_token(office.pk)}/",
        },
        "cookies": {
            "officer": session_cookie(factories.officer(office)),
            "other-office": session_cookie(factories.officer(other, "stranger")),
            "pending-password": session_cookie(pending),
            "no-session": "",
            "forged": "sessionid=0123456789abcdefghijklmnopqrstuv",
            "logged-out": _logged_out_cookie(factories.officer(office, "gone")),
        },
    }


async def _open(path: str, cookie: str = "", origin: str | None = SAME_ORIGIN) -> tuple[Any, bool, Any]:
    headers = [(b"host", b"127.0.0.1:8000")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def _attempt(path: str, cookie: str, origin: str | None = SAME_ORIGIN) -> tuple[bool, Any]:
    """(connected, close code) of one attempt; a socket that wrongly opened is closed again."""
    communicator, connected, code = await _open(path, cookie, origin)
    if connected:
        await communicator.disconnect()
    return connected, code


def _paths(world: dict[str, Any]) -> dict[str, str]:
    return {**world["paths"], "ticket": f"/ws/ticket/{world['submission'].public_token}/"}


FIRST_MESSAGE = {"console": "snapshot", "mirror": "screen", "lobby": "calls", "ticket": "changed"}


@pytest.mark.parametrize("socket", FIRST_MESSAGE)
async def test_every_socket_opens_for_its_own_page(world, socket):
    # The control for every refusal below: same origin, the office's officer.
    communicator, connected, code = await _open(_paths(world)[socket], world["cookies"]["officer"])
    assert connected, code
    assert (await communicator.receive_json_from(timeout=5))["type"] == FIRST_MESSAGE[socket]
    await communicator.disconnect()


FOREIGN_ORIGINS = ["https://evil.example", "http://127.0.0.1.evil.example:8000", "null", None]


@pytest.mark.parametrize("socket", FIRST_MESSAGE)
async def test_a_page_from_another_origin_opens_no_socket(world, socket):
    # A page elsewhere that the officer visits would otherwise ride on their session cookie.
    opened = {str(o): await _attempt(_paths(world)[socket], world["cookies"]["officer"], o) for o in FOREIGN_ORIGINS}
    assert opened == {str(o): (False, BAD_ORIGIN) for o in FOREIGN_ORIGINS}


STAFF_REFUSED = ["no-session", "forged", "logged-out", "other-office", "pending-password"]


@pytest.mark.parametrize("socket", ["console", "mirror"])
async def test_staff_sockets_refuse_everyone_but_the_offices_staff(world, socket):
    opened = {who: await _attempt(world["paths"][socket], world["cookies"][who]) for who in STAFF_REFUSED}
    assert opened == {who: (False, NOT_ALLOWED) for who in STAFF_REFUSED}
