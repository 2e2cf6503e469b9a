"""The archive holds the resident's uploads: the originals embedded (PDF/A-3) and each page printed in 첨부 서류."""

import io
import re

import pytest
from pypdf import PdfReader

from intake import sealed
from intake.services import submission_values
from pdfgen import checks, storage, tasks
from pdfgen.models import ArchivedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(filed_with_uploads):
    return filed_with_uploads


def test_the_archived_pdf_embeds_each_upload_and_prints_its_pages(filed):
    tasks.render_and_store(filed.pk, filed.revision)
    pdf = storage.read_pdf(ArchivedDocument.objects.get(submission=filed))
    reader = PdfReader(io.BytesIO(pdf))

    # The originals, byte for byte, as PDF/A-3 associated files beside submission.json.
    values = submission_values(filed)
    embedded = reader.attachments
    assert embedded["attachment-id_copy.png"] == [sealed.read(values["id_copy"]["file"])]
    assert embedded["attachment-delegation.pdf"] == [sealed.read(values["delegation"]["file"])]
    assert set(embedded) == {"submission.json", "attachment-id_copy.png", "attachment-delegation.pdf"}
    relationships = checks._attachment_relationships(reader)
    assert relationships["attachment-delegation.pdf"] == "/Source"

    # 첨부 서류: the photo on a page of its own, then the 위임장 page by page, each an image.
    text = checks.extract_text(pdf)
    appendix = [page for page in reader.pages if re.search(r"첨부 \d\.", page.extract_text())]
    assert len(appendix) == 3
    assert "첨부 1. 신분증 사본" in text and "첨부 2. 위임장 (2/2쪽)" in text
    assert values["delegation"]["sha256"] in checks._squash(text)
    sizes = {image.image.size for page in appendix for image in page.images}
    assert (60, 40) in sizes  # the photo as uploaded (already smaller than print size)
    assert any(width > 1200 for width, _ in sizes)  # and the 위임장's pages rendered for A4


def test_the_archive_check_refuses_a_pdf_missing_an_upload(filed):
    from pdfgen import render, services

    context, data = services.build_context(filed)
    files = services.embedded_files(context)
    pdf = render.render_pdf(services.render_html(filed, context), data, files=files[:1])
    problems = checks.check_pdf(pdf, data, checks.expected_texts(context), files=files)
    assert problems == ["attached file attachment-delegation.pdf missing or altered"]
