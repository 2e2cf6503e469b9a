import json
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

MAX_FRAME = 16_384
# Requests are flat objects; nesting past this is no request of ours, and code
# that walks it (or echoes it) must never meet the interpreter's recursion limit.
MAX_DEPTH = 8


def _too_deep(content: Any) -> bool:
    """Whether the parsed frame nests deeper than MAX_DEPTH; walked without recursion."""
    pending = [(content, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


class SafeJsonWebsocketConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer that answers malformed frames instead of crashing on them.

    Binary frames, invalid JSON, over-long frames and non-object JSON get an
    error message and the socket stays open: a buggy or hostile client must
    not be able to take a console's connection down with one bad frame.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels runs close_old_connections() in a thread before every
        # message. Our handlers reach the database only through
        # database_sync_to_async, which does that in its own thread, so that
        # hop only cost CPU: about 0.15 ms per event forwarded to each console.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "message": "JSON 텍스트 메시지만 받습니다. (JSON text frames only)"})
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: "[[[[…" a few thousand deep exhausts the parser's stack.
            await self.send_json({"type": "error", "message": "메시지를 읽을 수 없습니다. (invalid JSON)"})
            return
        if not isinstance(content, dict) or _too_deep(content):
            await self.send_json({"type": "error", "message": "알 수 없는 요청입니다. (expected an object)"})
            return
        await self.receive_json(content, **kwargs)
