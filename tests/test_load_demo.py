"""`load_demo` is for `make run`: a production install gets no demo accounts by accident."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from officer_console.management.commands.load_demo import DEMO_PASSWORD
from officer_console.models import PasswordChangeRequired

pytestmark = pytest.mark.django_db


def test_in_production_mode_load_demo_refuses_and_creates_nothing(settings):
    settings.PRODUCTION_MODE = True
    with pytest.raises(CommandError, match="createsuperuser"):
        call_command("load_demo", "--no-history")
    assert not User.objects.exists()


def test_forced_in_production_every_demo_account_must_change_its_password(settings, client):
    settings.PRODUCTION_MODE = True
    call_command("load_demo", "--allow-production", "--no-history")
    demo = User.objects.filter(username__in=["admin", "manager", "officer.seocho", "officer.health"])
    assert demo.count() == 4
    assert PasswordChangeRequired.objects.filter(user__in=demo).count() == 4
    assert client.login(username="admin", password=DEMO_PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("officer_console:password_change")


def test_forced_again_an_account_whose_password_was_changed_is_left_alone(settings):
    settings.PRODUCTION_MODE = True
    call_command("load_demo", "--allow-production", "--no-history")
    manager = User.objects.get(username="manager")
    manager.set_password("a-new-Password-2026")
    manager.save()
    PasswordChangeRequired.objects.filter(user=manager).delete()
    call_command("load_demo", "--allow-production", "--no-history")
    assert not PasswordChangeRequired.objects.filter(user=manager).exists()
    assert PasswordChangeRequired.objects.filter(user__username="admin").exists()


def test_in_debug_mode_demo_accounts_keep_the_demo_password(settings):
    settings.PRODUCTION_MODE = False
    call_command("load_demo", "--no-history")
    assert User.objects.get(username="officer.seocho").check_password(DEMO_PASSWORD)
    assert not PasswordChangeRequired.objects.exists()
