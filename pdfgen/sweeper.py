"""Nothing is lost when a worker dies: find its stranded work and queue it again.

django-tasks has no retries and a task whose worker died (SIGKILL, OOM, power)
stays RUNNING forever. The sweep, run by every pdf_worker at start and then
periodically, does two things:
1. a render task RUNNING on a worker that is gone is marked FAILED. A worker
   started by pdf_worker is named "pdf:<host>:<pid>", so on the same host a
   vanished pid is proof at once; elsewhere a task running longer than
   PDF_STALE_TASK_SECONDS (far above any real render) is taken as dead;
2. every pending document without a live render task (ready, waiting for
   its back-off, or running on a live worker) gets a new task.
Rendering is idempotent, so a rare duplicate task only finds the file up to date.
"""

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import ArchivedDocument
from .tasks import render_submission_pdf

logger = logging.getLogger(__name__)

RENDER_TASK_PATH = "pdfgen.tasks.render_submission_pdf"
WORKER_PREFIX = "pdf"


class WorkerDied(Exception):
    """Recorded as the failure of a task whose worker vanished mid-run."""


@dataclass(frozen=True)
class SweepResult:
    dead_tasks: int
    requeued: int


def worker_id(pid: int | None = None) -> str:
    host = socket.gethostname()[:40]
    return f"{WORKER_PREFIX}:{host}:{pid or os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed worker whose parent died with it is reparented to PID 1, which
    # in a container may reap it late: until then it is a zombie that still
    # answers signal 0 but runs nothing.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _worker_gone(task: DBTaskResult, now: datetime.datetime) -> bool:
    stale_after = datetime.timedelta(seconds=settings.PDF_STALE_TASK_SECONDS)
    if task.started_at is None or task.started_at < now - stale_after:
        return True
    last = task.worker_ids[-1] if task.worker_ids else ""
    prefix, _, rest = last.partition(":")
    host, _, pid = rest.rpartition(":")
    if prefix == WORKER_PREFIX and host == socket.gethostname()[:40] and pid.isdigit():
        return not _pid_alive(int(pid))
    return False


def sweep() -> SweepResult:
    now = timezone.now()
    dead = 0
    running = DBTaskResult.objects.filter(task_path=RENDER_TASK_PATH, status=TaskResultStatus.RUNNING)
    for task in running:
        if _worker_gone(task, now):
            with transaction.atomic():
                # Only if still RUNNING: the worker may have finished meanwhile.
                locked = (
                    DBTaskResult.objects.select_for_update().filter(pk=task.pk, status=TaskResultStatus.RUNNING).first()
                )
                if locked is not None:
                    locked.set_failed(WorkerDied(f"worker {task.worker_ids[-1:]} died while rendering"))
                    dead += 1

    live = DBTaskResult.objects.filter(
        task_path=RENDER_TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    covered = {args["args"][0] for args in live if args.get("args")}
    requeued = 0
    for doc in ArchivedDocument.objects.filter(status=ArchivedDocument.Status.PENDING).exclude(
        submission_id__in=covered
    ):
        render_submission_pdf.enqueue(doc.submission_id, doc.wanted_revision)
        requeued += 1
    if dead or requeued:
        logger.warning("PDF sweep: %s dead task(s) marked failed, %s document(s) queued again", dead, requeued)
    return SweepResult(dead, requeued)
