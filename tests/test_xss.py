"""Hostile text in every place people can write — resident values, admin-written form
labels, help and choices, office names and notices, officer prompts — is shown as
text on every screen: resident pages, console, mirror, lobby, report, PDF."""

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from officer_console.console import mirror, services
from officer_console.models import Membership
from pdfgen import render
from pdfgen import services as pdf_services

from . import factories

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'"
RAW = ("<script>alert(1)", "<img src=x")

SCHEMA = {
    "sections": [
        {
            "key": "s",
            "title": "신청인 " + PAYLOAD,
            "fields": [
                {"key": "guide", "type": "guidance", "label": "안내", "help": "도움말 " + PAYLOAD},
                {"key": "name", "type": "text", "label": "성명 " + PAYLOAD, "help": PAYLOAD, "required": True},
                {"key": "memo", "type": "textarea", "label": "내용", "required": True},
                {
                    "key": "kind",
                    "type": "choice",
                    "label": "구분",
                    "required": True,
                    "choices": [{"value": "a", "label": "가 " + PAYLOAD}, {"value": "b", "label": "나"}],
                },
                {"key": "rrn", "type": "rrn", "label": "주민등록번호", "required": True},
            ],
        }
    ]
}


def _assert_text_only(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped payload on {where}"


@pytest.fixture
def hostile(db):
    version = factories.form_version("hostile", schema=SCHEMA)
    version.template.title = "서식 " + PAYLOAD
    version.template.save()
    office = factories.office("hostile-office", name="구청 " + PAYLOAD, forms=[version])
    office.notice = "안내 " + PAYLOAD
    office.save()
    values = {"name": "홍" + PAYLOAD[:40], "memo": PAYLOAD * 3, "kind": "a", "rrn": factories.RRN}
    submission = factories.submitted(office, version, values)
    officer = factories.officer(office, "xss.officer", role=Membership.Role.MANAGER)
    # Both roles: the console's pages need the officer's, the access log and report the manager's.
    Membership.objects.create(user=officer, office=office, role=Membership.Role.OFFICER)
    return office, version, submission, officer


def test_resident_pages_show_hostile_text_as_text(client, hostile):
    office, version, submission, _ = hostile
    for name, args in (
        ("intake:office", [office.slug]),
        ("intake:form", [office.slug, version.template.code]),
        ("intake:ticket", [submission.public_token]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        _assert_text_only(response.text, name)
        assert "&lt;script&gt;alert(1)" in response.text


def test_staff_pages_show_hostile_text_as_text(client, hostile):
    office, _, submission, officer = hostile
    services.call(submission.pk, officer, office.counters.first())
    services.update_mirror(office.counters.first(), show=True, submission=submission, prompt="확인 " + PAYLOAD)
    client.force_login(officer)
    pages = [
        reverse("officer_console:console", args=[office.pk]),
        reverse("officer_console:submission", args=[submission.pk]),
        reverse("officer_console:lobby_tv", args=[services.lobby_token(office.pk)]),
        reverse("officer_console:mirror", args=[office.counters.first().pk]),
        reverse("officer_console:search", args=[office.pk]) + "?q=" + submission.reference,
        reverse("officer_console:access_log", args=[office.pk]),
        reverse("reports:report"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_text_only(response.text, url)
    screen = render_to_string("officer_console/mirror.html#screen", mirror.mirror_context(office.counters.first().pk))
    _assert_text_only(screen, "mirror screen (WebSocket)")
    assert "&lt;script&gt;" in screen


def test_the_pdf_prints_hostile_text_literally(hostile):
    _, _, submission, _ = hostile
    context, data = pdf_services.build_context(submission)
    html = pdf_services.render_html(submission, context)
    _assert_text_only(html, "PDF HTML")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render.render_pdf(html, data))).pages)
    assert "<script>alert(1)</script>" in text.replace("\n", "")
