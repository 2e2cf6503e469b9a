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
