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

_pools: dict[tuple[str, int], Any] = {}
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
        return self._shared(write)[0]

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        return self._shared(write)[1]

    def _shared(self, write: bool) -> tuple[Any, Any]:
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], id(self._pool_class))
        pool, client = _pools.get(key), _clients.get(key)
        if pool is None or client is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
                client = _clients.get(key)
                if client is None:
                    client = _clients[key] = self._client(connection_pool=pool)
        return pool, client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
