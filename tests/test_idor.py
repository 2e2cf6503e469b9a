"""No staff URL of one office opens another office's objects, whatever the URL.

The URL patterns are read from the resolver, so a view added later is
covered without anyone remembering to list it here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from officer_console.api import tokens
from officer_console.api.models import Scope
from officer_console.console import services as staff

from . import factories

pytestmark = pytest.mark.django_db

# Path parameters that name a protected object, and how to fill them.
OBJECT_KWARGS = {"office_id", "pk", "submission_id", "counter_id"}
PUBLIC_NAMESPACES = {"intake", "admin", None}


def _patterns(resolver: URLResolver = None, namespace: str | None = None):  # type: ignore[assignment]
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            keys = set(entry.pattern.regex.groupindex)
            if keys and keys <= OBJECT_KWARGS | {"action"} and namespace not in PUBLIC_NAMESPACES:
                yield f"{namespace}:{entry.name}", keys


@pytest.fixture
def victim(office, version, officer):
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())
    return {
        "office_id": office.pk,
        "pk": submission.pk,
        "submission_id": submission.pk,
        "counter_id": office.counters.first().pk,
        "action": "complete",
    }


def test_the_resolver_finds_the_protected_views():
    names = {name for name, _ in _patterns()}
    assert {"officer_console:submission", "officer_console:console", "officer_console:submission_pdf"} <= names
    assert {"api:get_submission", "api:change_status", "api:archive_pdf"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_offices_officer_and_anonymous_get_nothing(client, victim, other_office, method):
    stranger = factories.officer(other_office, "stranger")
    # The API answers to a bearer token only: 401 to a browser session, however logged in;
    # a token of the other office gets 404 (or 405/422 for a method or body it does not take).
    _, stranger_token = tokens.create_token(tokens.create_account(other_office, "남의 기관"), "stranger", list(Scope))
    checked = 0
    for name, keys in _patterns():
        url = reverse(name, kwargs={k: victim[k] for k in keys})
        api = name.startswith("api:")
        client.logout()
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code in ((401, 405) if api else (302, 403, 404, 405)), (name, anonymous.status_code)
        if anonymous.status_code == 302:
            assert "/login/" in anonymous["Location"], name
        client.force_login(stranger)
        response = getattr(client, method)(url)
        assert response.status_code in ((401, 405) if api else (403, 404, 405)), (name, method, response.status_code)
        if api:
            response = getattr(client, method)(
                url, content_type="application/json", headers={"Authorization": f"Bearer {stranger_token}"}
            )
            assert response.status_code in (404, 405, 422), (name, method, response.status_code)
        checked += 1
    assert checked >= 10
    from intake.models import Submission

    assert Submission.objects.get(pk=victim["pk"]).status == "called"  # nothing changed


def test_a_resident_token_opens_only_its_own_ticket(client, submission, office, version):
    other = factories.submitted(office, version)
    assert client.get(reverse("intake:ticket", args=[submission.public_token])).status_code == 200
    # Change the last character to a different one (appending a fixed "x" matched
    # the real token whenever it already ended in "x").
    last = submission.public_token[-1]
    forged = submission.public_token[:-1] + ("y" if last == "x" else "x")
    assert client.get(reverse("intake:ticket", args=[forged])).status_code == 404
    response = client.get(reverse("intake:ticket", args=[other.public_token]))
    assert other.reference in response.text and submission.reference not in response.text


def test_an_officer_cannot_open_what_only_managers_may(client, office, officer):
    client.force_login(officer)  # an officer of this very office, not a manager
    for url in (
        reverse("officer_console:access_log", args=[office.pk]),
        reverse("officer_console:access_log_csv", args=[office.pk]),
        reverse("reports:report"),
        reverse("reports:csv"),
        reverse("archive:bundle") + f"?office={office.pk}",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
