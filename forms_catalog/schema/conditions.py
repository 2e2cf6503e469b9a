"""Conditional display (show_if): which fields and sections these values show."""

from collections.abc import Mapping
from typing import Any

from .reading import is_blank
from .types import Condition, Field, FormSchema, Section
from .validators import VALIDATORS, FieldError, Validator


def validator_for(f: Field) -> Validator:
    return VALIDATORS.get(f.type, VALIDATORS["text"])


class Scope:
    """The values a condition reads, with each compared value worked out once.

    A condition compares the cleaned value when it validates (e.g. "예" →
    "yes"), else the raw one.
    """

    def __init__(self, values: Mapping[str, Any], fields: Mapping[str, Field]) -> None:
        self.values = values
        self.fields = fields
        self._normalised: dict[str, Any] = {}

    def normalised(self, key: str) -> Any:
        if key not in self._normalised:
            self._normalised[key] = self._clean(self.fields.get(key), self.values[key])
        return self._normalised[key]

    @staticmethod
    def _clean(f: Field | None, raw: Any) -> Any:
        if is_blank(raw):
            return None
        if f is None:
            return raw
        try:
            return validator_for(f)(f, raw).value
        except FieldError:
            return raw

    def met(self, condition: Condition | None) -> bool:
        if condition is None:
            return True
        if condition.field not in self.values:
            return False
        actual = self.normalised(condition.field)
        if isinstance(actual, list):
            # A multiple choice meets the condition when any chosen value is wanted.
            return any(str(v) in condition.equals for v in actual)
        return actual is not None and str(actual) in condition.equals


def row_scope(form: FormSchema, section: Section, shown_values: Mapping[str, Any], row: Mapping[str, Any]) -> Scope:
    """What a repeatable row's field conditions read: the row over the visible top-level values.

    Conditions may name top-level fields and the row's own (which win).
    """
    fields = {**form.fields_by_key, **{f.key: f for f in section.input_fields}}
    return Scope({**shown_values, **row}, fields)


def visible(form: FormSchema, values: Mapping[str, Any]) -> set[str]:
    """Top-level keys shown for these values: input fields and repeatable sections.

    A field hidden by a condition is neither required nor kept, so a value
    left over from an earlier choice never reaches the archive. A condition on
    a hidden field is never met, so hiding cascades (대리인 구분 → 대리인 필드).
    """
    fields = form.fields_by_key
    shown = set(fields) | {s.key for s in form.repeat_sections}
    # Conditions may point forwards; a few passes reach the fixed point
    # (check_schema refuses cycles, and the pass count bounds a bad schema).
    for _pass in range(len(shown) + 1):
        scope = Scope({k: v for k, v in values.items() if k in shown}, fields)
        now: set[str] = set()
        for section in form.sections:
            if not scope.met(section.show_if):
                continue
            if section.is_repeat:
                now.add(section.key)
                continue
            now.update(f.key for f in section.input_fields if scope.met(f.show_if))
        if now == shown:
            break
        shown = now
    return shown
