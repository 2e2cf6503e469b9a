"""Periodic jobs, run by the worker processes (pdfgen's pdf_worker, `manage.py run_jobs`).

Each app registers its jobs when it starts (AppConfig.ready). A job says
which runs are due at a moment — a name and the due time it stands for —
and how to do one. `run_due()` claims each due run by inserting its JobRun
row: the pair (job, due time) is unique, so of several workers exactly one
wins the insert and runs it; the others see the row and move on. Each run
records its counts (or its error) on that row. Only the latest due time of
each job is run: a worker down for two days runs today's close, which also
ends the earlier days' tickets (intake/dayclose.py).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)

Counts = dict[str, int]


@dataclass(frozen=True)
class DueRun:
    name: str  # e.g. "day_close:seocho-gu"
    due_at: datetime.datetime
    run: Callable[[], Counts]


@dataclass(frozen=True)
class Job:
    name: str
    due: Callable[[datetime.datetime], Iterable[DueRun]]
    help: str = ""


JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    JOBS[job.name] = job


def daily_at(name: str, now: datetime.datetime) -> datetime.datetime:
    """The latest time at or before `now` of a job run daily at settings.JOB_TIMES[name] (Korea time)."""
    at = datetime.time.fromisoformat(settings.JOB_TIMES[name])
    local = timezone.localtime(now)
    due = datetime.datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    return due if due <= local else due - datetime.timedelta(days=1)


def _claim(run: DueRun, worker: str) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=run.name, due_at=run.due_at, worker=worker[:120])
    except IntegrityError:
        return None  # another worker has it


def run_due(now: datetime.datetime | None = None, worker: str = "") -> list[JobRun]:
    """Run every job run due at `now` that no worker has claimed yet; the runs made here."""
    now = now or timezone.now()
    done = []
    for job in list(JOBS.values()):
        for run in job.due(now):
            record = _claim(run, worker)
            if record is None:
                continue
            try:
                record.counts = run.run()
            except Exception as exc:
                logger.exception("job %s due %s failed", run.name, run.due_at)
                record.error = f"{type(exc).__name__}: {exc}"[:2000]
            else:
                logger.info("job %s due %s done: %s", run.name, run.due_at, record.counts)
            record.finished_at = timezone.now()
            record.save(update_fields=["counts", "error", "finished_at"])
            done.append(record)
    return done
