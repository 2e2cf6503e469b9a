"""The Redis channel layers across a Redis restart, with a real redis-server."""

import asyncio
import contextlib
import copy

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from .cluster import free_port, redis_server

pytestmark = pytest.mark.services


def _layer(name: str, url: str):
    config = copy.deepcopy(settings.REDIS_CHANNEL_LAYERS[name])
    config["CONFIG"]["hosts"][0]["address"] = url
    return import_string(config["BACKEND"])(**config["CONFIG"])


@pytest.mark.parametrize("name", ["core", "pubsub"])
def test_the_first_join_and_send_after_a_redis_restart_are_not_lost(services, tmp_path, name):
    # Every connection left in a pool fails its first command once Redis has
    # restarted; a console joining or an event sent right then must still go
    # through (the layer retries on a fresh connection), not wait for a resync.
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    async def scenario(restart) -> list[dict]:
        console, publisher = _layer(name, url), _layer(name, url)
        channel = await console.new_channel()
        await console.group_add("office.1", channel)
        await publisher.group_send("office.1", {"type": "submission.changed", "n": 1})
        got = [await asyncio.wait_for(console.receive(channel), 5)]
        await asyncio.to_thread(restart)
        if name == "pubsub":
            # The pub/sub layer subscribes afresh and tells its consumers first.
            got.append(await asyncio.wait_for(console.receive(channel), 10))
        # A consumer reconnecting joins again (a restarted Redis has no groups).
        await console.group_add("office.1", channel)
        await publisher.group_send("office.1", {"type": "submission.changed", "n": 2})
        got.append(await asyncio.wait_for(console.receive(channel), 5))
        for layer in (console, publisher):
            await layer.flush()
        return got

    with contextlib.ExitStack() as servers:
        first = servers.enter_context(redis_server(port, tmp_path))

        def restart() -> None:
            first.kill()
            first.wait()
            servers.enter_context(redis_server(port, tmp_path))

        got = asyncio.run(scenario(restart))
    events = [m["n"] for m in got if m["type"] == "submission.changed"]
    assert events == [1, 2]
    if name == "pubsub":
        assert got[1] == {"type": "layer.reconnected"}
