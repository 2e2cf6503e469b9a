"""A PDF layout reaches neither the server's files nor the network: only static files, fonts and data: URLs."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from pdfgen import storage, tasks
from pdfgen.models import ArchivedDocument, PdfLayout
from pdfgen.render import ATTACHMENT_NAME, LocalFetcher


@pytest.fixture
def listener():
    """A local web server that counts the requests it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_a_layout_cannot_embed_a_server_file_or_make_requests(admin_client, submission, listener, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    url, hits = listener
    secret = tmp_path / "server-secret.txt"
    secret.write_text("TOP-SECRET-DATABASE-PASSWORD")
    PdfLayout.objects.create(
        form_version=submission.form_version,
        html=(
            '{% extends "pdfgen/submission.html" %}{% block heading %}{{ block.super }}'
            f'<a rel="attachment" href="{secret.as_uri()}">파일</a>'
            '<a rel="attachment" href="db.sqlite3">DB</a>'
            f'<img src="{url}/probe.png" alt=""><link rel="stylesheet" href="{url}/probe.css">'
            "{% endblock %}"
        ),
    )
    preview = admin_client.get(reverse("admin:forms_catalog_formversion_pdf", args=[submission.form_version.pk]))
    assert preview.status_code == 200
    tasks.render_and_store(submission.pk, 1)
    # Stored encrypted (issue #21 point 1): read it as a download does.
    archived = storage.read_pdf(ArchivedDocument.objects.get(submission=submission))
    for pdf in (preview.content, archived):
        reader = PdfReader(io.BytesIO(pdf))
        assert list(reader.attachments) == [ATTACHMENT_NAME]
        assert b"TOP-SECRET" not in pdf
    assert hits == [], "the render made requests to another server"
    # The resident's signature, a data: URL, is still drawn in the archive.
    assert any(page.images for page in PdfReader(io.BytesIO(archived)).pages)


def test_the_fetcher_reads_static_files_fonts_and_data_urls_only(tmp_path):
    fetcher = LocalFetcher()
    static = Path(settings.STATICFILES_DIRS[0]) / "css" / "app.css"
    font = Path(settings.PDF_FONT_DIR) / "NanumGothic.ttf"
    for allowed in (static.as_uri(), font.resolve().as_uri()):
        response = fetcher.fetch(allowed)
        assert response.read(4)
        response.close()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    outside = tmp_path / "x.txt"
    outside.write_text("x")
    escaping = Path(settings.STATICFILES_DIRS[0]) / ".." / ".." / "manage.py"
    for refused in (outside.as_uri(), "file:///etc/passwd", escaping.as_uri(), "http://127.0.0.1:9/", "ftp://x/"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
