"""Fields shared between forms by semantic key (applicant.name, applicant.rrn, …)."""

from collections.abc import Mapping
from typing import Any

from .conditions import Scope, visible
from .reading import is_blank
from .types import Field, FormSchema
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


# The 위임자's own fields, as the forms name them: the 신청인 (the person the
# 민원 is for) is the one who gives the 위임 when a 대리인 files it.
PRINCIPAL_PREFIX = "applicant."


def delegation_method(form: FormSchema, values: Mapping[str, Any]) -> str:
    """How this filing's 위임 is given: "cosign", "paper", "seal", or "" (no 대리인).

    "paper": the form takes a scanned paper 위임장 as the fallback and one was given.
    """
    rule = form.delegation
    if rule is None or rule.when is None or not Scope(values, form.fields_by_key).met(rule.when):
        return ""
    if not rule.cosign:
        return "seal"
    if rule.paper_letter and not is_blank(values.get(rule.paper_letter)):
        return "paper"
    return "cosign"


def principal_fields(form: FormSchema) -> tuple[Field, ...]:
    """The fields the 위임자 fills (or checks) on their own phone: their shared 신청인 fields."""
    return tuple(f for f in form.input_fields if f.semantic.startswith(PRINCIPAL_PREFIX))
