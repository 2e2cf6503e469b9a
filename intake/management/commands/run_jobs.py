from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from intake import jobs
from intake.models import JobRun


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due now and not yet run by any worker (pdf_worker does this by itself "
        "every JOBS_CHECK_SECONDS). --list shows the jobs and their last runs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--list", action="store_true", help="list the jobs and their last runs; run nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in jobs.JOBS.values():
                self.stdout.write(f"{job.name}: {job.help}")
                for run in JobRun.objects.filter(job__startswith=job.name)[:5]:
                    state = run.error or (run.counts if run.finished_at else "running")
                    self.stdout.write(f"  {run.job} due {run.due_at:%Y-%m-%d %H:%M}: {state}")
            return
        for run in jobs.run_due(worker="run_jobs"):
            self.stdout.write(f"{run.job} due {run.due_at:%Y-%m-%d %H:%M}: {run.error or run.counts}")
