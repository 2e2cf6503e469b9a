"""Production smoke test: the office as docs/PRODUCTION.md installs it, used only through nginx.

Production settings (deploy/minwon.env.example), PostgreSQL, Redis, Debian's nginx with the
shipped docs/nginx.conf (only ports and paths changed) and a self-signed certificate, two
uvicorn processes and a PDF worker. Runs in CI (REQUIRE_SERVICES=1); skipped on SQLite.
"""

import json
import os
import re
import subprocess
import sys
import time
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake.models import Submission
from officer_console.models import AccessLog

from . import factories, live
from .cluster import Browser, Cluster, Console, Consoles, Phone, wait_until
from .production import HOST, Nginx, client_context, distinct_ports, production_env, running_nginx

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The residents' and officers' machine. nginx reaches the processes from 127.0.0.1, so an
# access log that says CLIENT got the address from nginx's header, not from the socket.
CLIENT = "127.0.0.5"
# What a client may send to pass itself off as someone else, or to fake the scheme.
FORGED = {"X-Real-IP": "203.0.113.66", "X-Forwarded-For": "203.0.113.66", "X-Forwarded-Proto": "http"}
PASSWORD = "counter-Password-2026"


class Office:
    """The running office: processes, nginx, and clients that reach it only through nginx."""

    def __init__(self, cluster: Cluster, nginx: Nginx, ports: list[int]) -> None:
        self.cluster, self.nginx, self.ports = cluster, nginx, ports
        self.tls = client_context(nginx.certificate)

    def browser(self) -> Browser:
        return Browser(self.nginx.url, ssl_context=self.tls, source_address=CLIENT, headers=FORGED)

    def phone(self, place, version) -> Phone:
        return Phone(
            self.nginx.url,
            place.slug,
            version.template.code,
            ssl_context=self.tls,
            source_address=CLIENT,
            headers=FORGED,
        )

    def get(self, path: str) -> Any:
        browser = self.browser()
        try:
            return browser.request("GET", path)
        finally:
            browser.close()


@pytest.fixture
def office_stack(services, tmp_path):
    https_port, http_port, *ports = distinct_ports(4)
    env = production_env(
        **live.test_database_env(),
        REDIS_URL=services,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{HOST}:{https_port}",
        PUBLIC_BASE_URL=f"https://{HOST}:{https_port}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        ASGI_SERVER="uvicorn",
        # Apart from other runs on this Redis: pub/sub channels ignore the database number.
        CHANNEL_LAYER_PREFIX=f"smoke{os.getpid()}",
    )
    cluster = Cluster(env, tmp_path / "logs")
    # The release procedure's collectstatic, into the STATIC_ROOT nginx serves.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(collect, cwd=live.ROOT, env=cluster.env, check=True, timeout=300)
    try:
        with running_nginx(tmp_path / "edge", (https_port, http_port), ports, tmp_path / "static") as nginx:
            cluster.start_worker(command="pdf_worker")
            yield Office(cluster, nginx, ports)
    finally:
        cluster.stop()


def _log_in(office: Office, officer) -> Browser:
    browser = office.browser()
    page = browser.request("GET", "/console/login/").body.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf, page
    body = urlencode({"csrfmiddlewaretoken": csrf.group(1), "username": officer.username, "password": PASSWORD})
    assert browser.request("POST", "/console/login/", body).status == 302
    return browser


def _submit(office: Office, place, version) -> Submission:
    phone = office.phone(place, version)
    response = phone.submit(factories.VALID_VALUES, phone.open_form())
    phone.close()
    location = response.headers["Location"] or ""
    assert response.status == 302 and location.startswith("/t/"), response.body  # type: ignore[attr-defined]
    return Submission.objects.get(public_token=location.split("/")[2])


def _edge_serves_health_and_static(office: Office) -> None:
    health = office.get("/healthz")
    assert health.status == 200 and health.headers["Content-Type"] == "application/json"
    assert json.loads(health.body)["ok"] is True
    static = office.get("/static/js/console.js")
    assert static.status == 200 and b"WebSocket" in static.body
    # SERVE_STATIC is off: these come from nginx, as Django sets them on its own pages.
    assert (static.headers["Strict-Transport-Security"] or "").startswith("max-age="), static.headers
    assert static.headers["X-Content-Type-Options"] == "nosniff", static.headers
    plain = Browser(f"http://{HOST}:{office.nginx.http_port}")
    assert plain.request("GET", "/healthz").headers["Location"].startswith("https://")
    plain.close()


def test_the_office_behind_nginx_serves_submits_archives_and_survives_a_dead_process(office_stack):
    office = office_stack
    version = factories.form_version()
    place = factories.office(forms=[version])
    officer = factories.officer(place)
    officer.set_password(PASSWORD)
    officer.save()
    first, second = office.ports
    office.cluster.start_server(first)  # alone, so that the console's socket is on it
    staff = _log_in(office, officer)
    console = Console([office.nginx.url], place.pk, staff.cookie_header, ssl_context=office.tls, source_address=CLIENT)
    with Consoles([console]) as consoles:
        assert wait_until(consoles.all_connected, timeout=15), "the console did not connect through nginx"
        office.cluster.start_server(second)
        _edge_serves_health_and_static(office)

        submission = _submit(office, place, version)
        assert wait_until(lambda: (submission.pk, submission.revision) in console.live_events, timeout=10)
        _archived_pdf_downloads(office, staff, submission)
        # The access log has the officer's machine: never the forged header, never nginx.
        assert set(AccessLog.objects.values_list("ip", flat=True)) == {CLIENT}

        office.cluster.kill(f"server-{first}")
        assert wait_until(lambda: console.connects == 2 and consoles.all_connected(), timeout=15)
        after = _submit(office, place, version)
        assert wait_until(lambda: (after.pk, after.revision) in console.live_events, timeout=10)
    staff.close()
    _a_process_back_after_an_outage_serves_at_once(office, second, first)


def _archived_pdf_downloads(office: Office, staff: Browser, submission: Submission) -> None:
    # The archive prints the full 주민등록번호: a download takes a stated reason, posted like the page's form.
    url = reverse("officer_console:submission_pdf", args=[submission.pk])
    page = reverse("officer_console:submission", args=[submission.pk])

    def download() -> Any:
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', staff.request("GET", page).body.decode())
        body = urlencode({"csrfmiddlewaretoken": csrf.group(1) if csrf else "", "reason": "스모크 테스트 확인"})
        return staff.request("POST", url, body)

    assert wait_until(lambda: download().status == 200, timeout=90, interval=0.5)
    pdf = download()
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.body)).pages)
    assert submission.reference in text


def _a_process_back_after_an_outage_serves_at_once(office: Office, running: int, restarted: int) -> None:
    """All processes down (a full restart), then one back: nginx must use it at once.
    With max_fails=2 fail_timeout=10s nginx answered 502 for up to 10 s."""
    office.cluster.kill(f"server-{running}")
    assert [office.get("/healthz").status for _ in range(6)] == [502] * 6
    office.cluster.start_server(restarted)  # returns once it listens
    started = time.monotonic()
    assert office.get("/healthz").status == 200, f"502 {time.monotonic() - started:.1f} s after a process was back"
