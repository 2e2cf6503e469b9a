"""The English of the resident's key actions stays what was reviewed (locale/glossary.json).

A wrong msgstr for a button ("Submit again" on the first submit) reads fine to
a test that only checks that every entry is translated; this one compares the
key actions with the reviewed wording, so a changed meaning is a visible diff.
"""

import json
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "locale" / "glossary.json"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _reviewed() -> dict[str, str]:
    loaded = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    return {k: v for k, v in loaded.items() if not k.startswith("_")}


def test_every_key_action_reads_as_reviewed():
    catalog = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete and not e.msgid_plural}
    changed = {
        msgid: (catalog.get(msgid), expected)
        for msgid, expected in _reviewed().items()
        if catalog.get(msgid) != expected
    }
    assert changed == {}, "msgid: (catalog, reviewed) — review the English, then update locale/glossary.json"


def test_the_glossary_covers_the_submit_button_and_the_ticket_states():
    reviewed = _reviewed()
    assert reviewed["제출하기"] == "Submit"
    assert {"접수되었습니다", "곧 차례입니다", "차례입니다", "보완이 필요합니다", "인계 코드"} <= reviewed.keys()


def test_a_changed_meaning_is_caught():
    po = polib.pofile(str(PO))
    po.find("제출하기").msgstr = "Submit again"
    catalog = {e.msgid: e.msgstr for e in po if not e.msgid_plural}
    assert [k for k, v in _reviewed().items() if catalog.get(k) != v] == ["제출하기"]
