"""Fixed-window submission limits per client and per counter.

Counts live in the cache (Redis when REDIS_URL is set, so every process
shares them). A family filing several forms from one phone stays well under
the client limit; a script hammering a counter does not.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import gettext as _

from forms_catalog import schema as form_schema


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Limit":
        count, _, seconds = text.partition("/")
        return cls(int(count), int(seconds or 60))


class RateLimited(Exception):
    code = "rate_limited"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _key(scope: str, ident: str, limit: Limit) -> str:
    return f"rl:{scope}:{ident}:{limit.seconds}"


logger = logging.getLogger(__name__)


def _message(scope: str, limit: Limit) -> str:
    minutes = max(1, limit.seconds // 60)
    if scope.startswith("upload"):
        return _(
            "짧은 시간에 파일을 너무 많이 올렸습니다. %(minutes)s분 뒤에 다시 올려 주세요. 입력한 내용은 저장되어 있습니다."
        ) % {"minutes": minutes}
    if scope.startswith("search"):
        return _(
            "주소 검색을 짧은 시간에 너무 많이 했습니다. %(minutes)s분 뒤에 다시 검색하거나 주소를 직접 적어 주세요."
        ) % {"minutes": minutes}
    if scope == "counter":
        return _(
            "이 창구에 신청이 너무 많이 들어왔습니다. %(minutes)s분 뒤에 다시 제출하거나 "
            "창구 직원에게 말씀해 주세요. 입력한 내용은 저장되어 있습니다."
        ) % {"minutes": minutes}
    return _(
        "짧은 시간에 너무 많이 제출하셨습니다. %(minutes)s분 뒤에 다시 제출해 주세요. 입력한 내용은 저장되어 있습니다."
    ) % {"minutes": minutes}


def check(scope: str, ident: str, limit: Limit) -> None:
    check_all([(scope, ident, limit)])


def check_all(limits: Sequence[tuple[str, str, Limit]]) -> None:
    """Raise RateLimited for the first limit reached; one cache round trip for all."""
    keys = [_key(scope, ident, limit) for scope, ident, limit in limits]
    # Fail open: with Redis down a resident must still be able to submit;
    # losing the limit for a while is the lesser harm.
    try:
        counts = cache.get_many(keys)
    except Exception:
        logger.warning("rate-limit cache unavailable; not limiting", exc_info=True)
        return
    for (scope, _ident, limit), key in zip(limits, keys, strict=True):
        if int(counts.get(key) or 0) >= limit.count:
            raise RateLimited(_message(scope, limit))


def record(scope: str, ident: str, limit: Limit) -> None:
    record_all([(scope, ident, limit)])


def record_all(limits: Sequence[tuple[str, str, Limit]]) -> None:
    """Count one submission against every limit: one pipelined round trip on Redis."""
    try:
        backend = caches["default"]  # `cache` is a proxy: isinstance needs the backend
        if isinstance(backend, RedisCache):
            keys = [backend.make_and_validate_key(_key(*limit)) for limit in limits]
            pipe = backend._cache.get_client(keys[0], write=True).pipeline(transaction=False)
            for key, (_, _, limit) in zip(keys, limits, strict=True):
                # The window starts with the first submission in it.
                pipe.set(key, 0, ex=limit.seconds, nx=True)
                pipe.incr(key)
            pipe.execute()
            return
        for scope, ident, limit in limits:
            key = _key(scope, ident, limit)
            cache.add(key, 0, timeout=limit.seconds)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=limit.seconds)
    except Exception:
        logger.warning("rate-limit cache unavailable; submission not counted", exc_info=True)


def take(limits: Sequence[tuple[str, str, Limit]]) -> None:
    """Refuse (RateLimited) or count this request against every limit: for requests that
    cost something whatever their outcome, such as an address search."""
    check_all(limits)
    record_all(limits)


def search_limits(resident_key: str, address: str) -> list[tuple[str, str, Limit]]:
    limits = [("search-address", address, Limit.parse(settings.RATE_LIMIT_SEARCH_ADDRESS))]
    if resident_key:
        limits.append(("search", resident_key, Limit.parse(settings.RATE_LIMIT_SEARCH_CLIENT)))
    return limits


def client_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_CLIENT)


def address_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_ADDRESS)


def counter_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_COUNTER)


def refuse_uploads(
    schema: form_schema.FormSchema, files: Mapping[str, Any], resident_key: str, address: str
) -> dict[str, str]:
    """Errors by field when this browser or address has sent too many files lately; else count these and return {}.

    Uploads cost CPU (every image is decoded and re-encoded) and disk, so
    they are counted per file and checked before any of that work.
    """
    keys = [
        k
        for k in files
        if (f := form_schema.get_field(schema, k)) is not None and f.type in form_schema.ATTACHMENT_TYPES
    ]
    limits = [
        ("upload", resident_key, Limit.parse(settings.RATE_LIMIT_UPLOAD_CLIENT)),
        ("upload-address", address, Limit.parse(settings.RATE_LIMIT_UPLOAD_ADDRESS)),
    ]
    try:
        check_all(limits)
    except RateLimited as exc:
        return dict.fromkeys(keys, exc.message)
    for _key in keys:
        record_all(limits)
    return {}
