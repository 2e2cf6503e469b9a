import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from forms_catalog import schema
from forms_catalog.schema.validators import (
    MAX_SIGNATURE_CHARS,
    REFUSED_CONSENT_MESSAGE,
    FieldError,
    address_parts,
    resolve_date_bound,
)
from forms_catalog.schema.validators import VALIDATORS as TYPED_VALIDATORS

from .factories import SIGNATURE


def _from_json(validate):
    """The validator, taking its field as the schema JSON writes it (the examples below do)."""
    return lambda field, raw: validate(schema.field_of(field), raw)


VALIDATORS = {kind: _from_json(validate) for kind, validate in TYPED_VALIDATORS.items()}


def _is_korean(message: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in message)


def _error(kind: str, field: dict, raw) -> str:
    with pytest.raises(FieldError) as exc:
        VALIDATORS[kind]({"type": kind, **field}, raw)
    assert _is_korean(exc.value.message)
    return exc.value.message


# --- examples: what each type accepts, and what it says when it refuses ------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01012345678", "010-1234-5678"),
        ("010-123-4567", "010-123-4567"),
        ("0212345678", "02-1234-5678"),
        ("+82 10 1234 5678", "010-1234-5678"),
        ("+82-(0)2-123-4567", "02-123-4567"),
        ("031-123-4567", "031-123-4567"),
        ("070-1234-5678", "070-1234-5678"),
        ("1588-1234", "1588-1234"),
        ("０１０－１２３４－５６７８", "010-1234-5678"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert VALIDATORS["phone"]({}, raw).value == expected


@pytest.mark.parametrize("raw", ["1234", "010-12-345", "abc", "05012345678", "010１２３٤٥٦٧٨"])
def test_bad_phone_numbers_say_how_to_fix(raw):
    assert "010-1234-5678" in _error("phone", {}, raw)


def test_mobile_only_phone_refuses_a_landline():
    assert "휴대전화" in _error("phone", {"mobile_only": True}, "02-123-4567")


def test_rrn_checks_birth_date_and_gender_digit_and_only_warns_on_check_digit():
    assert VALIDATORS["rrn"]({}, "9001011234568").value == "900101-1234568"
    assert VALIDATORS["rrn"]({}, "900101-1234568").warning == ""
    assert "확인" in VALIDATORS["rrn"]({}, "900101-1234567").warning
    for bad, fragment in [("901301-1234567", "생년월일"), ("900101-5234567", "외국인등록번호"), ("12345", "13자리")]:
        assert fragment in _error("rrn", {}, bad)
    future = (timezone.localdate() + datetime.timedelta(days=400)).strftime("%y%m%d")
    assert "미래" in _error("rrn", {}, f"{future}-3234567")


def test_frn_takes_the_foreigner_digits_and_only_warns_on_check_digit():
    # 5 (male, 1900s) with a check digit that fits the old foreigner rule.
    total = sum(int(d) * w for d, w in zip("850315500001", (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    good = f"850315-500001{(13 - total % 11) % 10}"
    assert VALIDATORS["frn"]({}, good.replace("-", "")).value == good
    assert VALIDATORS["frn"]({}, good).warning == ""
    bad_check = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert "대조" in VALIDATORS["frn"]({}, bad_check).warning
    assert "5·6·7·8" in _error("frn", {}, "850315-1000011")
    assert "생년월일" in _error("frn", {}, "851315-5000011")


def test_brn_check_digit():
    assert VALIDATORS["brn"]({}, "1248100998").value == "124-81-00998"
    assert "사업자등록증" in _error("brn", {}, "1248100997")
    assert "10자리" in _error("brn", {}, "124-81-0099")


def test_dates_and_their_limits(korea_clock):
    korea_clock.set("2026-03-04 23:59:59")
    assert VALIDATORS["date"]({}, "2024.4.30").value == "2024-04-30"
    assert VALIDATORS["date"]({}, "２０２４／０４／３０").value == "2024-04-30"
    assert "없는 날짜" in _error("date", {}, "2023-02-29")
    assert "이전" in _error("date", {"max_date": "today"}, "2026-03-05")
    assert VALIDATORS["date"]({"max_date": "today"}, "2026-03-04").value == "2026-03-04"
    assert "이후" in _error("date", {"min_date": "2024-01-01"}, "2023-12-31")
    assert resolve_date_bound("today-90d", datetime.date(2024, 4, 30)) == datetime.date(2024, 1, 31)
    assert resolve_date_bound("today+1d", datetime.date(2024, 12, 31)) == datetime.date(2025, 1, 1)


def test_today_is_the_office_day_in_seoul_not_the_servers(korea_clock):
    # 01:30 on 30 April in Seoul is still 29 April in UTC (the process's zone under the clock).
    korea_clock.set("2024-04-30 01:30")
    assert datetime.date.today() == datetime.date(2024, 4, 29)
    assert VALIDATORS["date"]({"max_date": "today"}, "2024-04-30").value == "2024-04-30"
    assert resolve_date_bound("today-1d") == datetime.date(2024, 4, 29)


def test_date_ranges_keep_their_order_and_length():
    field = {"max_days": 31}
    assert VALIDATORS["daterange"](field, {"start": "2024-01-01", "end": "2024-01-31"}).value == (
        "2024-01-01 ~ 2024-01-31"
    )
    assert VALIDATORS["daterange"](field, "2024-01-01 ~ 2024-01-31").value == "2024-01-01 ~ 2024-01-31"
    assert "바꿔" in _error("daterange", field, {"start": "2024-02-01", "end": "2024-01-01"})
    assert "31일 이내" in _error("daterange", field, "2024-01-01 ~ 2024-03-01")
    assert "모두" in _error("daterange", field, {"start": "2024-01-01", "end": ""})


def test_address_is_road_name_postcode_and_detail():
    clean = VALIDATORS["address"]
    parts = {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584", "detail": "101호"}
    assert clean({}, parts).value == "(06750) 서울특별시 서초구 남부순환로 2584, 101호"
    # The stored line reads back into the same parts: it stays valid forever.
    assert address_parts(clean({}, parts).value) == parts
    assert clean({}, "서울 서초구 서초대로74길 11").value == "서울 서초구 서초대로74길 11"
    assert "도로명" in _error("address", {}, "서초동 1376-3")
    assert "5자리" in _error("address", {}, {"postcode": "6750", "road": "서울 서초구 반포대로 58"})
    assert "우편번호" in _error("address", {"require_postcode": True}, "서울 서초구 반포대로 58")
    assert "상세 주소" in _error("address", {"require_detail": True}, "서울 서초구 반포대로 58")
    assert clean({"address_level": "district"}, "서울특별시 서초구").value == "서울특별시 서초구"
    assert "시·군·구" in _error("address", {"address_level": "district"}, "어딘가")


def test_text_length_caps_apply_even_without_max_length():
    assert "30자 이내" in _error("text", {"max_length": 30}, "가" * 31)
    assert "200자 이내" in _error("text", {}, "가" * 201)
    assert VALIDATORS["text"]({}, "  홍\x00길\u200b동  ").value.startswith("홍길")
    assert VALIDATORS["textarea"]({}, "첫 줄\r\n둘째 줄").value == "첫 줄\n둘째 줄"


def test_text_drops_control_characters_and_lone_surrogates_but_keeps_tabs_newlines_and_hangul():
    raw = "홍\x00길\x1f동\x7f \x85주\ud800소\t번지\n2층 ＡＢ \u200b"
    assert VALIDATORS["textarea"]({}, raw).value == "홍길동 주소\t번지\n2층 ＡＢ \u200b".strip()


def test_choices_and_numbers():
    field = {"choices": [{"value": "a", "label": "가"}, {"value": "b", "label": "나"}], "max_choices": 1}
    assert VALIDATORS["choice"](field, "a").value == "a"
    assert "목록" in _error("choice", field, "z")
    assert VALIDATORS["multichoice"]({**field, "max_choices": 2}, ["b", "a"]).value == ["a", "b"]
    assert "1개까지" in _error("multichoice", field, ["a", "b"])
    assert VALIDATORS["yesno"]({}, "예").value == "yes"
    assert VALIDATORS["number"]({"min": 1, "max": 10}, "１,０").value == 10
    assert "1 이상" in _error("number", {"min": 1}, "0")


def test_consent_refused_points_to_the_paper_counter():
    assert VALIDATORS["consent"]({}, "disagree").value == "disagree"
    assert _error("consent", {"required": True}, "disagree") == REFUSED_CONSENT_MESSAGE
    assert VALIDATORS["consent"]({"required": True}, "agree").value == "agree"


def test_attachment_references_must_come_from_the_upload_step_and_fit_the_field():
    ref = {"file": "uploads/" + "a" * 32 + ".png", "name": "도장.png", "content_type": "image/png", "size": 2048}
    assert VALIDATORS["seal"]({"type": "seal"}, ref).value["file"] == ref["file"]
    assert "다시 올려" in _error("file", {}, {**ref, "file": "../../etc/passwd"})
    assert "JPG, PNG" in _error("seal", {}, {**ref, "content_type": "application/pdf"})
    assert "1MB" in _error("file", {"max_size_mb": 1}, {**ref, "size": 2 * 1024 * 1024})
    assert "다시 올려" in _error("file", {}, "uploads/x.png")


def test_signature_and_guidance():
    assert VALIDATORS["signature"]({}, SIGNATURE).value == SIGNATURE
    assert "서명" in _error("signature", {}, "data:image/png;base64,AAAA")
    assert "다시 쓰기" in _error("signature", {}, "data:image/png;base64," + "A" * MAX_SIGNATURE_CHARS)
    assert VALIDATORS["guidance"]({}, "anything").value is None


def test_mask_hides_the_back_of_a_registration_number():
    assert schema.mask(schema.field_of({"type": "rrn"}), "900101-1234568") == "900101-1******"


# --- properties: every validator, any input ---------------------------------
FIELD_OPTIONS = {
    "choices": [{"value": "a", "label": "가"}, {"value": "b", "label": "나"}],
    "min": 0,
    "max": 10,
    "max_length": 50,
    "min_date": "1900-01-01",
    "max_date": "2100-12-31",
    "max_days": 365,
}
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
MIXED = st.text(
    st.one_of(
        HANGUL,
        st.characters(codec="utf-8"),
        st.sampled_from("0123456789０１２３-~,.()/ \t\n\u200b\u00a0ㄱㅏ漢字ｶﾀ"),
    ),
    max_size=80,
)
GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=300),
    MIXED,
    st.binary(max_size=50).map(lambda b: b.decode("latin-1")),
    st.lists(MIXED, max_size=4),
    st.dictionaries(st.sampled_from(["postcode", "road", "detail", "start", "end", "file", "size"]), MIXED),
)


def _cleans_or_explains(kind: str, raw) -> object:
    field = {"type": kind, **FIELD_OPTIONS}
    try:
        cleaned = VALIDATORS[kind](field, raw)
    except FieldError as exc:
        assert _is_korean(exc.message), exc.message
        return None
    # Whatever is accepted is stored as plain JSON without control characters
    # and validates again to itself, so stored submissions stay valid.
    assert "\x00" not in str(cleaned.value)
    again = VALIDATORS[kind](field, cleaned.value)
    assert again.value == cleaned.value
    return cleaned.value


@pytest.mark.parametrize("kind", sorted(VALIDATORS))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=GARBAGE)
def test_every_validator_cleans_or_explains_in_korean(kind, raw):
    _cleans_or_explains(kind, raw)


@pytest.mark.parametrize("kind", sorted(VALIDATORS))
@settings(max_examples=40, deadline=None)
@given(
    raw=st.tuples(
        st.sampled_from(["", "서울특별시 서초구 남부순환로 2584, ", "010", "2024-01-01 ~ ", "data:image/png;base64,"]),
        MIXED.filter(bool),
        st.integers(min_value=200, max_value=5_000),
    ).map(lambda t: t[0] + t[1] * t[2])
)
def test_very_long_input_is_refused_or_capped_never_crashes(kind, raw):
    value = _cleans_or_explains(kind, raw)
    if isinstance(value, str) and kind not in {"signature"}:
        assert len(value) <= 4000


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=timezone.localdate()), st.sampled_from("1234"))
def test_any_real_birth_date_makes_a_valid_rrn_shape(birth, gender):
    assume((birth.year >= 2000) == (gender in "34"))
    digits = birth.strftime("%y%m%d") + gender + "000000"
    assert VALIDATORS["rrn"]({}, digits).value == f"{digits[:6]}-{digits[6:]}"


@given(st.from_regex(r"01[016789][0-9]{7,8}", fullmatch=True), st.sampled_from(["", "-", " ", "."]))
def test_any_mobile_number_normalises_whatever_the_separator(digits, sep):
    raw = sep.join([digits[:3], digits[3:-4], digits[-4:]])
    value = VALIDATORS["phone"]({}, raw).value
    assert value.replace("-", "") == digits and value.count("-") == 2


@given(
    st.from_regex(r"0[1-6][0-9]{3}", fullmatch=True),
    st.sampled_from(["남부순환로 2584", "서초대로74길 11", "반포대로 58", "세종대로 110-1"]),
    st.text(HANGUL | st.sampled_from("0123456789 동호층"), max_size=20),
)
def test_any_road_address_round_trips_through_its_one_line_form(postcode, road, detail):
    parts = {"postcode": postcode, "road": f"서울특별시 서초구 {road}", "detail": " ".join(detail.split())}
    line = VALIDATORS["address"]({}, parts).value
    assert address_parts(line) == parts


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 1, 1)),
    st.integers(min_value=0, max_value=400),
)
def test_any_ordered_period_is_accepted_and_reversed_one_refused(start, days):
    end = start + datetime.timedelta(days=days)
    assert VALIDATORS["daterange"]({}, {"start": start.isoformat(), "end": end.isoformat()}).value.startswith(
        start.isoformat()
    )
    if days:
        with pytest.raises(FieldError):
            VALIDATORS["daterange"]({}, {"start": end.isoformat(), "end": start.isoformat()})


@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_exactly_one_brn_check_digit_fits(first_nine):
    valid = []
    for d in range(10):
        try:
            VALIDATORS["brn"]({}, first_nine + str(d))
            valid.append(d)
        except FieldError:
            pass
    assert len(valid) == 1
