"""The archive checks run on every generated PDF, and the layout they check."""

import copy
import io

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from forms_catalog.schema import field_of
from pdfgen import checks, failures, render, services, tasks
from pdfgen.models import ArchivedDocument, PdfLayout

from . import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rendered(submission):
    context, data = services.build_context(submission)
    pdf = render.render_pdf(services.render_html(submission, context), data)
    return pdf, context, data


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_generated_pdf_passes_every_check(submission):
    pdf, context, data = _rendered(submission)
    texts = checks.expected_texts(context)
    assert ("성명", "홍길동") in texts and ("주소", "서울특별시 서초구 남부순환로 2584, 101호") in texts
    assert ("신청인 구분", "본인") in texts
    assert checks.check_pdf(pdf, data, texts, title="주민등록표 등본 교부 신청서", author="서초구청") == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata["/Author"] == "서초구청"
    assert reader.trailer["/Root"]["/Lang"] == "ko"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged (pdf_tags)
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1] for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert fonts == {"Archive", "Archive-Bold"}  # Nanum Gothic only: no glyph fell back to another font


def test_checks_report_altered_data_missing_text_and_plain_pdfs(submission):
    pdf, context, data = _rendered(submission)
    altered = copy.deepcopy(data)
    altered["values"]["name"] = "김철수"
    expected = checks.expected_texts(context)
    problems = checks.check_pdf(pdf, altered, [*expected, ("대리인 성명", "김철수"), "이영희"])
    assert any("differs from the stored data" in p for p in problems)
    # A problem is logged and stored: it names what is missing, never the resident's value.
    assert f"text not extractable: 대리인 성명, text #{len(expected) + 2}" in problems
    assert not any("김철수" in p or "이영희" in p for p in problems)

    plain = HTML(string="<html lang='en'><p>hello</p></html>").write_pdf()
    problems = checks.check_pdf(plain, data, [])
    assert "XMP lacks PDF/A-3B identification" in problems
    assert "no PDF/A output intent with an ICC profile" in problems
    assert "attachment submission.json missing" in problems
    assert "document language is not ko" in problems


def test_a_pdf_failing_the_checks_is_not_stored(submission, monkeypatch):
    monkeypatch.setattr(render, "render_pdf", lambda html, data, **kw: HTML(string=html).write_pdf())
    with pytest.raises(failures.RenderFailed, match="ArchiveCheckError"):
        tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    assert not doc.file and doc.attempts == 1 and "PDF/A" in doc.last_error


def test_official_layout_with_proxy_signature_and_processing(office, version, officer):
    from officer_console.console import services as staff

    values = {**factories.VALID_VALUES, "applicant_type": "proxy", "proxy_name": "김대리"}
    submission = factories.submitted(office, version, values)
    staff.call(submission.pk, officer, None)
    staff.set_id_checked(submission.pk, officer, True)
    staff.complete(submission.pk, officer)
    submission.refresh_from_db()
    pdf, context, data = _rendered(submission)
    text = _text(pdf)
    for expected in (
        "접수번호",
        "접수일시",
        "대리인",
        "김대리",
        "■ 대리인",
        "□ 본인",
        "(서명 또는 인)",
        "처리자",
        "officer",
        "신분 확인",
        "확인함",
        "서초구청장 귀하",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf))
    images = [img for page in reader.pages for img in page.images]
    assert images, "the signature is drawn in the 서명 box"
    assert checks.check_pdf(pdf, data, checks.expected_texts(context)) == []


def test_long_content_flows_to_more_pages_with_repeated_headers(office):
    long_schema = {
        "sections": [
            {
                "key": "history",
                "title": "경력 사항",
                "fields": [{"key": f"entry{i}", "type": "text", "label": f"경력 {i}"} for i in range(90)],
            }
        ]
    }
    version = factories.form_version("long-form", schema=long_schema)
    submission = factories.submitted(office, version, {f"entry{i}": f"서초구청 민원과 근무 {i}년차" for i in range(90)})
    pdf, context, data = _rendered(submission)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages[1:]:
        page_text = page.extract_text()
        assert "경력 사항" in page_text  # the section's header row repeats
        assert submission.reference in page_text and "(계속)" in page_text  # running page header
    assert checks.check_pdf(pdf, data, checks.expected_texts(context)) == []


def test_an_admin_supplied_layout_replaces_the_generic_one(submission):
    PdfLayout.objects.create(
        form_version=submission.form_version,
        html='{% extends "pdfgen/submission.html" %}{% block heading %}<h1>맞춤 서식 {{ doc.title }}</h1>{% endblock %}',
    )
    pdf, context, data = _rendered(submission)
    assert "맞춤 서식 주민등록표 등본 교부 신청서" in _text(pdf)
    assert checks.check_pdf(pdf, data, checks.expected_texts(context)) == []


def test_staff_can_queue_failed_pdfs_again_from_the_admin(admin_client, submission):
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    ArchivedDocument.objects.filter(submission=submission).update(status="failed", attempts=5)
    DBTaskResult.objects.all().delete()
    doc = ArchivedDocument.objects.get(submission=submission)
    response = admin_client.post(
        reverse("admin:pdfgen_archiveddocument_changelist"),
        {"action": "retry_render", "_selected_action": [doc.pk]},
        follow=True,
    )
    assert response.status_code == 200
    doc.refresh_from_db()
    assert doc.status == "pending" and doc.attempts == 0 and DBTaskResult.objects.count() == 1


def test_the_admin_refuses_a_layout_with_a_template_error(version):
    from pdfgen.admin import PdfLayoutForm

    form = PdfLayoutForm(data={"form_version": version.pk, "html": "{% block x %}안 닫힘", "active": True})
    assert not form.is_valid() and "템플릿 문법 오류" in form.errors["html"][0]


def test_a_scanned_seal_is_printed_in_its_row(office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from intake import uploads

    seal_field = {"key": "principal_seal", "type": "seal", "label": "위임자 인감"}
    schema = {
        "sections": [
            *factories.SCHEMA["sections"],
            {"key": "delegation", "title": "위임장", "fields": [seal_field]},
        ]
    }
    scan = Image.new("RGB", (800, 800), "white")
    ImageDraw.Draw(scan).ellipse((100, 100, 700, 700), outline=(200, 20, 20), width=40)
    raw = io.BytesIO()
    scan.save(raw, "PNG")
    stored = uploads.store(
        field_of(seal_field), SimpleUploadedFile("seal.png", raw.getvalue(), content_type="image/png")
    )
    version = factories.form_version("seal-form", schema=schema)
    submission = factories.submitted(office, version, {**factories.VALID_VALUES, "principal_seal": stored})

    pdf, context, data = _rendered(submission)
    reader = PdfReader(io.BytesIO(pdf))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 2  # the signature and the seal
    assert "위임자 인감" in _text(pdf) and "seal.png" not in _text(pdf)  # the image, not the file name
    assert checks.check_pdf(pdf, data, checks.expected_texts(context)) == []
