"""One-time passwords expire: past ONE_TIME_PASSWORD_DAYS the account cannot log in until an administrator sets a new one."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from officer_console.models import PasswordChangeRequired

ONE_TIME = "pw-for-tests-1"


def _issued(user, days_ago: float) -> None:
    PasswordChangeRequired.objects.update_or_create(
        user=user, defaults={"created_at": timezone.now() - datetime.timedelta(days=days_ago)}
    )


def _log_in(client: Client, username: str, url_name: str = "officer_console:login"):
    return client.post(reverse(url_name), {"username": username, "password": ONE_TIME})


def test_a_fresh_one_time_password_logs_in_and_must_be_changed(client, officer):
    _issued(officer, days_ago=settings.ONE_TIME_PASSWORD_DAYS - 0.5)
    response = _log_in(client, officer.username)
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get(reverse("officer_console:home")).url == reverse("officer_console:password_change")


def test_an_expired_one_time_password_is_refused_with_a_clear_message(client, officer):
    _issued(officer, days_ago=settings.ONE_TIME_PASSWORD_DAYS + 0.5)
    response = _log_in(client, officer.username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "임시 비밀번호의 사용 기한이 지났습니다" in response.text
    assert "새 임시 비밀번호" in response.text
    # Not "wrong password": the officer must know to ask for a new one.
    assert "아이디 또는 비밀번호가 맞지 않습니다" not in response.text


def test_the_admin_log_in_refuses_it_too(client, db):
    staff = get_user_model().objects.create_user("new.admin", password=ONE_TIME, is_staff=True)
    _issued(staff, days_ago=settings.ONE_TIME_PASSWORD_DAYS + 1)
    response = _log_in(client, staff.username, "admin:login")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "임시 비밀번호의 사용 기한이 지났습니다" in response.text


def test_a_new_password_from_an_administrator_restarts_the_clock(client, officer):
    _issued(officer, days_ago=settings.ONE_TIME_PASSWORD_DAYS + 10)
    assert _log_in(client, officer.username).status_code == 200
    # What the admin's "change password" form does for the account.
    officer.set_password("new-one-time-7Q")
    officer.save()
    response = client.post(
        reverse("officer_console:login"), {"username": officer.username, "password": "new-one-time-7Q"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert PasswordChangeRequired.objects.filter(user=officer).exists(), "the new password is one-time too"


def test_an_account_with_its_own_password_never_expires(client, officer):
    officer.date_joined = timezone.now() - datetime.timedelta(days=400)
    officer.save()
    assert _log_in(client, officer.username).status_code == 302
