import datetime
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from intake.models import Office
from pdfgen import storage
from pdfgen.bundle import write_bundle


class Command(BaseCommand):
    help = "Zip one day's archived PDFs with a UTF-8 CSV manifest (reference, form, office, dates, sha256)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", required=True, help="service day, YYYY-MM-DD")
        parser.add_argument("--office", help="office slug (default: all offices)")
        parser.add_argument("--output", help="write the zip to this path instead of storage bundles/…")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError("--date must look like 2026-11-25") from exc
        office = None
        if options["office"]:
            office = Office.objects.filter(slug=options["office"]).first()
            if office is None:
                raise CommandError(f"No office with slug {options['office']!r}.")
        label = f"{day.isoformat()}-{office.slug if office else 'all'}"
        if options["output"]:
            path = Path(options["output"])
            with path.open("wb") as target:
                packed = write_bundle(target, day, office.pk if office else None)
            where = str(path)
        else:
            # Sealed like the PDFs in it; --output is the way to hand a bundle over.
            with tempfile.TemporaryFile() as target:
                packed = write_bundle(target, day, office.pk if office else None)
                target.seek(0)
                where = storage.store(f"{storage.BUNDLE_FOLDER}/{label}.zip", target.read())
        self.stdout.write(f"{packed} PDF(s) bundled for {label}: {where}")
