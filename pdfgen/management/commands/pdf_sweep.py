from typing import Any

from django.core.management.base import BaseCommand

from pdfgen.sweeper import sweep


class Command(BaseCommand):
    help = "Mark render tasks of dead workers as failed and queue every pending PDF that has no live task."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep()
        self.stdout.write(f"{result.dead_tasks} dead task(s), {result.requeued} document(s) queued again.")
