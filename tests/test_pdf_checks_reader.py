"""The archive checks' lazy reader (issue #26): the same objects as pypdf, without parsing their neighbours."""

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from pdfgen import checks, render, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rendered(submission) -> bytes:
    context, data = services.build_context(submission)
    return render.render_pdf(services.render_html(submission, context), data)


def test_the_checks_reader_resolves_the_same_objects_as_pypdf(submission):
    pdf = _rendered(submission)
    plain, lazy = PdfReader(io.BytesIO(pdf)), checks._ArchiveReader(io.BytesIO(pdf))
    assert plain.xref_objStm  # WeasyPrint writes object streams: the lazy path is the one taken
    for number in sorted(plain.xref_objStm, reverse=True):  # any order: each object alone
        ours, theirs = lazy.get_object(IndirectObject(number, 0, lazy)), plain.get_object(number)
        assert re.sub(r", \d+\)", ")", repr(ours)) == re.sub(r", \d+\)", ")", repr(theirs))
