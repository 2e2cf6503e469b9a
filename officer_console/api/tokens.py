"""Creating, checking and revoking API tokens; creating service accounts.

A token is `mwk_<prefix>_<secret>`: the prefix is shown in the admin to
tell tokens apart, the whole string is kept only as its SHA-256. The secret
is shown once, when the token is made.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from intake.models import Office

from .models import ApiToken, Scope, ServiceAccount

TOKEN_START = "mwk_"  # noqa: S105  the format's start, not a secret


class TokenRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_account(office: Office, name: str) -> ServiceAccount:
    """A service account with its own inactive, password-less user: the actor of its status changes."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"api.{office.slug}.{secrets.token_hex(3)}"[:150], first_name=f"API {name}"[:150]
        )
        user.set_unusable_password()
        user.is_active = False
        user.save()
        return ServiceAccount.objects.create(office=office, name=name, user=user)


def create_token(account: ServiceAccount, name: str, scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """The new token and its secret, which is never stored and cannot be shown again."""
    known = {s.value for s in Scope}
    wanted = [s for s in dict.fromkeys(scopes) if s in known]
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(account=account, name=name, prefix=prefix, key_hash=hash_key(raw), scopes=wanted)
    return token, raw


def authenticate(raw: str) -> ApiToken:
    """The live token for this secret, or TokenRefused."""
    token = (
        ApiToken.objects.select_related("account__office", "account__user").filter(key_hash=hash_key(raw)).first()
        if raw.startswith(TOKEN_START)
        else None
    )
    if token is None:
        raise TokenRefused("invalid_token", "API 토큰이 맞지 않습니다. Authorization: Bearer <토큰>으로 보내 주세요.")
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked", "폐기된 토큰입니다. 관리자에게 새 토큰을 받아 주세요.")
    now = timezone.now()
    # One write a minute at most: reads must not each take the database's write lock.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke(token: ApiToken) -> None:
    """Refused from the next request on: every request checks the database."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
