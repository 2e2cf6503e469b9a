"""officer_console's periodic jobs: the access-log purge, once a day; overdue webhooks, every 10 minutes."""

import datetime
import re
from collections.abc import Iterator
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from intake import jobs

from .api import webhooks


def _access_log(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    def run() -> jobs.Counts:
        out = StringIO()
        # The one way entries ever go (purge_access_log); the job only schedules it.
        call_command("purge_access_log", stdout=out)
        deleted = re.search(r"deleted (\d+)", out.getvalue())
        return {"deleted": int(deleted.group(1)) if deleted else 0}

    yield jobs.DueRun("access_log_purge", jobs.daily_at("access_log_purge", now), run)


def _webhook_sweep(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    local = timezone.localtime(now)
    due = local.replace(minute=local.minute - local.minute % 10, second=0, microsecond=0)
    yield jobs.DueRun("webhook_sweep", due, lambda: {"queued": webhooks.sweep(now)})


def register() -> None:
    jobs.register(jobs.Job("access_log_purge", _access_log, "보존기간 지난 접근 기록 삭제 (access-log purge), daily"))
    jobs.register(
        jobs.Job("webhook_sweep", _webhook_sweep, "밀린 웹훅 다시 보내기 (overdue webhooks), every 10 minutes")
    )
