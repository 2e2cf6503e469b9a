"""Generated garbage posted to every field type: never a server error, always a clear answer.

The suite runs a few hundred examples per type; `make fuzz` runs 10,000 per
type (FUZZ_EXAMPLES) and prints the counts.
"""

import os
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
TYPES = [
    "text",
    "textarea",
    "number",
    "date",
    "phone",
    "email",
    "rrn",
    "frn",
    "brn",
    "address",
    "choice",
    "multichoice",
    "yesno",
    "consent",
    "signature",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")

values = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5000),
    st.from_regex(r"\d{6}-?\d{7}", fullmatch=True),
    st.from_regex(r"0\d{1,2}-?\d{3,4}-?\d{4}", fullmatch=True),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE intake_submission; --",
            "\x00\x01",
            "9" * 200,
            "data:image/png;base64,AAAA",
        ]
    ),
)


@pytest.fixture
def fuzz_form(db):
    fields = [
        {
            "key": f"f_{t}",
            "type": t,
            "label": t,
            "required": True,
            "max_length": 100,
            "min": 0,
            "max": 99,
            "choices": [{"value": "a", "label": "가"}, {"value": "b", "label": "나"}],
        }
        for t in TYPES
    ]
    version = factories.form_version("fuzz", schema={"sections": [{"key": "s", "title": "퍼즈", "fields": fields}]})
    office = factories.office("fuzz-office", forms=[version])
    return office, version


@pytest.mark.parametrize("field_type", TYPES)
def test_field_check_survives_generated_values(fuzz_form, field_type):
    office, version = fuzz_form
    client = Client()
    url = reverse("intake:field_check", args=[office.slug, version.template.code, f"f_{field_type}"])
    client.get(reverse("intake:form", args=[office.slug, version.template.code]))
    counted = {"requests": 0, "errors": 0}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(value=values)
    def post(value):
        response = client.post(url, {f"f_{field_type}": value}, headers={"HX-Request": "true"})
        counted["requests"] += 1
        assert response.status_code == 200
        feedback = re.search(r'id="field-f_' + field_type + r'-feedback".*?</div>', response.text, re.S)
        assert feedback is not None
        error = re.search(r'class="error"[^>]*>(.*?)</p>', feedback.group(0), re.S)
        if error:
            counted["errors"] += 1
            assert HANGUL.search(error.group(1)), error.group(1)
        assert "<script>alert(1)</script>" not in response.text

    post()
    print(f"fuzz {field_type}: {counted['requests']} values posted, {counted['errors']} refused with a Korean message")
    assert counted["requests"] >= min(EXAMPLES, 20)
