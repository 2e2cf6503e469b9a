"""Every page, in a real browser, under the Content Security Policy: no violation anywhere.

The policy allows no inline script or style, so a page that still relies on
one would silently lose behaviour or layout; this test catches it.
"""

import pytest
from django.contrib.auth.models import User

from intake.models import Submission
from officer_console.console import services as staff

from . import factories, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _Watched:
    """A page whose policy violations are collected, and which can be waited on until
    every violation it has caused so far is reported."""

    def __init__(self, page, violations: list[str]) -> None:
        self.page = page
        self.frames: dict[str, int] = {}  # the page's socket addresses -> frames received
        page.on(
            "console",
            lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber))"
        )
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:  # type: ignore[no-untyped-def]
        # By address: a socket the page let go and opened again owes one first message, not two.
        self.frames.setdefault(ws.url, 0)
        ws.on("framereceived", lambda _: self.frames.__setitem__(ws.url, self.frames.get(ws.url, 0) + 1))

    def visit(self, url: str):  # type: ignore[no-untyped-def]
        self.frames.clear()
        response = self.page.goto(url)
        self.settle()
        return response

    def settle(self) -> None:
        # Every socket answers its connect with a first message (snapshot,
        # screen, calls, changed), which the page then draws: wait for those,
        # then for a marker logged after the page's pending tasks. The
        # browser reports a violation as a task, so any so far comes first.
        self.page.wait_for_load_state("networkidle")
        for _ in range(300):
            if all(self.frames.values()):
                break
            self.page.wait_for_timeout(50)
        assert all(self.frames.values()), f"{self.page.url}: a socket got no first message"
        marker = f"policy-checked-{len(self.frames)}-{id(self)}"
        with self.page.expect_console_message(lambda m: m.text == marker):
            self.page.evaluate(
                "m => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => console.log(m))))",
                marker,
            )


def _visit(watched: _Watched, base: str, paths: list[str]) -> None:
    for path in paths:
        response = watched.visit(base + path)
        assert response is not None and response.status < 400, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_no_page_violates_the_content_security_policy(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office, "officer.csp")
    User.objects.create_superuser("admin.csp", password="pw-for-tests-1")
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())
    counter = office.counters.first()
    violations: list[str] = []

    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    watched = _Watched(phone, violations)
    _visit(
        watched,
        stack,
        [
            "/",
            f"/q/{counter.qr_token}/",
            f"/o/{office.slug}/",
            f"/o/{office.slug}/f/{version.template.code}/",
            f"/t/{submission.public_token}/",
        ],
    )
    phone.goto(f"{stack}/o/{office.slug}/f/{version.template.code}/")
    phone.locator("[data-next]").click()  # the error summary and field messages render too
    phone.wait_for_selector("#error-summary")
    steps.fill_and_sign(phone)
    watched.settle()

    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    watched = _Watched(console, violations)
    steps.log_in(console, stack, "officer.csp")
    _visit(
        watched,
        stack,
        [
            f"/console/office/{office.pk}/",
            f"/console/submission/{submission.pk}/",
            f"/console/lobby/{staff.lobby_token(office.pk)}/",
            f"/console/counter/{counter.pk}/mirror/",
            f"/console/office/{office.pk}/search/",
        ],
    )

    admin = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    watched = _Watched(admin, violations)
    admin.goto(f"{stack}/admin/login/")
    admin.fill("#id_username", "admin.csp")
    admin.fill("#id_password", "pw-for-tests-1")
    admin.click("input[type=submit]")
    _visit(
        watched,
        stack,
        [
            "/admin/",
            "/admin/intake/office/",
            f"/admin/intake/office/{office.pk}/change/",
            "/admin/forms_catalog/formtemplate/",
        ],
    )

    assert violations == []
    assert Submission.objects.count() == 1
