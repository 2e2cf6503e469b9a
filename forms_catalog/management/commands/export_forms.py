"""Export forms as a form pack: `manage.py export_forms [code ...] [--published-only] [-o pack.json]`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forms_catalog import packs
from forms_catalog.models import FormTemplate


class Command(BaseCommand):
    help = "Export forms (all, or the given codes) as a form pack (docs/FORM_PACKS.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="form codes; all forms when omitted")
        parser.add_argument("--published-only", action="store_true", help="only each form's published version")
        parser.add_argument("-o", "--output", help="file to write; standard output when omitted")
        parser.add_argument("--name", default="", help="a name for the pack")

    def handle(self, *args: Any, **options: Any) -> None:
        templates = FormTemplate.objects.order_by("code")
        if options["codes"]:
            templates = templates.filter(code__in=options["codes"])
            missing = set(options["codes"]) - set(templates.values_list("code", flat=True))
            if missing:
                raise CommandError(f"없는 서식 코드입니다 (unknown form codes): {', '.join(sorted(missing))}")
        pack = packs.export_pack(templates, published_only=options["published_only"], name=options["name"])
        if not pack["forms"]:
            raise CommandError("내보낼 버전이 없습니다 (nothing to export).")
        text = packs.dump_pack(pack)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"{len(pack['forms'])} form(s) written to {options['output']}")
        else:
            sys.stdout.write(text)
