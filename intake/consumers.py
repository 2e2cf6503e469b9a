from typing import Any

from channels.db import database_sync_to_async

from . import events
from .models import Submission
from .ws import SafeJsonWebsocketConsumer


@database_sync_to_async
def _ticket(token: str) -> tuple[int, int] | None:
    row = Submission.objects.filter(public_token=token).values_list("office_id", "revision").first()
    return (row[0], row[1]) if row else None


class TicketConsumer(SafeJsonWebsocketConsumer):
    """Tells a resident's ticket page to refresh its status.

    The secret public token in the URL is the resident's only credential, as
    on the HTTP ticket page. Messages say only "something changed"; the page
    then fetches its status over HTTP, so nothing personal travels here.
    Office events count too: someone ahead being called changes "n ahead".
    """

    groups_joined: list[str]

    async def connect(self) -> None:
        token = str(self.scope["url_route"]["kwargs"]["token"])
        found = await _ticket(token)
        self.groups_joined = []
        if found is None:
            await self.close(code=4404)
            return
        office_id, revision = found
        self.groups_joined = [events.ticket_group(token), events.office_group(office_id)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        # Sent on every (re)connect: the page refreshes if it missed anything.
        await self.send_json({"type": "changed", "revision": revision})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json({"type": "error", "message": "알 수 없는 요청입니다."})

    async def ticket_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "changed", "revision": event["revision"]})

    async def submission_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "changed"})

    async def layer_reconnected(self, event: dict[str, Any]) -> None:
        # Events may have been lost while the layer was cut off: refetch.
        await self.send_json({"type": "changed"})
