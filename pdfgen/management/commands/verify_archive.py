from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pdfgen.integrity import verify_archive


class Command(BaseCommand):
    help = "Recompute the SHA-256 of every archived PDF; report missing or altered files (exit 1 if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        checked = 0
        findings = []
        for finding in verify_archive():
            checked += 1
            if finding is not None:
                findings.append(finding)
                line = f"{finding.problem.upper()}: {finding.reference} {finding.name or '(no file)'}"
                self.stderr.write(line + (f" — {finding.detail}" if finding.detail else ""))
        self.stdout.write(f"{checked} archived file(s) checked, {len(findings)} problem(s).")
        if findings:
            raise CommandError(f"{len(findings)} archived file(s) missing or altered.")
