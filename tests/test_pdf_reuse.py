"""What a PDF worker keeps between archives (issue #26): parsed style sheets, and the checks' lazy reader."""

import io
import re

import pytest
import weasyprint.css
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from weasyprint import HTML

from pdfgen import checks, render, services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rendered(submission) -> bytes:
    context, data = services.build_context(submission)
    return render.render_pdf(services.render_html(submission, context), data)


def _page_content(pdf: bytes) -> bytes:
    # The drawing operators of every page; an image's resource name is a hash of its data URI, not layout.
    streams = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(rb"/i[0-9a-f]{32}\d* Do", b"/image Do", streams)


def test_the_shared_style_sheet_is_parsed_once_and_the_record_heads_each_time(office, version, monkeypatch):
    render._PARSED_STYLES.clear()
    first = factories.submitted(office, version)
    _rendered(first)
    kept = dict(render._PARSED_STYLES)
    assert len(kept) == 2  # the shared rules, and the first record's running heads

    parsed = []
    original = render.CSS
    monkeypatch.setattr(render, "CSS", lambda **kw: parsed.append(kw["string"]) or original(**kw))
    second = factories.submitted(office, version)
    pdf = _rendered(second)
    assert len(parsed) == 1 and second.reference in parsed[0] and "table.form" not in parsed[0]
    assert second.reference in checks.extract_text(pdf)


def test_kept_style_sheets_lay_out_exactly_as_weasyprint_alone(office, version, monkeypatch):
    submission = factories.submitted(office, version)
    _rendered(submission)  # the shared sheet is kept now
    kept = _rendered(submission)
    monkeypatch.setattr(weasyprint.css, "find_stylesheets", render._weasyprint_find_stylesheets)
    assert _page_content(kept) == _page_content(_rendered(submission))


def test_sheets_that_write_document_state_are_not_kept():
    render._PARSED_STYLES.clear()
    html = (
        "<html lang='ko'><style>@counter-style thumbs { system: cyclic; symbols: '*'; suffix: ' '; }"
        " ol { list-style: thumbs; }</style><ol><li>하나</li></ol></html>"
    )
    for _ in range(2):
        pdf = HTML(string=html).write_pdf()
        assert "*" in checks.extract_text(pdf)  # the counter style applies on every render
    assert not render._PARSED_STYLES


def test_the_checks_reader_resolves_the_same_objects_as_pypdf(submission):
    pdf = _rendered(submission)
    plain, lazy = PdfReader(io.BytesIO(pdf)), checks._ArchiveReader(io.BytesIO(pdf))
    assert plain.xref_objStm  # WeasyPrint writes object streams: the lazy path is the one taken
    for number in sorted(plain.xref_objStm, reverse=True):  # any order: each object alone
        ours, theirs = lazy.get_object(IndirectObject(number, 0, lazy)), plain.get_object(number)
        assert re.sub(r", \d+\)", ")", repr(ours)) == re.sub(r", \d+\)", ")", repr(theirs))
