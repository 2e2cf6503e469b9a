"""Issue 21, point 10: shared phones, logs and task errors hold no personal data; uploads are bounded."""

import io
import logging
import traceback

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from forms_catalog.schema import field_of
from forms_catalog.schema.validators import FieldError
from intake import redaction, uploads
from intake.models import Draft
from pdfgen import failures, services, tasks
from pdfgen.models import ArchivedDocument

from . import factories

ADDRESS = factories.VALID_VALUES["address"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_second_form_in_the_same_browser_is_not_prefilled_with_the_rrn(client, db):
    first = factories.form_version("first-form")
    second = factories.form_version("second-form")  # the same fields, shared by semantic key
    office = factories.office(forms=[first, second])
    url = reverse("intake:form", args=[office.slug, "first-form"])
    client.get(url)
    key = str(Draft.objects.get().idempotency_key)
    assert client.post(url, {**factories.VALID_VALUES, "idempotency_key": key}).status_code == 302

    page = client.get(reverse("intake:form", args=[office.slug, "second-form"])).text
    assert 'value="홍길동"' in page  # shared fields still carry over...
    for secret in (factories.RRN, factories.RRN.replace("-", ""), factories.RRN[7:]):
        assert secret not in page  # ...but the 주민등록번호 is typed again, never shown in full


def test_a_failed_pdf_check_keeps_the_address_out_of_the_log_the_error_and_the_task(submission, monkeypatch, caplog):
    # The printed page loses the address: the archive check fails on that value.
    real = services.render_html
    monkeypatch.setattr(services, "render_html", lambda s, context: real(s, context).replace(ADDRESS, ""))
    with caplog.at_level(logging.WARNING), pytest.raises(failures.RenderFailed) as raised:
        tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    # django-tasks stores the traceback of what the task raised.
    stored_traceback = "".join(traceback.format_exception(raised.value))
    assert "text not extractable: 주소" in doc.last_error  # names the field...
    for where in (doc.last_error, caplog.text, stored_traceback):
        assert ADDRESS not in where and "남부순환로" not in where  # ...never the resident's value
        assert factories.RRN not in where


def test_a_render_error_quoting_values_is_scrubbed(submission, monkeypatch):
    import pdfgen.render

    def quoting(*args, **kwargs):
        raise ValueError(f"cannot lay out {ADDRESS!r} for 홍길동 (01012345678, 010-1234-5678)")

    monkeypatch.setattr(pdfgen.render, "render_pdf", quoting)
    with pytest.raises(failures.RenderFailed) as raised:
        tasks.render_and_store(submission.pk, 1)
    message = ArchivedDocument.objects.get(submission=submission).last_error
    assert message.startswith("ValueError: cannot lay out") and "[개인정보]" in message
    for where in (message, raised.value.details):
        assert not any(s in where for s in (ADDRESS, "홍길동", "01012345678", "010-1234-5678"))


def test_every_log_line_masks_rrn_and_mobile_numbers():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "lookup %s failed", (factories.RRN,), None)
    try:
        raise RuntimeError("SMS to 010-9876-5432 refused; owner 9001011234568")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert redaction.PersonalDataFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "lookup [개인정보] failed" in line and "SMS to [개인정보] refused; owner [개인정보]" in line
    assert factories.RRN not in line and "9876" not in line


def test_a_thin_png_of_39_million_pixels_is_refused_before_it_is_decoded(monkeypatch):
    out = io.BytesIO()
    Image.new("1", (1, 39_000_000)).save(out, "PNG", optimize=True)
    assert len(out.getvalue()) < 100_000  # 76 KB on the wire, ~3 s of CPU to decode and re-encode
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(FieldError) as exc:
        uploads.store(field_of({"key": "photo", "type": "file"}), SimpleUploadedFile("thin.png", out.getvalue()))
    assert "너무 큽니다" in exc.value.message and decoded == []


def test_a_phone_photo_still_goes_through():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(out, "JPEG")
    stored = uploads.store(field_of({"key": "photo", "type": "file"}), SimpleUploadedFile("photo.jpg", out.getvalue()))
    assert stored["content_type"] == "image/jpeg"


def test_uploads_are_rate_limited_per_browser(client, db, settings, tmp_path):
    settings.RATE_LIMIT_UPLOAD_CLIENT = "2/600"
    office, version = factories.id_copy_form()
    url = reverse("intake:form", args=[office.slug, version.template.code])
    client.get(url)
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(png, "PNG")
    for attempt in range(3):
        response = client.post(url, {"name": "", "id_copy": SimpleUploadedFile(f"{attempt}.png", png.getvalue())})
    assert "파일을 너무 많이 올렸습니다" in response.text
    assert len(list((tmp_path / "uploads").iterdir())) == 2
    # Another browser is not held back by this one.
    other = type(client)()
    other.get(url)
    other.post(url, {"name": "", "id_copy": SimpleUploadedFile("x.png", png.getvalue())})
    assert len(list((tmp_path / "uploads").iterdir())) == 3
