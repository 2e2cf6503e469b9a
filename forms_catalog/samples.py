"""Sample values for a form version, so a preview shows every field filled in."""

from typing import Any

from . import schema as form_schema


def sample_values(form: form_schema.FormSchema) -> dict[str, Any]:
    """Plausible values for a preview, valid for each field: a choice's first option, one row per repeat."""
    samples = {
        "text": "홍길동",
        "textarea": "견본 내용입니다.",
        "number": 1,
        "date": "2024-04-30",
        "daterange": "2024-04-01 ~ 2024-04-30",
        "phone": "010-1234-5678",
        "email": "hong@example.kr",
        "rrn": "900101-1234568",
        "frn": "900101-5234564",
        "brn": "124-81-00998",
        "address": "(30151) 세종특별자치시 한누리대로 2130, 101호",
        "yesno": "yes",
        "consent": "agree",
    }
    values: dict[str, Any] = {}
    for f in form.input_fields:
        if f.choices:
            value: Any = f.choices[0].value
            values[f.key] = [value] if f.type == "multichoice" else value
        elif f.type in samples:
            values[f.key] = samples[f.type]
    for section in form.repeat_sections:
        values[section.key] = [{f.key: samples.get(f.type, "견본") for f in section.input_fields}]
    return values
