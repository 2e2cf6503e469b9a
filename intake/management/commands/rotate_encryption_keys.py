from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from intake import crypto
from intake.models import Draft, Submission


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data with the first key of FIELD_ENCRYPTION_KEYS. Put the new key first, keep the old "
        "ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be re-encrypted.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        primary = crypto.primary_key_id()
        for model in (Submission, Draft):
            stale = model.objects.exclude(sensitive_data="").exclude(
                sensitive_data__startswith=f"{crypto.PREFIX}:{primary}:"
            )
            count = 0
            for row in stale.only("pk", "sensitive_data").iterator(chunk_size=500):
                if not dry_run:
                    # Compare-and-set: a row changed meanwhile is left for the next run.
                    model.objects.filter(pk=row.pk, sensitive_data=row.sensitive_data).update(
                        sensitive_data=crypto.reencrypt(row.sensitive_data)
                    )
                count += 1
            verb = "would re-encrypt" if dry_run else "re-encrypted"
            self.stdout.write(f"{model._meta.verbose_name_plural}: {verb} {count}")
