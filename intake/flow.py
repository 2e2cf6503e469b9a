"""The resident's path through a form: steps, then a review page to sign on.

Pure functions of the schema and the current values, so the same answers
always give the same steps, whatever page or process computes them. A step is
one visible section (a long form) or every section at once (a short form);
consent and signature fields are not in any step: they are given on the
review page, after the resident has seen every answer.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from forms_catalog import layout
from forms_catalog import schema as form_schema
from forms_catalog.schema import Field, FormSchema, PageSection, Section

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


@dataclass(frozen=True)
class ReviewRow:
    key: str
    label: str
    value: Any
    step: str


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: tuple[ReviewRow, ...]


def _content_fields(section: Section) -> list[Field]:
    return [f for f in section.input_fields if f.type not in SIGN_OFF_TYPES]


def _section_shown(section: Section, shown: set[str]) -> bool:
    if section.is_repeat:
        return section.key in shown
    return any(f.key in shown for f in _content_fields(section))


def steps(form: FormSchema, values: Mapping[str, Any]) -> list[Step]:
    """The steps before review for these answers (a 대리인 step appears once 대리인 is chosen)."""
    content = [s for s in form.sections if s.is_repeat or _content_fields(s)]
    questions = sum(1 if s.is_repeat else len(_content_fields(s)) for s in content)
    if questions <= SHORT_FORM_FIELDS:
        # Every section, shown or not: on one page the browser shows and
        # hides conditional sections as the resident answers.
        return [Step(ONE_PAGE, "", [s.key for s in content])]
    shown = form_schema.visible(form, values)
    return [Step(s.key, s.title, [s.key], s.title_en) for s in content if _section_shown(s, shown)]


def sign_off_fields(form: FormSchema, values: Mapping[str, Any]) -> list[Field]:
    shown = form_schema.visible(form, values)
    return [f for f in form.input_fields if f.type in SIGN_OFF_TYPES and f.key in shown]


def find(all_steps: list[Step], key: str) -> int | None:
    """Index of the step `key` in the steps, REVIEW being one past the last."""
    if key == REVIEW:
        return len(all_steps)
    for i, step in enumerate(all_steps):
        if step.key == key:
            return i
    return None


def step_of(form: FormSchema, all_steps: list[Step], key: str) -> str:
    """The step holding a field, a row field ("members-0-member_name") or a section."""
    top = key.split("-", 1)[0]
    for section in form.sections:
        if top == section.key or any(f.key == top for f in section.fields):
            for step in all_steps:
                if section.key in step.section_keys:
                    field_type = next((f.type for f in section.fields if f.key == top), "")
                    return REVIEW if field_type in SIGN_OFF_TYPES else step.key
            return REVIEW
    return REVIEW


def errors_in(form: FormSchema, all_steps: list[Step], key: str, errors: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in errors.items() if step_of(form, all_steps, k) == key}


def page_sections(form: FormSchema, values: Mapping[str, Any], step: Step | None) -> list[PageSection]:
    """The sections a step's page renders (form_schema.page_section), without sign-off fields."""
    if step is None:
        return []
    in_step = [s for s in form.sections if s.key in step.section_keys]
    on_page = {f.key for s in in_step for f in s.fields}
    shown = form_schema.visible(form, values)

    def keep(f: Field) -> bool:
        if f.type in SIGN_OFF_TYPES:
            return False
        # A condition on an answer from another step cannot change on this
        # page: decide it here rather than leave it to the browser.
        if f.show_if is not None and f.show_if.field not in on_page:
            return f.key in shown
        return True

    out = []
    for section in in_step:
        if not section.is_repeat:
            section = replace(section, fields=tuple(f for f in section.fields if keep(f)))
        if step.key != ONE_PAGE:
            # The step exists because its section is shown: its condition is met.
            section = replace(section, show_if=None)
        out.append(form_schema.page_section(section, values))
    return out


def review_sections(
    form: FormSchema, values: Mapping[str, Any], all_steps: list[Step], *, english: bool = False
) -> list[ReviewSection]:
    """Every answer as the review page shows it (sensitive values masked), each with its step."""
    # Valid answers as stored on submit (an address as one line); the rest as typed.
    values = {**values, **form_schema.validate(form, values).cleaned}
    laid = layout.build(form, values, masked=True, english=english, only_given=True)
    return [
        ReviewSection(
            section.title,
            tuple(ReviewRow(row.key, row.label, row.value, step_of(form, all_steps, row.key)) for row in section.rows),
        )
        for section in laid.without(SIGN_OFF_TYPES)
    ]
