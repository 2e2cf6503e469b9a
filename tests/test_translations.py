"""The English catalog: complete, compiled, and in step with the code.

Korean is the source language (msgids); locale/en/LC_MESSAGES/django.po holds
the English. `make messages` extracts and compiles; these tests fail when
someone adds a resident string without translating it, leaves a fuzzy entry,
or forgets to compile.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _messages(catalog: polib._BaseFile) -> dict[tuple[str, str, str], object]:
    # With its context: "처리 완료" the button (msgctxt "action") is not "처리 완료" the status,
    # and "보통" the text size is not "보통" the rating.
    return {
        (e.msgctxt or "", e.msgid, e.msgid_plural): (e.msgstr_plural if e.msgid_plural else e.msgstr)
        for e in catalog
        if not e.obsolete and "fuzzy" not in e.flags
    }


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.metadata["Language"] == "en"
    # Placeholders survive translation, or the English page shows a raw %(name)s.
    for entry in po.translated_entries():
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            for placeholder in ("%(", "<strong"):
                assert entry.msgid.count(placeholder) == text.count(placeholder), entry.msgid


def test_the_compiled_catalog_matches_the_po_file():
    po = _messages(polib.pofile(str(PO)))
    mo = _messages(polib.mofile(str(MO)))
    po.pop(("", "", ""), None)
    mo.pop(("", "", ""), None)
    assert mo == po, "django.mo is stale: run `make messages`"


def test_the_catalog_has_every_translatable_string_in_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: `make test` installs Debian's gettext package.")
    # Extract afresh from a copy of the sources, so the working tree is untouched.
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".stamps", "staticfiles", "media", "tests", "bench", "vendor", "*.sqlite3*", "*.mo"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(PO))
    ids = {(e.msgid, e.msgid_plural) for e in extracted if not e.obsolete}
    assert ids - {(e.msgid, e.msgid_plural) for e in committed if not e.obsolete} == set(), "run `make messages`"
    assert {(e.msgid, e.msgid_plural) for e in committed if not e.obsolete} - ids == set(), "run `make messages`"
