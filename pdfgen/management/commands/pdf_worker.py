import contextlib
import logging
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from intake import jobs
from pdfgen.sweeper import sweep, worker_id

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "The PDF worker. Supervises a db_worker child that renders one document at a time and is "
        "replaced by a fresh process after --max-tasks (or if it dies); sweeps renders stranded by "
        "dead workers at every child start and every --sweep-every seconds; runs the periodic jobs that are "
        "due every --jobs-every seconds (each once across all workers). --once runs the child itself."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--max-tasks", type=int, default=200, help="recycle the worker process after this many")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls of an empty queue")
        parser.add_argument("--sweep-every", type=float, default=60.0, help="seconds between sweeps")
        parser.add_argument(
            "--jobs-every", type=float, default=None, help="seconds between checks for due periodic jobs (0: never)"
        )
        parser.add_argument("--once", action="store_true", help="be the worker process (no supervisor)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.work(options)
        else:
            self.supervise(options)

    def work(self, options: dict[str, Any]) -> None:
        # A worker that starts after one died picks up what the dead one left RUNNING.
        sweep()
        call_command(
            "db_worker",
            max_tasks=options["max_tasks"],
            interval=options["interval"],
            worker_id=worker_id(),  # "pdf:<host>:<pid>", so the sweeper can tell when it is gone
            reload=False,
            startup_delay=False,
        )

    def supervise(self, options: dict[str, Any]) -> None:
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "pdf_worker",
            "--once",
            "--max-tasks",
            str(options["max_tasks"]),
            "--interval",
            str(options["interval"]),
        ]
        child: subprocess.Popen[bytes] | None = None
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True
            if child is not None and child.poll() is None:
                child.send_signal(signum)  # db_worker finishes its current task, then exits

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        last_sweep = time.monotonic()
        jobs_every = options["jobs_every"] if options["jobs_every"] is not None else settings.JOBS_CHECK_SECONDS
        last_jobs = -float("inf")
        while not stopping:
            if jobs_every > 0 and time.monotonic() - last_jobs >= jobs_every:
                self.run_jobs()
                last_jobs = time.monotonic()
            if child is None or child.poll() is not None:
                if child is not None and child.returncode != 0:
                    logger.warning("PDF worker %s exited with %s; starting a new one", child.pid, child.returncode)
                    time.sleep(1)  # no hot loop if it cannot start at all
                if stopping:
                    break
                child = subprocess.Popen(command)  # noqa: S603 (our own manage.py)
            if time.monotonic() - last_sweep >= options["sweep_every"]:
                sweep()
                connection.close()
                last_sweep = time.monotonic()
            time.sleep(0.2)
        if child is not None:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    child.kill()
                child.wait()

    def run_jobs(self) -> None:
        # In the supervisor, between its checks of the child: a failed check
        # is logged and tried again next time, never the end of the worker.
        try:
            jobs.run_due(worker=worker_id())
        except Exception:
            logger.exception("checking the periodic jobs failed")
        finally:
            connection.close()
