"""Resident form page budget: `.venv/bin/python bench/form_page.py`.

Issue 4's budget: a form page ≤ 60 KB transferred before fonts, server time
p95 ≤ 50 ms. Loads the demo data into a throwaway SQLite database, then for
each of the 10 demo forms (at the first office offering it) measures:

- bytes: the HTML plus every CSS and JS file it links, gzip-compressed as a
  proxy sends them (fonts excluded, as the budget says), for the heaviest of
  the form's pages (each step and the review page);
- server time of GET (form page) and of the htmx per-field check (POST),
  through Django's full request stack (test client), p50 and p95.
"""

import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ["DATABASE_URL"] = ""
os.environ["REDIS_URL"] = ""
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from intake import flow  # noqa: E402
from intake.models import Office  # noqa: E402

RUNS = int(os.environ.get("RUNS", "60"))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def asset_bytes(html: str) -> int:
    total = 0
    for url in set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)):
        path = finders.find(url.removeprefix("/static/"))
        if path:
            total += gz(Path(path).read_bytes())
    return total


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    client = Client()
    print(
        f"{'form':<34} {'html gz':>8} {'css+js gz':>10} {'total KB':>9} {'GET p50':>8} {'GET p95':>8} {'check p95':>9}"
    )
    worst_total, worst_p95 = 0.0, 0.0
    seen: set[str] = set()
    for office in Office.objects.all():
        for template in office.forms.exclude(code__in=seen):
            seen.add(template.code)
            base = f"/o/{office.slug}/f/{template.code}/"
            step_keys = [s.key for s in flow.steps(template.published_version().form, {})] + [flow.REVIEW]
            pages = {f"{base}?step={key}": client.get(f"{base}?step={key}").content for key in step_keys}
            url, html = max(pages.items(), key=lambda item: len(item[1]))
            gets, checks = [], []
            field = re.search(rb"/check/([a-z0-9_]+)/", html)
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                gets.append((time.perf_counter() - start) * 1000)
                if field:
                    start = time.perf_counter()
                    client.post(
                        f"{base}check/{field.group(1).decode()}/",
                        {field.group(1).decode(): "홍길동"},
                        HTTP_HX_REQUEST="true",
                    )
                    checks.append((time.perf_counter() - start) * 1000)
            page, assets = gz(html), asset_bytes(html.decode())
            total = (page + assets) / 1024
            worst_total = max(worst_total, total)
            worst_p95 = max(worst_p95, pct(gets, 95), pct(checks, 95) if checks else 0)
            print(
                f"{office.slug + '/' + template.code:<34.34} {page / 1024:7.1f}K {assets / 1024:9.1f}K {total:8.1f}K "
                f"{pct(gets, 50):7.1f}ms {pct(gets, 95):7.1f}ms {pct(checks, 95) if checks else 0:8.1f}ms"
            )
    print(
        f"\nworst page: {worst_total:.1f} KB transferred before fonts (budget 60 KB); worst p95: {worst_p95:.1f} ms (budget 50 ms)"
    )


if __name__ == "__main__":
    main()
