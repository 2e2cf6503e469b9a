import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from pdfgen.sweeper import sweep, worker_id


class Command(BaseCommand):
    help = (
        "The PDF worker: db_worker under a name the sweeper can check, sweeping stranded renders "
        "at start and periodically; exits after --max-tasks so a supervisor restarts it fresh."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--max-tasks", type=int, default=200, help="recycle the process after this many tasks")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls of an empty queue")
        parser.add_argument("--sweep-every", type=float, default=60.0, help="seconds between sweeps")

    def handle(self, *args: Any, **options: Any) -> None:
        sweep()
        stop = threading.Event()

        def sweep_periodically() -> None:
            try:
                while not stop.wait(options["sweep_every"]):
                    sweep()
            finally:
                connection.close()

        sweeper = threading.Thread(target=sweep_periodically, name="pdf-sweeper", daemon=True)
        sweeper.start()
        try:
            # db_worker runs one task at a time in this process.
            call_command(
                "db_worker",
                max_tasks=options["max_tasks"],
                interval=options["interval"],
                worker_id=worker_id(),
                reload=False,
                startup_delay=False,
            )
        finally:
            stop.set()
