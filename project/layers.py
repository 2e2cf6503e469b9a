"""The channel layer we run on Redis: channels-redis' pub/sub layer, plus resync.

Pub/sub is the fastest fan-out to many consoles (bench/layers.py), but Redis
delivers a PUBLISH only to subscribers connected at that moment: whatever is
published while a process is cut off from Redis is gone. The stock layer
(channels-redis 4.3) logs the lost connection and, once redis-py has dropped
its subscriptions, never subscribes again. This layer subscribes afresh when
Redis is back and then sends every consumer of the process a
`layer.reconnected` message, so each one reloads its state from the database
(the source of truth).
"""

import asyncio
import contextlib
import logging
import types
from typing import Any

from channels_redis import pubsub

logger = logging.getLogger(__name__)

RECONNECTED = {"type": "layer.reconnected"}


class _ResyncingShard(pubsub.RedisSingleShardConnection):
    _redis: Any
    _pubsub: Any

    def _ensure_redis(self) -> None:
        if self._redis is None:
            super()._ensure_redis()
            self._watch(self._pubsub)

    def _watch(self, redis_pubsub: Any) -> None:
        # redis-py may also reconnect by itself (its retry policy) and
        # re-subscribe there, silently: count any reconnect after the first.
        resubscribe = redis_pubsub.on_connect
        connected_before = False

        async def on_connect(pubsub_self: Any, connection: Any) -> None:
            nonlocal connected_before
            await resubscribe(connection)
            if connected_before:
                self._tell_local_consumers()
            connected_before = True

        # A bound method: redis-py keeps connect callbacks as weak methods.
        redis_pubsub.on_connect = types.MethodType(on_connect, redis_pubsub)

    def _tell_local_consumers(self) -> None:
        channels = self.channel_layer.channels
        logger.warning("Redis pub/sub is back: asking %d local consumers to resync", len(channels))
        data = self.channel_layer.channel_layer.serialize(RECONNECTED)
        for queue in list(channels.values()):
            queue.put_nowait(data)

    async def _subscribe_afresh(self) -> None:
        async with self._lock:
            self._ensure_redis()
            old: Any = self._pubsub
            self._pubsub = self._redis.pubsub()
            self._watch(self._pubsub)
            if self._subscribed_to:
                await self._pubsub.subscribe(*self._subscribed_to)
        if old is not None:
            with contextlib.suppress(Exception):
                await old.aclose()

    async def _do_receiving(self) -> None:
        broken = False
        while True:
            try:
                if broken:
                    await self._subscribe_afresh()
                    broken = False
                    self._tell_local_consumers()
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (TimeoutError, asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:
                if not broken:
                    logger.warning("Redis pub/sub connection lost (%s); consumers resync when it is back", exc)
                broken = True
                await asyncio.sleep(0.5)


class _ResyncingLoopLayer(pubsub.RedisPubSubLoopLayer):
    def __init__(self, hosts: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(hosts, *args, **kwargs)
        self._shards = [_ResyncingShard(host, self) for host in pubsub.decode_hosts(hosts)]


class ResyncingPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    def _get_layer(self) -> Any:
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            self._layers[loop] = _ResyncingLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            pubsub._wrap_close(self, loop)
        return self._layers[loop]
