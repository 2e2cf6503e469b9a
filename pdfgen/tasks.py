"""The archive's background work: queue a submission's PDF, render and store it, retry.

Rendering only ever happens in the worker. The request row and the task are
written in the submitter's transaction, so a committed submission always has
its PDF queued. The task, everything that queues it (a failed render queues
itself again, with back-off) and the store live here; the layout it renders
comes from pdfgen.services, which never imports this module.
"""

import datetime
import hashlib
import logging
import os
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from intake.models import Submission

from . import failures, services, storage
from .models import ArchivedDocument

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@task()
def render_submission_pdf(submission_id: int, revision: int) -> str:
    return render_and_store(submission_id, revision)


def request_render(submission: Submission, *, new: bool = False) -> ArchivedDocument:
    """Queue the PDF of the submission's current revision (`new`: it was just created, so has no row yet)."""
    if new:
        doc = ArchivedDocument.objects.create(submission=submission, wanted_revision=submission.revision)
        render_submission_pdf.enqueue(submission.pk, submission.revision)
        return doc
    doc, _ = ArchivedDocument.objects.get_or_create(submission=submission)
    doc.status = ArchivedDocument.Status.PENDING
    doc.wanted_revision = submission.revision
    doc.attempts = 0
    doc.updated_at = timezone.now()
    doc.save()
    render_submission_pdf.enqueue(submission.pk, submission.revision)
    return doc


def render_and_store(submission_id: int, revision: int) -> str:
    from . import checks, render

    doc = ArchivedDocument.objects.select_related("submission").get(submission_id=submission_id)
    if doc.rendered_revision >= revision and doc.status == ArchivedDocument.Status.DONE:
        return "up-to-date"
    submission = Submission.objects.select_related("form_version__template", "office", "handled_by").get(
        pk=submission_id
    )
    if submission.personal_data_purged_at is not None:
        # The archived file is the record now; rendering the emptied form would replace it.
        return "purged"
    _test_delay()
    try:
        context, data = services.build_context(submission)
        files = services.embedded_files(context)
        pdf = render.render_pdf(services.render_html(submission, context), data, files=files)
        # A file that fails the archive checks is never stored: the render
        # counts as failed, is retried, and shows as 실패 if it keeps failing.
        checks.assert_valid(
            pdf,
            data,
            checks.expected_texts(context),
            title=context["doc"]["title"],
            author=context["doc"]["office"],
            files=files,
        )
    except Exception as exc:
        failure = failures.scrubbed(exc, submission)
        _record_failure(doc.pk, submission_id, revision, failure)
        # The task keeps the traceback of what it raised: the scrubbed one, not the original.
        raise failure from None
    return _store(doc.pk, submission, pdf)


def _store(doc_id: int, submission: Submission, pdf: bytes) -> str:
    """Write the new file under a fresh name first, then point the row at it:
    a crash in between leaves the old archive intact, never a half file."""
    digest = hashlib.sha256(pdf).hexdigest()
    name = storage.store(
        f"archive/{submission.submitted_at:%Y/%m}/{submission.reference}-r{submission.revision}.pdf", pdf
    )
    with transaction.atomic():
        locked = ArchivedDocument.objects.select_for_update().get(pk=doc_id)
        if locked.rendered_revision > submission.revision:
            default_storage.delete(name)
            return "superseded"
        old_name = locked.file.name
        locked.file.name = name
        locked.sha256 = digest
        locked.size = len(pdf)
        locked.rendered_revision = submission.revision
        locked.rendered_at = timezone.now()
        locked.last_error = ""
        locked.status = (
            ArchivedDocument.Status.DONE
            if submission.revision >= locked.wanted_revision
            else ArchivedDocument.Status.PENDING
        )
        locked.updated_at = timezone.now()
        locked.save()
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return digest


def _test_delay() -> None:
    # Lets the crash-recovery test kill a worker mid-render; ignored unless DEBUG.
    delay = os.environ.get("PDFGEN_TEST_RENDER_DELAY")
    if delay and settings.DEBUG:
        time.sleep(float(delay))


def _record_failure(doc_id: int, submission_id: int, revision: int, failure: failures.RenderFailed) -> None:
    with transaction.atomic():
        doc = ArchivedDocument.objects.select_for_update().get(pk=doc_id)
        doc.attempts += 1
        doc.last_error = str(failure)[:2000]
        doc.updated_at = timezone.now()
        if doc.attempts >= MAX_ATTEMPTS:
            doc.status = ArchivedDocument.Status.FAILED
        else:
            # django-tasks has no retries of its own: re-enqueue with backoff.
            delay = datetime.timedelta(seconds=5 * 2**doc.attempts)
            render_submission_pdf.using(run_after=timezone.now() + delay).enqueue(submission_id, revision)
        doc.save()
    logger.warning("PDF render for submission %s failed (attempt %s)\n%s", submission_id, doc.attempts, failure.details)


def retry(doc: ArchivedDocument) -> None:
    with transaction.atomic():
        ArchivedDocument.objects.filter(pk=doc.pk).update(status=ArchivedDocument.Status.PENDING, attempts=0)
        render_submission_pdf.enqueue(doc.submission_id, doc.wanted_revision)
