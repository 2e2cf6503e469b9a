"""Attachments in the check view: served inline to the office's officers only, never cached, each view logged."""

import pytest
from django.urls import reverse

from officer_console.models import AccessLog

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(filed_with_uploads):
    return filed_with_uploads


def _url(submission, key):
    return reverse("officer_console:attachment", args=[submission.pk, key])


def test_the_offices_officer_sees_the_image_inline_and_the_view_is_logged(client, filed):
    officer = factories.officer(filed.office, "kim")
    client.force_login(officer)
    response = client.get(_url(filed, "id_copy"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")
    assert response["Content-Disposition"] == "inline" and response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.username, log.action, log.subject_reference, log.ip) == ("kim", "view", filed.reference, "10.1.2.3")
    assert "신분증 사본" in log.reason


def test_a_pdf_shows_as_page_images_rendered_on_the_server(client, filed):
    client.force_login(factories.officer(filed.office, "kim"))
    page = client.get(_url(filed, "delegation"), {"page": "2"})
    assert page["Content-Type"] == "image/png" and page.content.startswith(b"\x89PNG")
    assert client.get(_url(filed, "delegation")).content.startswith(b"%PDF-")
    for wrong in ("0", "3", "x"):
        assert client.get(_url(filed, "delegation"), {"page": wrong}).status_code == 404
    assert [log.reason for log in AccessLog.objects.order_by("at", "pk")] == [
        "첨부 열람 (attachment): 위임장 2쪽",
        "첨부 열람 (attachment): 위임장",
    ]


def test_another_office_a_manager_and_a_stranger_get_nothing(client, filed):
    other = factories.office("banpo1-dong", name="반포1동 주민센터")
    client.force_login(factories.officer(other, "lee"))
    assert client.get(_url(filed, "id_copy")).status_code == 404
    client.force_login(factories.officer(filed.office, "boss", role="manager"))
    assert client.get(_url(filed, "id_copy")).status_code == 404
    client.logout()
    assert client.get(_url(filed, "id_copy")).status_code == 302
    assert not AccessLog.objects.exists()


def test_only_the_forms_own_uploads_are_served(client, filed):
    client.force_login(factories.officer(filed.office, "kim"))
    for key in ("name", "signature", "nothing", "..%2F..%2Fsettings"):
        assert client.get(f"/console/submission/{filed.pk}/attachment/{key}/").status_code == 404


def test_the_check_view_lists_them_without_opening_them(client, filed):
    client.force_login(factories.officer(filed.office, "kim"))
    page = client.get(reverse("officer_console:submission", args=[filed.pk])).text
    assert f'data-src="{_url(filed, "id_copy")}"' in page and 'data-pages="2"' in page
    assert f'href="{_url(filed, "delegation")}?page=1"' in page  # the link without JavaScript
    assert AccessLog.objects.get().reason == ""  # the page view only: opening a file is a view of its own


def test_a_pdfs_pages_survive_the_submission_and_count_as_paper_saved(filed):
    from intake.services import submission_values
    from officer_console.reports.services import paper_sheets_for

    assert submission_values(filed)["delegation"]["pages"] == 2
    assert paper_sheets_for(filed) == 2 + 2 + 1  # the form's 2 sheets, the 위임장's 2 pages, the ID copy
