import datetime
import hashlib
import io
import json

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from officer_console.console import services as staff
from pdfgen import failures, storage, tasks
from pdfgen.models import ArchivedDocument

from . import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_submit_queues_the_render_in_the_same_transaction(submission):
    doc = ArchivedDocument.objects.get(submission=submission)
    assert doc.status == "pending"
    task = DBTaskResult.objects.get()
    assert task.task_path == "pdfgen.tasks.render_submission_pdf"
    assert task.args_kwargs["args"] == [submission.pk, 1]


def test_rendered_pdf_is_pdfa_with_korean_text_and_the_data_attached(submission):
    digest = tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    content = storage.read_pdf(doc)
    assert doc.status == "done" and digest == doc.sha256 == hashlib.sha256(content).hexdigest()

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "주민등록표 등본 교부 신청서",
        "홍길동",
        "서울특별시 서초구 남부순환로 2584, 101호",
        submission.reference,
    ):
        assert expected in text
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw_xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in raw_xmp and "3" in raw_xmp
    assert reader.trailer["/Root"]["/OutputIntents"]
    attached = json.loads(reader.attachments["submission.json"][0])
    assert attached["values"]["rrn"] == factories.RRN
    assert attached["reference"] == submission.reference
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/DescendantFonts", [font])[0].get_object()["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_completion_rerenders_and_replaces_the_file(submission, officer):
    tasks.render_and_store(submission.pk, 1)
    first = ArchivedDocument.objects.get(submission=submission)
    staff.call(submission.pk, officer, None)
    staff.complete(submission.pk, officer)
    first.refresh_from_db()
    assert first.status == "pending" and first.wanted_revision == 3
    tasks.render_and_store(submission.pk, 3)
    final = ArchivedDocument.objects.get(submission=submission)
    assert final.status == "done" and final.rendered_revision == 3
    assert final.file.name != first.file.name
    assert not final.file.storage.exists(first.file.name)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(storage.read_pdf(final))).pages)
    assert "처리 완료" in text


def test_a_failed_render_is_recorded_and_retried_later(submission, monkeypatch):
    import pdfgen.render

    def broken(*args, **kwargs):
        raise RuntimeError("font exploded")

    monkeypatch.setattr(pdfgen.render, "render_pdf", broken)
    with pytest.raises(failures.RenderFailed, match="RuntimeError: font exploded"):
        tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    assert doc.attempts == 1 and "font exploded" in doc.last_error and doc.status == "pending"
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry is not None and retry.run_after is not None


def test_pdf_download_is_permission_checked_and_logged(client, submission, officer, other_office):
    from django.urls import reverse

    from officer_console.models import AccessLog

    tasks.render_and_store(submission.pk, 1)
    url = reverse("officer_console:submission_pdf", args=[submission.pk])
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.post(url, {"reason": "민원인 사본 요청"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = AccessLog.objects.get(action="download", subject_reference=submission.reference)
    assert log.reason == "민원인 사본 요청"


def test_backoff_doubles_and_stops_after_the_last_attempt_as_failed(submission, monkeypatch):
    from django.utils import timezone

    import pdfgen.render

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdfgen.render, "render_pdf", disk_full)
    DBTaskResult.objects.all().delete()
    expected = [10, 20, 40, 80]  # 5 × 2ⁿ seconds, then no more retries
    retries = 0
    for _attempt in range(tasks.MAX_ATTEMPTS):
        before = timezone.now()
        with pytest.raises(failures.RenderFailed, match="OSError"):
            tasks.render_and_store(submission.pk, 1)
        after = timezone.now()
        queued = DBTaskResult.objects.order_by("-enqueued_at").first()
        if queued is not None:
            # Due that long after the failure, whenever during the call it came.
            delay = datetime.timedelta(seconds=expected[retries])
            assert before + delay <= queued.run_after <= after + delay
            retries += 1
            queued.delete()
    doc = ArchivedDocument.objects.get(submission=submission)
    assert retries == len(expected)
    assert doc.status == "failed" and doc.attempts == tasks.MAX_ATTEMPTS and "disk full" in doc.last_error
    assert not DBTaskResult.objects.exists()
