"""One-time passwords (officer import) expire: ONE_TIME_PASSWORD_DAYS after they were issued.

A slip with a one-time password that nobody used is a working log-in for
whoever finds it. Past the deadline the account cannot log in, on the
console or the admin, until an administrator sets a new password for it
(admin → Users → the account → change password), which starts the clock
again; the officer then chooses their own as before.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import PasswordChangeRequired

EXPIRED_CODE = "one_time_password_expired"
EXPIRED_MESSAGE = gettext_lazy(
    "임시 비밀번호의 사용 기한이 지났습니다. 시스템 관리자에게 새 임시 비밀번호를 받아 다시 로그인해 주세요."
)


def expired(user: Any) -> bool:
    """Whether the account still has its one-time password, issued longer ago than allowed."""
    deadline = timezone.now() - datetime.timedelta(days=settings.ONE_TIME_PASSWORD_DAYS)
    return PasswordChangeRequired.objects.filter(user_id=user.pk, created_at__lt=deadline).exists()


class _RefusesExpired:
    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        if expired(user):
            raise ValidationError(EXPIRED_MESSAGE, code=EXPIRED_CODE)

    @property
    def one_time_password_expired(self) -> bool:
        """For the template: this message instead of "wrong username or password"."""
        return bool(self.has_error(NON_FIELD_ERRORS, EXPIRED_CODE))  # type: ignore[attr-defined]


class StaffAuthenticationForm(_RefusesExpired, AuthenticationForm):
    """The console's log-in form."""


class StaffAdminAuthenticationForm(_RefusesExpired, AdminAuthenticationForm):
    """The admin's log-in form."""


def _password_set(sender: Any, instance: Any, **kwargs: Any) -> None:
    # set_password() keeps the new raw password on the instance until the
    # save is done: a password was just set. While the account still owes a
    # password change, that new password is a new one-time password.
    if getattr(instance, "_password", None) is not None:
        PasswordChangeRequired.objects.filter(user_id=instance.pk).update(created_at=timezone.now())


def connect() -> None:
    post_save.connect(_password_set, sender=settings.AUTH_USER_MODEL, dispatch_uid="one_time_password_renewed")
