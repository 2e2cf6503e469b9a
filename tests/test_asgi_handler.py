import threading
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from channels.testing import HttpCommunicator
from django.urls import reverse

from intake.models import Submission

from . import factories
from .cluster import form_tokens


def test_the_middleware_chain_and_the_views_run_sync_in_one_thread_hop():
    from project.asgi import django_asgi_app

    # Built async, each sync-only middleware and each hook of the async-capable
    # ones below it would cross between the event loop and a thread.
    assert not iscoroutinefunction(django_asgi_app._middleware_chain)


@pytest.mark.django_db(transaction=True)
def test_a_resident_fills_a_form_over_asgi(office, version):
    from project.asgi import application

    url = reverse("intake:form", args=[office.slug, version.template.code])

    def request(method, body=b"", cookies=""):
        headers = [(b"host", b"127.0.0.1"), (b"cookie", cookies.encode())]
        if method == "POST":
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        communicator = HttpCommunicator(application, method, url, body=body, headers=headers)
        return async_to_sync(communicator.get_response)()

    page = request("GET")
    assert page["status"] == 200 and version.template.title.encode() in page["body"]
    cookies = "; ".join(
        value.decode().split(";", 1)[0] for name, value in page["headers"] if name.lower() == b"set-cookie"
    )
    csrf, key = form_tokens(page["body"].decode())
    body = urlencode({**factories.VALID_VALUES, "csrfmiddlewaretoken": csrf, "idempotency_key": key}).encode()
    response = request("POST", body, cookies)
    assert response["status"] == 302
    assert str(Submission.objects.get().idempotency_key) == key


@pytest.mark.django_db(transaction=True)
def test_requests_reuse_their_thread_and_run_all_sync_work_on_it(office, version):
    from django.core.signals import request_finished, request_started

    from project.asgi import application

    url = reverse("intake:form", args=[office.slug, version.template.code])
    seen: list[tuple[str, str]] = []

    def started(**kwargs):
        seen.append(("started", threading.current_thread().name))

    def finished(**kwargs):
        seen.append(("finished", threading.current_thread().name))

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        for _ in range(3):
            communicator = HttpCommunicator(application, "GET", url, headers=[(b"host", b"127.0.0.1")])
            assert async_to_sync(communicator.get_response)()["status"] == 200
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    # Each request's start, view and finish (which returns the database
    # connection) on one thread; the next request on that same kept thread,
    # not a new one started and joined per request.
    names = {name for _, name in seen}
    assert len(seen) == 6 and len(names) == 1
    assert names.pop().startswith("request")


def test_the_server_tunes_the_collector_for_requests_in_flight():
    # The default young generation (700) promoted each request's live objects
    # into the old one, and full collections (~150 ms with the event loop
    # stopped) also scanned every module, model and app object of the process
    # (docs/PRODUCTION.md, "Garbage collection").
    import subprocess
    import sys

    code = "import gc, project.asgi; print(gc.get_threshold()[0], gc.get_freeze_count(), len(gc.get_objects()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    young, frozen, scanned = map(int, out.split())
    assert young >= 10_000
    assert frozen > 50_000 and scanned < frozen / 10
