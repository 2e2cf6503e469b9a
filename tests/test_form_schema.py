"""Conditional display and repeatable groups, enforced on the server."""

import copy

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from forms_catalog import layout, schema

from .factories import RRN, SCHEMA, VALID_VALUES


def _display_sections(stored: dict, values: dict, *, english: bool = False) -> list[dict]:
    """The resident's review layout (masked, answered rows only), as plain dicts to compare."""
    laid = layout.build(schema.parse(stored), values, masked=True, english=english, only_given=True)
    return [
        {
            "title": section.title,
            "rows": [{"key": r.key, "label": r.label, "type": r.type, "value": r.value} for r in section.rows],
        }
        for section in laid.sections
    ]


MOVE_IN = {
    "sections": [
        {
            "key": "applicant",
            "title": "신고인",
            "fields": [
                {"key": "name", "type": "text", "label": "성명", "required": True, "semantic": "applicant.name"},
                {
                    "key": "has_members",
                    "type": "yesno",
                    "label": "함께 옮기는 세대원이 있습니까?",
                    "required": True,
                },
            ],
        },
        {
            "key": "members",
            "title": "세대원",
            "repeat": {"min": 1, "max": 3},
            "show_if": {"field": "has_members", "equals": "yes"},
            "fields": [
                {"key": "member_name", "type": "text", "label": "성명", "required": True, "max_length": 30},
                {"key": "member_rrn", "type": "rrn", "label": "주민등록번호", "required": True},
                {
                    "key": "relation",
                    "type": "choice",
                    "label": "관계",
                    "required": True,
                    "choices": [{"value": "spouse", "label": "배우자"}, {"value": "other", "label": "그 밖의 관계"}],
                },
                {
                    "key": "relation_other",
                    "type": "text",
                    "label": "관계(직접 적기)",
                    "required": True,
                    "show_if": {"field": "relation", "equals": "other"},
                },
            ],
        },
    ]
}

MEMBER = {"member_name": "홍길순", "member_rrn": "920202-2234567", "relation": "spouse"}


# --- conditional display -------------------------------------------------------
def test_hidden_section_is_not_required_and_its_stale_values_are_dropped():
    values = {**VALID_VALUES, "proxy_name": "남았던 값"}
    result = schema.validate(schema.parse(SCHEMA), values)
    assert result.ok, result.errors
    assert "proxy_name" not in result.cleaned


def test_shown_section_is_required():
    result = schema.validate(schema.parse(SCHEMA), {**VALID_VALUES, "applicant_type": "proxy"})
    assert result.errors == {"proxy_name": schema.REQUIRED_MESSAGE}


def test_hiding_cascades_through_a_hidden_controlling_field():
    chained = copy.deepcopy(SCHEMA)
    chained["sections"][1]["fields"].append(
        {
            "key": "proxy_kind",
            "type": "choice",
            "label": "대리인 구분",
            "required": True,
            "choices": [{"value": "family", "label": "가족"}, {"value": "staff", "label": "직원"}],
        }
    )
    chained["sections"].append(
        {
            "key": "staff",
            "title": "직원 정보",
            "show_if": {"field": "proxy_kind", "equals": "staff"},
            "fields": [{"key": "company", "type": "text", "label": "회사명", "required": True}],
        }
    )
    # 대리인 hidden → its leftover proxy_kind=staff must not pull in the staff section.
    result = schema.validate(schema.parse(chained), {**VALID_VALUES, "proxy_kind": "staff"})
    assert result.ok, result.errors
    assert "company" not in schema.visible(schema.parse(chained), {**VALID_VALUES, "proxy_kind": "staff"})
    shown = schema.visible(schema.parse(chained), {**VALID_VALUES, "applicant_type": "proxy", "proxy_kind": "staff"})
    assert {"proxy_name", "proxy_kind", "company"} <= shown


def test_conditions_compare_cleaned_values_and_lists():
    assert "members" in schema.visible(schema.parse(MOVE_IN), {"has_members": "예"})
    assert "members" not in schema.visible(schema.parse(MOVE_IN), {"has_members": "아니오"})
    multi = {
        "sections": [
            {
                "key": "s",
                "title": "s",
                "fields": [
                    {
                        "key": "docs",
                        "type": "multichoice",
                        "label": "증명서",
                        "choices": [{"value": "basic", "label": "기본"}, {"value": "family", "label": "가족"}],
                    },
                    {"key": "why", "type": "text", "label": "사유", "show_if": {"field": "docs", "equals": "family"}},
                ],
            }
        ]
    }
    assert "why" in schema.visible(schema.parse(multi), {"docs": ["basic", "family"]})
    assert "why" not in schema.visible(schema.parse(multi), {"docs": ["basic"]})


@given(st.dictionaries(st.sampled_from(["applicant_type", "proxy_name", "name", "x"]), st.text(max_size=10)))
def test_a_hidden_field_is_never_in_the_cleaned_values(values):
    result = schema.validate(schema.parse(SCHEMA), values)
    if values.get("applicant_type") != "proxy":
        assert "proxy_name" not in result.cleaned and "proxy_name" not in result.errors


# --- repeatable groups -----------------------------------------------------------
def test_rows_are_validated_one_by_one_with_row_paths():
    values = {
        "name": "홍길동",
        "has_members": "yes",
        "members": [MEMBER, {"member_name": "", "member_rrn": "12", "relation": "other"}],
    }
    result = schema.validate(schema.parse(MOVE_IN), values)
    assert set(result.errors) == {"members-1-member_name", "members-1-member_rrn", "members-1-relation_other"}
    assert "13자리" in result.errors["members-1-member_rrn"]
    assert schema.label_for(schema.parse(MOVE_IN), "members-1-member_rrn") == "세대원 2 · 주민등록번호"


def test_row_count_limits_and_blank_rows():
    base = {"name": "홍길동", "has_members": "yes"}
    too_few = schema.validate(schema.parse(MOVE_IN), {**base, "members": [{"member_name": " ", "member_rrn": ""}]})
    assert "1명(건) 이상" in too_few.errors["members"]
    too_many = schema.validate(schema.parse(MOVE_IN), {**base, "members": [MEMBER] * 4})
    assert "3명(건)까지" in too_many.errors["members"]
    ok = schema.validate(schema.parse(MOVE_IN), {**base, "members": [MEMBER, {}, MEMBER]})
    assert ok.ok, ok.errors
    # Blank rows are dropped; cleaned rows are normalised.
    assert ok.cleaned["members"] == [{**MEMBER, "member_rrn": "920202-2234567"}] * 2


def test_hidden_repeat_section_is_dropped_whatever_its_rows():
    result = schema.validate(
        schema.parse(MOVE_IN), {"name": "홍길동", "has_members": "no", "members": [{"member_rrn": "x"}]}
    )
    assert result.ok and "members" not in result.cleaned


def test_row_fields_are_sensitive_as_a_whole_section():
    assert schema.parse(MOVE_IN).sensitive_keys == {"members"}
    assert "members" in schema.parse(MOVE_IN).stored_keys


def test_post_is_read_into_rows_and_composite_parts():
    post = QueryDict(mutable=True)
    post.update(
        {
            "name": "홍길동",
            "members__rows": "2",
            "members-0-member_name": "홍길순",
            "members-0-member_rrn": RRN,
            "members-1-member_name": "",
        }
    )
    values = schema.raw_values_from_post(schema.parse(MOVE_IN), post)
    assert values == {"name": "홍길동", "members": [{"member_name": "홍길순", "member_rrn": RRN}, {"member_name": ""}]}
    address_schema = {
        "sections": [{"key": "s", "title": "s", "fields": [{"key": "addr", "type": "address", "label": "주소"}]}]
    }
    post = QueryDict("addr__postcode=06750&addr__road=x&addr__detail=101")
    assert schema.raw_values_from_post(schema.parse(address_schema), post) == {
        "addr": {"postcode": "06750", "road": "x", "detail": "101"}
    }


def test_add_and_remove_rows_respect_the_maximum():
    values = {"members": [MEMBER]}
    values = schema.add_row(schema.parse(MOVE_IN), values, "members")
    values = schema.add_row(schema.parse(MOVE_IN), values, "members")
    values = schema.add_row(schema.parse(MOVE_IN), values, "members")
    assert len(values["members"]) == 3
    values = schema.remove_row(values, "members", 0)
    assert values["members"] == [{}, {}]


def test_per_field_check_understands_row_paths():
    values = {"has_members": "yes", "members": [{"relation": "other", "relation_other": ""}]}
    _, error, _ = schema.validate_field(schema.parse(MOVE_IN), "members-0-relation_other", "", values)
    assert error == schema.REQUIRED_MESSAGE
    _, error, _ = schema.validate_field(schema.parse(MOVE_IN), "members-0-member_rrn", "1", values)
    assert "13자리" in error
    _, error, _ = schema.validate_field(schema.parse(MOVE_IN), "members-9-member_rrn", "1", values)
    assert error == schema.UNKNOWN_FIELD_MESSAGE


def test_display_rows_flatten_members_and_mask_numbers():
    values = {"name": "홍길동", "has_members": "yes", "members": [MEMBER]}
    rows = [row for section in _display_sections(MOVE_IN, values) for row in section["rows"]]
    assert {
        "key": "members-0-member_rrn",
        "label": "세대원 1 · 주민등록번호",
        "type": "rrn",
        "value": "920202-2******",
    } in rows
    assert any(row["value"] == "배우자" for row in rows)


def test_display_rows_in_english_for_the_residents_review_korean_where_the_form_has_no_english():
    english = copy.deepcopy(MOVE_IN)
    english["sections"][1]["title_en"] = "Household member"
    english["sections"][1]["fields"][2]["label_en"] = "Relationship"
    english["sections"][1]["fields"][2]["choices"][0]["label_en"] = "Spouse"
    values = {"name": "홍길동", "has_members": "yes", "members": [MEMBER]}
    rows = {row["key"]: row for s in _display_sections(english, values, english=True) for row in s["rows"]}
    assert rows["members-0-relation"]["label"] == "Household member 1 · Relationship"
    assert rows["members-0-relation"]["value"] == "Spouse"
    assert rows["has_members"]["value"] == "Yes" and rows["name"]["label"] == "성명"
    assert (
        schema.label_for(schema.parse(english), "members-0-relation", english=True)
        == "Household member 1 · Relationship"
    )
    # The console and the archived PDF stay Korean.
    korean = {row["key"]: row for s in _display_sections(english, values) for row in s["rows"]}
    assert korean["members-0-relation"]["value"] == "배우자" and korean["has_members"]["value"] == "예"


# --- schema checks -------------------------------------------------------------------
def test_schema_problems_have_paths_and_say_how_to_fix():
    bad = copy.deepcopy(MOVE_IN)
    bad["sections"][1]["repeat"] = {"min": 5, "max": 2}
    bad["sections"][1]["fields"].append({"key": "sig", "type": "signature", "label": "서명"})
    bad["sections"][0]["fields"].append(
        {"key": "c", "type": "consent", "label": "동의", "required": True, "consent": {"purpose": "민원 처리"}}
    )
    bad["sections"][0]["fields"][1]["show_if"] = {"field": "has_members", "equals": "maybe"}
    problems = schema.check_schema(bad)
    assert any(p.startswith("schema.sections[1].repeat:") for p in problems)
    assert any(p.startswith("schema.sections[1].fields[4].type:") and "반복 구역" in p for p in problems)
    assert any(p.startswith("schema.sections[0].fields[2].consent:") and "보유·이용 기간" in p for p in problems)
    assert any(p.startswith("schema.sections[0].fields[1].show_if.field:") and "자기 자신" in p for p in problems)
    assert schema.check_schema(MOVE_IN) == []


def test_condition_cycles_and_unknown_choices_are_reported():
    cyclic = {
        "sections": [
            {
                "key": "s",
                "title": "s",
                "fields": [
                    {"key": "a", "type": "yesno", "label": "A", "show_if": {"field": "b", "equals": "yes"}},
                    {"key": "b", "type": "yesno", "label": "B", "show_if": {"field": "a", "equals": "si"}},
                ],
            }
        ]
    }
    cyclic["sections"][0]["fields"][0]["semantic"] = cyclic["sections"][0]["fields"][1]["semantic"] = "applicant.name"
    problems = schema.check_schema(cyclic)
    assert any("순환" in p for p in problems)
    assert any("공유 키 'applicant.name'" in p for p in problems)
    assert any("'si'" in p and "yes, no" in p for p in problems)


def test_per_field_check_agrees_with_submit_on_blank_rows():
    values = {"has_members": "yes", "members": [MEMBER, {"member_name": ""}]}
    _, error, _ = schema.validate_field(schema.parse(MOVE_IN), "members-1-member_name", "", values)
    assert error == ""  # a blank row is dropped on submit, so it is not refused here either
    assert "members-1-member_name" not in schema.validate(schema.parse(MOVE_IN), {**values, "name": "홍"}).errors


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@given(
    st.dictionaries(
        st.sampled_from(["name", "has_members", "members", "x"]),
        JSONISH | st.lists(st.dictionaries(st.sampled_from(["member_name", "member_rrn", "relation"]), JSONISH)),
    )
)
def test_any_posted_shape_is_validated_without_crashing(values):
    result = schema.validate(schema.parse(MOVE_IN), values)
    for message in result.errors.values():
        assert any("\uac00" <= ch <= "\ud7a3" for ch in message)
    assert set(result.cleaned) <= schema.parse(MOVE_IN).stored_keys
