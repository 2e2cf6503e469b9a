from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from intake import retention


class Command(BaseCommand):
    help = "Purge stale drafts and the personal data of submissions past their form's retention period. Run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would go; change nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        report = retention.purge(dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        self.stdout.write(f"drafts {verb}: {report.drafts}")
        self.stdout.write(f"submissions {verb}: {len(report.submissions)}")
        for reference in report.submissions:
            self.stdout.write(f"  {reference}")
        if not dry_run:
            self.stdout.write(f"attachment files deleted: {report.files}")
