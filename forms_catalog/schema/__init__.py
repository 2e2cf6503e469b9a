"""A form's schema: its typed shape, and reading, validating and showing values against it.

The stored shape (the full reference is docs/FORM_PACKS.md)::

    {"sections": [{"key", "title", "title_en", "show_if"?, "repeat"?: {"min", "max"},
                   "fields": [{"key", "type", "label", "label_en", "required", "help", "help_en",
                               "max_length"?, "min"?, "max"?, "choices"?, "semantic"?, "sensitive"?,
                               "show_if"?: {"field": key, "equals": value | [values]}}]}]}

It is parsed once per version into frozen dataclasses (types.FormSchema, via
FormVersion.form); every function here takes the parsed form. Only checks
(check_schema, stored_sections) read the stored JSON itself.

- types: FormSchema, Section, Field, … and parse()
- reading: row paths, labels, blanks
- conditions: show_if, visible()
- validation: validate(), validate_field()
- post: raw_values_from_post()
- page: the resident's page (rows bound, values as inputs name them)
- display: choice labels, masking
- shared: semantic keys and prefill
- checks: check_schema()
- validators: each field type's validator (by field family)
"""

from .checks import FIELD_TYPE_LABELS, FIELD_TYPES, KEY_PATTERN, NOT_IN_ROWS, check_schema, stored_sections
from .conditions import Scope, row_scope, visible
from .display import choice_label, mask
from .page import PageRow, PageSection, add_row, page_section, page_sections, page_values, remove_row
from .post import MAX_ROWS_READ, raw_values_from_post
from .reading import ROW_PATH, get_field, is_blank, label_for, rows_of, text_in, value_at
from .shared import delegation_method, prefill, principal_fields, semantic_values, value_by_semantic
from .types import (
    ATTACHMENT_TYPES,
    CHOICE_VALUES,
    CONSENT_PARTS,
    DISPLAY_ONLY_TYPES,
    SENSITIVE_TYPES,
    Choice,
    Condition,
    Consent,
    Delegation,
    Field,
    FormSchema,
    Repeat,
    Section,
    field_of,
    parse,
    parse_version,
    row_path,
)
from .validation import REQUIRED_MESSAGE, UNKNOWN_FIELD_MESSAGE, Result, validate, validate_field, validate_value

__all__ = [
    "ATTACHMENT_TYPES",
    "CHOICE_VALUES",
    "CONSENT_PARTS",
    "DISPLAY_ONLY_TYPES",
    "FIELD_TYPES",
    "FIELD_TYPE_LABELS",
    "KEY_PATTERN",
    "MAX_ROWS_READ",
    "NOT_IN_ROWS",
    "REQUIRED_MESSAGE",
    "ROW_PATH",
    "SENSITIVE_TYPES",
    "UNKNOWN_FIELD_MESSAGE",
    "Choice",
    "Condition",
    "Consent",
    "Delegation",
    "Field",
    "FormSchema",
    "PageRow",
    "PageSection",
    "Repeat",
    "Result",
    "Scope",
    "Section",
    "add_row",
    "check_schema",
    "choice_label",
    "delegation_method",
    "field_of",
    "get_field",
    "is_blank",
    "label_for",
    "mask",
    "page_section",
    "page_sections",
    "page_values",
    "parse",
    "parse_version",
    "prefill",
    "principal_fields",
    "raw_values_from_post",
    "remove_row",
    "row_path",
    "row_scope",
    "rows_of",
    "semantic_values",
    "stored_sections",
    "text_in",
    "validate",
    "validate_field",
    "validate_value",
    "value_at",
    "value_by_semantic",
    "visible",
]
