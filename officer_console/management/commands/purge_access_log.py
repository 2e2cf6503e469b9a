import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from officer_console.models import AccessLog


class Command(BaseCommand):
    help = "Delete access-log entries older than ACCESS_LOG_RETENTION_DAYS (2 years). The only way entries ever go."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
        old = AccessLog.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"would delete {old.count()} entries before {cutoff:%Y-%m-%d}")
            return
        deleted = AccessLog.objects.purge_before(cutoff)
        self.stdout.write(f"deleted {deleted} entries before {cutoff:%Y-%m-%d}")
