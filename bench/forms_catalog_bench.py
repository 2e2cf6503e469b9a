"""Form catalog figures: `.venv/bin/python bench/forms_catalog_bench.py`.

Prints how long the server spends validating a whole submission of the
largest demo form (what every submit and htmx check pays), checking every
demo schema, and validating the demo pack (JSON Schema + rules).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django

django.setup()

from forms_catalog import packs, schema  # noqa: E402


def timed(label: str, runs: int, fn) -> None:  # type: ignore[no-untyped-def]
    fn()
    start = time.perf_counter()
    for _ in range(runs):
        fn()
    per = (time.perf_counter() - start) / runs
    print(f"{label:<58} {per * 1000:8.3f} ms  ({runs} runs)")


def main() -> None:
    pack = packs.load_pack_file(packs.JSON_SCHEMA_PATH.parent / "demo.json")
    versions = [(form["code"], form["versions"][0]["schema"]) for form in pack["forms"]]
    code, stored = max(versions, key=lambda item: len(list(schema.parse(item[1]).iter_fields())))
    biggest = schema.parse(stored)
    values = {f.key: (f.choices[0].value if f.choices else "홍길동") for f in biggest.input_fields}
    fields = len(list(biggest.iter_fields()))
    timed(f"parse() the stored JSON, {code} ({fields} fields)", 500, lambda: schema.parse(stored))
    timed(f"validate() whole submission, {code} ({fields} fields)", 500, lambda: schema.validate(biggest, values))
    timed("visible() conditions of the same form", 500, lambda: schema.visible(biggest, values))
    timed("check_schema() all 10 demo forms", 100, lambda: [schema.check_schema(s) for _, s in versions])
    timed("validate_pack() demo pack (JSON Schema + rules)", 20, lambda: packs.validate_pack(pack))


if __name__ == "__main__":
    main()
