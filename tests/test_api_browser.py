"""The hand-off as it happens: a back office changes a status through the API of a running
server, the officer's open check view follows live, the real worker delivers the signed
webhooks, and the officer copies the mapped values for 새올 with one click.

With SHOTS_DIR set, the pages are also saved there at the counter PC's size."""

import os
import time
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from officer_console.api import tokens
from officer_console.console import services as staff
from officer_console.models import WebhookEndpoint

from . import factories, live, steps
from .webhook_receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

MAPPING = [
    {"code": "APPL_NM", "field": "name", "label": "신청인 성명"},
    {"code": "APPL_RRNO", "field": "rrn", "label": "신청인 주민등록번호"},
    {"code": "APPL_ADDR", "field": "address", "label": "주소"},
    {"code": "ISSU_CNT", "field": "copies", "label": "발급 부수"},
]


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def api_stack(monkeypatch, transactional_db, tmp_path, settings):
    # The worker and the server are processes of their own: they read these from the environment.
    monkeypatch.setenv("WEBHOOK_ALLOW_HTTP_LOCALHOST", "true")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        yield url


def _wait_for(receiver: Receiver, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.requests) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def test_back_office_status_change_reaches_the_console_live_and_its_webhook(browser, api_stack, receiver):
    version = factories.form_version()
    version.template.backoffice_fields = MAPPING
    version.template.save()
    office = factories.office(forms=[version])
    officer = factories.officer(office, "officer.seocho")
    endpoint = WebhookEndpoint.objects.create(office=office, url=receiver.url, events=["called", "completed"])
    _, raw = tokens.create_token(tokens.create_account(office, "새올"), "새올 본청", ["read_queue", "change_status"])
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())

    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    steps.log_in(page, api_stack, "officer.seocho", next_path=f"/console/submission/{submission.pk}/")
    status = page.locator("[data-status]").first
    expect(status).to_have_attribute("data-status", "called")

    # One click puts the values on the clipboard, tab-separated in the mapping's order (masked).
    page.locator('[data-copy-target="backoffice-text"]').click()
    expect(page.locator("[data-copy-status]")).to_contain_text("복사했습니다")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "홍길동\t900101-1******\t서울특별시 서초구 남부순환로 2584, 101호\t2"
    _shot(page, "check-view-copy-panel")
    panel = Axe().run(page, context="[data-backoffice-copy]", options={"resultTypes": ["violations"]})
    assert panel.response["violations"] == []

    auth = {"Authorization": f"Bearer {raw}"}
    url = f"{api_stack}/api/v1/submissions/{submission.pk}/status"
    assert httpx.post(url, json={"status": "processing"}, headers=auth).json()["status"] == "processing"
    expect(status).to_have_attribute("data-status", "processing")  # live, no reload
    assert httpx.post(url, json={"status": "completed"}, headers=auth).json()["status"] == "completed"
    expect(status).to_have_attribute("data-status", "completed")

    _wait_for(receiver, 2)
    events = [Webhook(endpoint.secret).verify(body, headers)["type"] for headers, body in receiver.requests]
    assert events == ["submission.called", "submission.completed"]

    page.goto(f"{api_stack}/console/office/{office.pk}/export/")
    expect(page.locator("[data-day-export]")).to_be_visible()
    _shot(page, "day-export")
    assert steps.accessibility_problems(page) == []
    page.goto(f"{api_stack}/api/v1/docs")
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("/api/v1/submissions/{submission_id}/status").first).to_be_visible()
    _shot(page, "api-docs")
    context.close()
