"""Fields shared between forms by semantic key (applicant.name, applicant.rrn, …)."""

from collections.abc import Mapping
from typing import Any

from .conditions import visible
from .reading import is_blank
from .types import FormSchema
from .validation import validate_value


def semantic_values(form: FormSchema, values: Mapping[str, Any]) -> dict[str, Any]:
    """{semantic key: value} for the filled, visible fields of a form (e.g. applicant.name)."""
    shown = visible(form, values)
    return {
        f.semantic: values[f.key]
        for f in form.input_fields
        if f.semantic and f.key in shown and not is_blank(values.get(f.key))
    }


def prefill(form: FormSchema, shared: Mapping[str, Any]) -> dict[str, Any]:
    """Values for this form's fields that share a semantic key with something already entered.

    A value only carries over when it is valid for the target field, so a
    text field's value never lands in a stricter field unchecked.
    """
    out: dict[str, Any] = {}
    for f in form.input_fields:
        if f.semantic and f.semantic in shared:
            value, error, _ = validate_value(f, shared[f.semantic])
            if not error and value is not None:
                out[f.key] = value
    return out


def value_by_semantic(form: FormSchema, values: Mapping[str, Any], semantic: str) -> str:
    """The filled value of the field with this semantic key (e.g. the applicant's name), or ""."""
    for f in form.input_fields:
        if f.semantic == semantic and values.get(f.key):
            return str(values[f.key])
    return ""
