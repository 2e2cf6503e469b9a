from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from intake import events
from intake import services as intake_services

from . import services


@database_sync_to_async
def _allowed(user: Any, office_id: int) -> bool:
    return services.can_access_office(user, office_id)


@database_sync_to_async
def _snapshot(office_id: int) -> list[dict[str, Any]]:
    return [events.submission_summary(s) for s in intake_services.open_queue(office_id)]


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    """Live queue of one office.

    Subscribes first, then sends the snapshot from the database, so an event
    raised in between arrives as a duplicate (dropped by revision on the
    client) rather than going missing.
    """

    office_id: int

    async def connect(self) -> None:
        self.office_id = int(self.scope["url_route"]["kwargs"]["office_id"])
        user = self.scope.get("user")
        if user is None or not await _allowed(user, self.office_id):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(events.office_group(self.office_id), self.channel_name)
        await self.accept()
        await self.send_json({"type": "snapshot", "submissions": await _snapshot(self.office_id)})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "office_id"):
            await self.channel_layer.group_discard(events.office_group(self.office_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # The only request a console makes: "resync me" after it suspects a gap.
        if isinstance(content, dict) and content.get("type") == "resync":
            await self.send_json({"type": "snapshot", "submissions": await _snapshot(self.office_id)})
        else:
            await self.send_json({"type": "error", "message": "알 수 없는 요청입니다."})

    async def layer_reconnected(self, event: dict[str, Any]) -> None:
        # The channel layer was cut off from Redis (project/layers.py): events
        # published meanwhile are lost, so reload the queue from the database.
        await self.send_json({"type": "snapshot", "submissions": await _snapshot(self.office_id)})

    async def submission_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "submission", "submission": event["submission"]})
