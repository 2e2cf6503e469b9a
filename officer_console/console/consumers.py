from typing import Any

from channels.db import database_sync_to_async
from django.template.loader import render_to_string

from intake import events
from intake import services as intake_services
from intake.ws import SafeJsonWebsocketConsumer

from .. import access
from ..models import PasswordChangeRequired
from . import mirror, services


def _password_chosen(user: Any) -> bool:
    # As over HTTP (PasswordChangeRequiredMiddleware): a one-time password
    # opens the password page only, no live queue or resident's screen.
    return not PasswordChangeRequired.objects.filter(user_id=user.pk).exists()


@database_sync_to_async
def _allowed(user: Any, office_id: int) -> bool:
    return access.works_at(user, office_id) and _password_chosen(user)


@database_sync_to_async
def _snapshot(office_id: int) -> list[dict[str, Any]]:
    return [events.submission_summary(s) for s in intake_services.open_queue(office_id)]


class ConsoleConsumer(SafeJsonWebsocketConsumer):
    """Live queue of one office.

    Subscribes first, then sends the snapshot from the database, so an event
    raised in between arrives as a duplicate (dropped by revision on the
    client) rather than going missing.
    """

    office_id: int

    async def connect(self) -> None:
        office_id = await self.office_allowed()
        if office_id is None:
            await self.close(code=4403)
            return
        self.office_id = office_id
        await self.channel_layer.group_add(events.office_group(self.office_id), self.channel_name)
        await self.accept()
        await self.send_json(await self.current_state())

    async def office_allowed(self) -> int | None:
        """The office this socket may follow: the user's own."""
        office_id = int(self.scope["url_route"]["kwargs"]["office_id"])
        user = self.scope.get("user")
        return office_id if user is not None and await _allowed(user, office_id) else None

    async def current_state(self) -> dict[str, Any]:
        """What this screen shows, read from the database: sent on connect and after a layer reconnect."""
        return {"type": "snapshot", "submissions": await _snapshot(self.office_id)}

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "office_id"):
            await self.channel_layer.group_discard(events.office_group(self.office_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # The only request a console makes: "resync me" after it suspects a gap.
        if isinstance(content, dict) and content.get("type") == "resync":
            await self.send_json(await self.current_state())
        else:
            await self.send_json({"type": "error", "message": "알 수 없는 요청입니다."})

    async def layer_reconnected(self, event: dict[str, Any]) -> None:
        # The channel layer was cut off from Redis (project/layers.py): events
        # published meanwhile are lost, so reload the screen from the database.
        await self.send_json(await self.current_state())

    async def submission_changed(self, event: dict[str, Any]) -> None:
        # Forward the frame rendered once by the publisher (intake.events).
        await self.send(text_data=event["text"])


@database_sync_to_async
def _lobby_state(office_id: int) -> dict[str, Any]:
    return mirror.lobby_state(office_id)


@database_sync_to_async
def _lobby_waiting(office_id: int) -> list[dict[str, Any]]:
    return mirror.lobby_waiting(office_id)


class LobbyConsumer(ConsoleConsumer):
    """The office's lobby TV: calls and waiting counts only ("23번 → 3번 창구"), no personal data."""

    async def office_allowed(self) -> int | None:
        # The TV has no log-in: its address carries the office, signed.
        return services.office_for_lobby_token(self.scope["url_route"]["kwargs"]["token"])

    async def current_state(self) -> dict[str, Any]:
        return await _lobby_state(self.office_id)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(await self.current_state())

    async def submission_changed(self, event: dict[str, Any]) -> None:
        # Any change may move a waiting count (a new ticket, a withdrawal, a
        # call), so each event carries the counts read afresh.
        s = event["submission"]
        waiting = await _lobby_waiting(self.office_id)
        if s["status"] == "called" and s["counter"] is not None:
            await self.send_json({"type": "call", "call": mirror.call_of(s), "waiting": waiting})
        else:
            await self.send_json({"type": "waiting", "waiting": waiting})


@database_sync_to_async
def _mirror_counter(user: Any, counter_id: int) -> bool:
    return access.counter_for_staff(user, counter_id) is not None and _password_chosen(user)


@database_sync_to_async
def _mirror_screen(counter_id: int, user: Any, ip: str | None, logged: int | None) -> tuple[str, int | None]:
    """The screen's HTML, and the submission it shows; each submission a watcher is shown is logged once."""
    context = mirror.mirror_context(counter_id)
    shown = context["submission"]
    if shown is not None and shown.pk != logged:
        services.log_mirror_watch(user, ip, context["counter"], shown)
        logged = shown.pk
    return render_to_string("officer_console/mirror.html#screen", context), logged


class MirrorConsumer(SafeJsonWebsocketConsumer):
    """The resident-facing second monitor of one counter.

    Every change is redrawn from MirrorState in the database, so a mirror that
    reconnects, or misses a message, shows the right thing again.
    """

    counter_id: int
    # The submission whose showing was last logged for this watcher.
    logged: int | None = None

    async def connect(self) -> None:
        self.counter_id = int(self.scope["url_route"]["kwargs"]["counter_id"])
        user = self.scope.get("user")
        if user is None or not await _mirror_counter(user, self.counter_id):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(services.mirror_group(self.counter_id), self.channel_name)
        await self.accept()
        await self.redraw()

    async def redraw(self, *args: Any, **kwargs: Any) -> None:
        client = self.scope.get("client") or (None,)
        html, self.logged = await _mirror_screen(self.counter_id, self.scope["user"], client[0], self.logged)
        await self.send_json({"type": "screen", "html": html})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "counter_id"):
            await self.channel_layer.group_discard(services.mirror_group(self.counter_id), self.channel_name)

    # The mirror only listens: anything it sends, any change and a layer
    # reconnect are all answered with a redraw from MirrorState.
    receive_json = redraw
    mirror_changed = redraw
    layer_reconnected = redraw
