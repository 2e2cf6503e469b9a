"""pdfgen's periodic job: yesterday's archive bundle (기록물 이관), once a day."""

import datetime
import re
from collections.abc import Iterator
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from intake import jobs


def _bundle(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    due = jobs.daily_at("archive_bundle", now)
    day = timezone.localtime(due).date() - datetime.timedelta(days=1)

    def run() -> jobs.Counts:
        out = StringIO()
        # The operators' command, so a scheduled bundle and a hand-made one are the same file.
        call_command("archive_bundle", date=day.isoformat(), stdout=out)
        packed = re.search(r"(\d+) PDF", out.getvalue())
        return {"pdfs": int(packed.group(1)) if packed else 0}

    yield jobs.DueRun("archive_bundle", due, run)


def register() -> None:
    jobs.register(jobs.Job("archive_bundle", _bundle, "전날 보관 PDF 묶음 (yesterday's archive bundle), daily"))
