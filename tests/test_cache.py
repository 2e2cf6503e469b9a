from django.core.cache import caches

from project.cache import SharedPoolRedisCache


def test_every_cache_instance_of_a_process_shares_one_redis_connection_pool():
    # Django makes a cache instance per async context (per request under
    # ASGI); each used to open its own pool and connection to Redis.
    params = {"BACKEND": "project.cache.SharedPoolRedisCache"}
    first = SharedPoolRedisCache("redis://127.0.0.1:6379/7", params)
    second = SharedPoolRedisCache("redis://127.0.0.1:6379/7", params)
    other = SharedPoolRedisCache("redis://127.0.0.1:6379/8", params)
    pool = first._cache._get_connection_pool(write=True)
    assert second._cache._get_connection_pool(write=True) is pool
    assert other._cache._get_connection_pool(write=True) is not pool
    assert caches["default"] is not None


def test_every_cache_call_of_a_process_shares_one_redis_client():
    # Django builds a redis.Redis per cache call, copying redis-py's reply
    # callback table each time: a measurable part of a submit's rate limits.
    params = {"BACKEND": "project.cache.SharedPoolRedisCache"}
    first = SharedPoolRedisCache("redis://127.0.0.1:6379/7", params)
    second = SharedPoolRedisCache("redis://127.0.0.1:6379/7", params)
    other = SharedPoolRedisCache("redis://127.0.0.1:6379/8", params)
    client = first._cache.get_client("a", write=True)
    assert first._cache.get_client("b") is client
    assert second._cache.get_client("a", write=True) is client
    assert client.connection_pool is first._cache._get_connection_pool(write=True)
    assert other._cache.get_client("a") is not client
