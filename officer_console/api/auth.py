"""Who is calling: the bearer token, checked on every request, then its rate limit.

The limit is counted per token in a fixed window in the shared cache (Redis
in production, so every process counts together). Checked here rather than
with ninja's throttle classes, whose instances are shared by concurrent
requests and keep per-request state on themselves.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from intake.ratelimit import Limit

from .errors import ApiError
from .models import ApiToken
from .tokens import authenticate

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = authenticate(token)
        check_rate(found)
        return found


def check_rate(token: ApiToken) -> None:
    limit = Limit.parse(settings.API_RATE_LIMIT)
    now = time.time()
    window = int(now // limit.seconds)
    key = f"api-rl:{token.pk}:{window}"
    try:
        cache.add(key, 0, timeout=limit.seconds + 1)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        count = 1
    except Exception:
        # Fail open, as the resident's limits do: the cache down must not stop the back office.
        logger.warning("API rate-limit cache unavailable; not limiting", exc_info=True)
        return
    if count > limit.count:
        wait = max(1, math.ceil((window + 1) * limit.seconds - now))
        raise ApiError(
            429,
            "rate_limited",
            f"요청이 너무 많습니다. {wait}초 뒤에 다시 보내 주세요 (이 토큰은 {limit.seconds}초에 {limit.count}번까지).",
            headers={"Retry-After": str(wait)},
        )


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)
    return token


def require(request: HttpRequest, scope: str) -> ApiToken:
    token = token_of(request)
    if not token.allows(scope):
        raise ApiError(403, "scope_missing", f"이 토큰에는 '{scope}' 권한이 없습니다. 관리자에게 권한을 받아 주세요.")
    return token
