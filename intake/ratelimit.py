"""Fixed-window submission limits per client and per counter.

Counts live in the cache (Redis when REDIS_URL is set, so every process
shares them). A family filing several forms from one phone stays well under
the client limit; a script hammering a counter does not.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


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


def _count(key: str) -> int:
    # Fail open: with Redis down a resident must still be able to submit;
    # losing the limit for a while is the lesser harm.
    try:
        return int(cache.get(key) or 0)
    except Exception:
        logger.warning("rate-limit cache unavailable; not limiting", exc_info=True)
        return 0


def check(scope: str, ident: str, limit: Limit) -> None:
    if _count(_key(scope, ident, limit)) >= limit.count:
        minutes = max(1, limit.seconds // 60)
        if scope == "counter":
            message = _(
                "이 창구에 신청이 너무 많이 들어왔습니다. %(minutes)s분 뒤에 다시 제출하거나 "
                "창구 직원에게 말씀해 주세요. 입력한 내용은 저장되어 있습니다."
            ) % {"minutes": minutes}
        else:
            message = _(
                "짧은 시간에 너무 많이 제출하셨습니다. %(minutes)s분 뒤에 다시 제출해 주세요. 입력한 내용은 저장되어 있습니다."
            ) % {"minutes": minutes}
        raise RateLimited(message)


def record(scope: str, ident: str, limit: Limit) -> None:
    key = _key(scope, ident, limit)
    try:
        cache.add(key, 0, timeout=limit.seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.seconds)
    except Exception:
        logger.warning("rate-limit cache unavailable; submission not counted", exc_info=True)


def client_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_CLIENT)


def address_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_ADDRESS)


def counter_limit() -> Limit:
    return Limit.parse(settings.RATE_LIMIT_COUNTER)
