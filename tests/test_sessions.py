import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from project.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_back_with_its_data():
    store = SessionStore()
    store["resident_key"] = "r-1"
    store["counter_id"] = 7
    store.save()
    again = SessionStore(store.session_key)
    assert again["resident_key"] == "r-1" and again["counter_id"] == 7
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_loads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["resident_key"] = "r-1"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_log_out_ends_the_session_for_its_cookie(client, django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw-1234-long")
    client.force_login(user)
    key = client.session.session_key
    assert SessionStore(key).get("_auth_user_id") == str(user.pk)
    client.post(reverse("officer_console:logout"))
    assert SessionStore(key).load() == {}
