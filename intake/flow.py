"""The resident's path through a form: steps, then a review page to sign on.

Pure functions of the schema and the current values, so the same answers
always give the same steps, whatever page or process computes them. A step is
one visible section (a long form) or every section at once (a short form);
consent and signature fields are not in any step: they are given on the
review page, after the resident has seen every answer.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms_catalog import schema as form_schema

REVIEW = "review"
ONE_PAGE = "form"
# Up to this many questions a form stays on one page: steps would only add taps.
SHORT_FORM_FIELDS = 8
SIGN_OFF_TYPES = frozenset({"consent", "signature"})


@dataclass
class Step:
    key: str
    title: str
    section_keys: list[str] = field(default_factory=list)
    title_en: str = ""


def _content_fields(section: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in section.get("fields", [])
        if f.get("type") not in SIGN_OFF_TYPES and f.get("type") not in form_schema.DISPLAY_ONLY_TYPES
    ]


def _section_shown(section: Mapping[str, Any], shown: set[str]) -> bool:
    if form_schema.is_repeat(section):
        return section["key"] in shown
    return any(f["key"] in shown for f in _content_fields(section))


def steps(schema: form_schema.Schema, values: Mapping[str, Any]) -> list[Step]:
    """The steps before review for these answers (a 대리인 step appears once 대리인 is chosen)."""
    content = [s for s in form_schema.sections(schema) if form_schema.is_repeat(s) or _content_fields(s)]
    questions = sum(1 if form_schema.is_repeat(s) else len(_content_fields(s)) for s in content)
    if questions <= SHORT_FORM_FIELDS:
        # Every section, shown or not: on one page the browser shows and
        # hides conditional sections as the resident answers.
        return [Step(ONE_PAGE, "", [s["key"] for s in content])]
    shown = form_schema.visible(schema, values)
    return [
        Step(s["key"], s.get("title", ""), [s["key"]], s.get("title_en", ""))
        for s in content
        if _section_shown(s, shown)
    ]


def sign_off_fields(schema: form_schema.Schema, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    shown = form_schema.visible(schema, values)
    return [f for f in form_schema.input_fields(schema) if f.get("type") in SIGN_OFF_TYPES and f["key"] in shown]


def find(all_steps: list[Step], key: str) -> int | None:
    """Index of the step `key` in the steps, REVIEW being one past the last."""
    if key == REVIEW:
        return len(all_steps)
    for i, step in enumerate(all_steps):
        if step.key == key:
            return i
    return None


def step_of(schema: form_schema.Schema, all_steps: list[Step], key: str) -> str:
    """The step holding a field, a row field ("members-0-member_name") or a section."""
    top = key.split("-", 1)[0]
    for section in form_schema.sections(schema):
        keys = {section.get("key")} | {f.get("key") for f in section.get("fields", [])}
        if top in keys:
            for step in all_steps:
                if section.get("key") in step.section_keys:
                    field_type = next((f.get("type") for f in section.get("fields", []) if f.get("key") == top), "")
                    return REVIEW if field_type in SIGN_OFF_TYPES else step.key
            return REVIEW
    return REVIEW


def errors_in(schema: form_schema.Schema, all_steps: list[Step], key: str, errors: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in errors.items() if step_of(schema, all_steps, k) == key}


def page_sections(schema: form_schema.Schema, values: Mapping[str, Any], step: Step | None) -> list[dict[str, Any]]:
    """The sections a step's page renders (form_schema.page_sections), without sign-off fields."""
    if step is None:
        return []
    on_page = {
        f.get("key")
        for s in form_schema.sections(schema)
        if s.get("key") in step.section_keys
        for f in s.get("fields", [])
    }
    shown = form_schema.visible(schema, values)

    def keep(f: Mapping[str, Any]) -> bool:
        if f.get("type") in SIGN_OFF_TYPES:
            return False
        # A condition on an answer from another step cannot change on this
        # page: decide it here rather than leave it to the browser.
        condition = f.get("show_if")
        if condition and condition.get("field") not in on_page:
            return f.get("key") in shown
        return True

    out = []
    for section in form_schema.page_sections(schema, values):
        if section["key"] not in step.section_keys:
            continue
        if not form_schema.is_repeat(section):
            section = {**section, "fields": [f for f in section.get("fields", []) if keep(f)]}
        if step.key != ONE_PAGE:
            # The step exists because its section is shown: its condition is met.
            section = {k: v for k, v in section.items() if k != "show_if"}
        out.append(section)
    return out


def review_sections(
    schema: form_schema.Schema, values: Mapping[str, Any], all_steps: list[Step], *, english: bool = False
) -> list[dict[str, Any]]:
    """Every answer as the review page shows it (sensitive values masked), each with its step."""
    # Valid answers as stored on submit (an address as one line); the rest as typed.
    values = {**values, **form_schema.validate(schema, values).cleaned}
    out = []
    for section in form_schema.display_sections(schema, values, masked=True, english=english):
        rows = [
            {**row, "step": step_of(schema, all_steps, row["key"])}
            for row in section["rows"]
            if row.get("type") not in SIGN_OFF_TYPES
        ]
        if rows:
            out.append({**section, "rows": rows})
    return out
