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


def _watch(page, violations: list[str]) -> None:
    page.on(
        "console", lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber))"
    )


def _visit(page, base: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status < 400, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
        page.wait_for_timeout(300)  # let scripts run and sockets connect


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
    _watch(phone, violations)
    _visit(
        phone,
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

    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    _watch(console, violations)
    steps.log_in(console, stack, "officer.csp")
    _visit(
        console,
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
    _watch(admin, violations)
    admin.goto(f"{stack}/admin/login/")
    admin.fill("#id_username", "admin.csp")
    admin.fill("#id_password", "pw-for-tests-1")
    admin.click("input[type=submit]")
    _visit(
        admin,
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
