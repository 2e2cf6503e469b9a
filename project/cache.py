"""Django's Redis cache with one connection pool and one client per process.

Django keeps cache instances per async context, so under ASGI every request
gets a fresh RedisCache, a fresh connection pool and a new TCP connection to
Redis (with redis-py's hand-shake): most of the rate limits' cost in a submit.
And Django builds a new redis.Redis for every cache call, which copies
redis-py's table of ~170 reply callbacks each time (about 0.2 ms of CPU).
Pools and clients are thread-safe: share one of each per server URL.
"""

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# One redis.Redis per server URL and pool class; its connection_pool is the pool.
_clients: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    # Set by RedisCacheClient.__init__ (the stubs do not declare them).
    _servers: list[str]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _get_connection_pool_index: Any
    _client: Any

    def _get_connection_pool(self, write: bool) -> Any:
        return self.get_client(write=write).connection_pool

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        server = (self._servers[index], id(self._pool_class))
        client = _clients.get(server)
        if client is None:
            with _lock:
                client = _clients.get(server)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _clients[server] = self._client(connection_pool=pool)
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
