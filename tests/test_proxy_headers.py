"""Forwarded client address and scheme: believed only from TRUSTED_PROXIES (issue 21, point 3)."""

import pytest
from django.urls import reverse

from officer_console.models import AccessLog
from project import proxy

LOOPBACK = proxy.trusted_networks(("127.0.0.1", "::1"))


def _view_and_log(client, officer, submission, **headers) -> str:
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[submission.pk]), **headers)
    assert page.status_code == 200
    # The newest entry: the log is append-only, so earlier views stay.
    return str(AccessLog.objects.order_by("-pk").first().ip)


def test_a_client_cannot_forge_its_address_in_the_access_log(client, officer, submission):
    # A resident's or attacker's own X-Real-IP / X-Forwarded-For, straight to the server.
    forged = {"HTTP_X_REAL_IP": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}
    assert _view_and_log(client, officer, submission, REMOTE_ADDR="203.0.113.7", **forged) == "203.0.113.7"


def test_the_proxy_sets_the_address_the_access_log_records(client, officer, submission):
    # nginx on the same machine (trusted by default) passing the resident's address on.
    ip = _view_and_log(client, officer, submission, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert ip == "198.51.100.23"


@pytest.mark.parametrize("value", ["not-an-ip", "1.2.3.4.5", "<script>", "::g", ""])
def test_an_address_header_that_is_not_an_address_is_ignored_never_a_500(client, officer, submission, value):
    # PostgreSQL's inet column rejected "not-an-ip" with a 500 before.
    ip = _view_and_log(client, officer, submission, HTTP_X_REAL_IP=value, HTTP_X_FORWARDED_FOR=value)
    assert ip == "127.0.0.1"


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "real_ip", "expected"),
    [
        ("203.0.113.7", "10.0.0.1", "10.0.0.2", "203.0.113.7"),  # not a proxy: its headers mean nothing
        ("127.0.0.1", "", "198.51.100.1", "198.51.100.1"),  # a proxy that sets only X-Real-IP
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", "", "198.51.100.1"),  # the client's own entry is left of ours
        ("127.0.0.1", "198.51.100.1, 127.0.0.1", "", "198.51.100.1"),  # two proxies on this machine
        ("127.0.0.1", "6.6.6.6, bogus, 127.0.0.1", "", "127.0.0.1"),  # a bad hop ends the walk
        ("127.0.0.1", "127.0.0.1", "", "127.0.0.1"),  # a resident on the proxy's own machine
        ("::ffff:127.0.0.1", "[2001:db8::5]", "", "2001:db8::5"),  # dual-stack peer, bracketed IPv6
        ("unix-socket", "198.51.100.1", "", "unix-socket"),  # no address: left as the server gave it
    ],
)
def test_client_address_walks_forwarded_for_from_the_right_past_trusted_proxies(peer, forwarded_for, real_ip, expected):
    assert proxy.client_address(peer, forwarded_for, real_ip, LOOPBACK) == expected


def test_a_proxy_on_another_machine_is_trusted_only_once_listed(client, officer, submission, settings):
    headers = {"REMOTE_ADDR": "10.20.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.23"}
    assert _view_and_log(client, officer, submission, **headers) == "10.20.0.5"
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.20.0.0/24"]
    assert _view_and_log(client, officer, submission, **headers) == "198.51.100.23"


def test_https_is_believed_only_from_a_trusted_proxy(client, settings, db):
    # Production mode: behind nginx the scheme comes from X-Forwarded-Proto.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    from_proxy = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    from_anyone = client.get("/healthz", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert from_proxy.status_code == 200
    assert from_anyone.status_code == 301 and from_anyone["Location"].startswith("https://")
