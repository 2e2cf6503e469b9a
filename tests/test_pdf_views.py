"""The PDF state on the officer's page: 준비 중 / 완료 / 실패 and the staff-only retry."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from pdfgen import tasks
from pdfgen.models import ArchivedDocument

from . import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _fail(submission) -> ArchivedDocument:
    ArchivedDocument.objects.filter(submission=submission).update(
        status=ArchivedDocument.Status.FAILED, attempts=5, last_error="RuntimeError: font exploded"
    )
    return ArchivedDocument.objects.get(submission=submission)


def test_the_officer_page_shows_pending_then_done_with_the_download_link(client, officer, submission):
    page = reverse("officer_console:submission", args=[submission.pk])
    client.force_login(officer)
    html = client.get(page).content.decode()
    assert 'data-pdf-status="pending"' in html and "준비 중" in html
    assert f'hx-get="{reverse("archive:status", args=[submission.pk])}"' in html  # polls while rendering
    tasks.render_and_store(submission.pk, 1)
    html = client.get(reverse("archive:status", args=[submission.pk])).content.decode()
    assert 'data-pdf-status="done"' in html and "hx-get" not in html
    assert reverse("officer_console:submission_pdf", args=[submission.pk]) in html


def test_a_failed_pdf_shows_on_the_console_with_a_retry_that_queues_it_again(client, officer, submission):
    _fail(submission)
    page = reverse("officer_console:submission", args=[submission.pk])
    client.force_login(officer)
    html = client.get(page).content.decode()
    assert "실패" in html and "font exploded" in html and "data-pdf-retry" in html

    tasks_before = DBTaskResult.objects.count()
    response = client.post(reverse("archive:retry", args=[submission.pk]), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    doc = ArchivedDocument.objects.get(submission=submission)
    assert doc.status == "pending" and doc.attempts == 0
    assert DBTaskResult.objects.count() == tasks_before + 1

    tasks.render_and_store(submission.pk, 1)  # what the worker then does
    assert ArchivedDocument.objects.get(submission=submission).status == "done"


def test_retry_over_htmx_returns_the_polling_status(client, officer, submission):
    _fail(submission)
    client.force_login(officer)
    response = client.post(reverse("archive:retry", args=[submission.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-pdf-status="pending"' in html and "hx-get" in html


def test_retry_and_status_are_for_staff_of_that_office_only(client, submission, other_office):
    _fail(submission)
    retry = reverse("archive:retry", args=[submission.pk])
    assert client.post(retry).status_code == 302  # to the login page
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.post(retry).status_code == 404
    assert client.get(reverse("archive:status", args=[submission.pk])).status_code == 404
    assert client.get(retry).status_code == 405
    assert ArchivedDocument.objects.get(submission=submission).status == "failed"
