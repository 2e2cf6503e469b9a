"""Log-in throttling (django-axes): wrong passwords lock the account and the address, on the console and the admin."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from . import factories

LOGIN = "officer_console:login"
RIGHT = "pw-for-tests-1"


def _fail(client: Client, username: str, times: int, url_name: str = LOGIN, **extra: str):
    response = None
    for _ in range(times):
        response = client.post(reverse(url_name), {"username": username, "password": "wrong-password"}, **extra)
    return response


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_with_a_clear_korean_message(client, officer, caplog):
    _fail(client, officer.username, settings.AXES_FAILURE_LIMIT - 1)
    with caplog.at_level(logging.WARNING):
        locked = _fail(client, officer.username, 1)
    assert locked.status_code == 429
    assert "로그인을 잠갔습니다" in locked.text and f"{settings.AXES_COOLOFF_TIME.seconds // 60}분 뒤에" in locked.text
    # The log says which account and address, so an administrator knows what to unlock.
    assert any("Locking out" in r.getMessage() and officer.username in r.getMessage() for r in caplog.records)

    # Now even the right password is refused...
    response = client.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT})
    assert response.status_code == 429 and not _logged_in(client)
    # ...from any other address too: spreading the guesses gains nothing.
    other = Client(REMOTE_ADDR="203.0.113.9")
    response = other.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT})
    assert response.status_code == 429 and not _logged_in(other)


def test_an_address_that_tries_many_accounts_is_locked_for_all_of_them(client, office, officer):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess-{n}", 1)
    response = client.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT})
    assert response.status_code == 429 and not _logged_in(client)
    # The officer at another PC is not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT})
    assert response.status_code == 302 and _logged_in(elsewhere)


def test_a_successful_log_in_clears_the_count(client, officer):
    _fail(client, officer.username, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT}).status_code == 302
    client.post(reverse("officer_console:logout"))
    _fail(client, officer.username, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT}).status_code == 302


def test_the_admin_log_in_is_throttled_too(client, db):
    get_user_model().objects.create_superuser("root", password=RIGHT)
    _fail(client, "root", settings.AXES_FAILURE_LIMIT, "admin:login")
    response = client.post(reverse("admin:login"), {"username": "root", "password": RIGHT})
    assert response.status_code == 429 and "로그인을 잠갔습니다" in response.text
    assert not _logged_in(client)


def test_an_administrator_unlocks_with_the_command_or_the_admin(client, officer):
    _fail(client, officer.username, settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.filter(username=officer.username).exists()
    # The admin lists the attempts (deleting the row unlocks); the command does the same.
    assert admin.site.is_registered(AccessAttempt)
    call_command("axes_reset_username", officer.username)
    call_command("axes_reset_ip", "127.0.0.1")
    response = client.post(reverse(LOGIN), {"username": officer.username, "password": RIGHT})
    assert response.status_code == 302 and _logged_in(client)


def test_the_lockout_page_is_in_english_for_an_english_session(client, officer):
    client.post(reverse("intake:preferences"), {"language": "en", "next": "/"})
    locked = _fail(client, officer.username, settings.AXES_FAILURE_LIMIT)
    assert locked.status_code == 429
    assert "Log-in locked" in locked.text and "로그인을 잠갔습니다" not in locked.text


@pytest.mark.parametrize("run", [1, 2])
def test_a_lockout_never_reaches_the_next_test(client, db, run):
    """Attempts live in the test database: each test (and each run of this one) starts unlocked."""
    user = factories.officer(factories.office(), "next-test")
    assert not AccessAttempt.objects.exists()
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.filter(username=user.username).exists()
