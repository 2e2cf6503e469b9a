"""Staff pages with personal data, and every download, say `Cache-Control: no-store`."""

from django.urls import reverse

from pdfgen import tasks

from . import factories


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_staff_pages_and_downloads_are_never_stored(client, office, officer, submission, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tasks.render_and_store(submission.pk, 1)
    client.force_login(officer)
    pages = [
        reverse("officer_console:console", args=[office.pk]),
        reverse("officer_console:submission", args=[submission.pk]),
        reverse("officer_console:search", args=[office.pk]) + "?reference=x",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
    # A download takes a reason (issue #21 point 1).
    pdf = client.post(reverse("officer_console:submission_pdf", args=[submission.pk]), {"reason": "민원인 요청"})
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # read to the end, which closes the file
    assert pdf["Content-Type"] == "application/pdf" and _no_store(pdf)

    client.force_login(factories.officer(office, "manager", role="manager"))
    for url in (
        reverse("officer_console:access_log_csv", args=[office.pk]),
        reverse("reports:csv"),
        reverse("reports:pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url


def test_resident_pages_keep_their_own_caching(client, office):
    response = client.get(reverse("intake:office", args=[office.slug]))
    assert response.status_code == 200 and not _no_store(response)
