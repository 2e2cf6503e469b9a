from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake import rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data (fields and files) with the first key of FIELD_ENCRYPTION_KEYS. Put the new key "
        "first, keep the old ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be re-encrypted.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        unreadable = 0
        for result in rotation.rotate(dry_run=dry_run):
            self.stdout.write(f"{result.what}: {verb} {result.count}")
            if result.unreadable:
                self.stderr.write(f"{result.what}: {result.unreadable} cannot be decrypted with the configured keys")
            unreadable += result.unreadable
        if unreadable:
            # Retiring the old keys now would lose these for good.
            raise CommandError(f"{unreadable} item(s) could not be decrypted; keep the old keys until this is solved.")
