import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_catalog import schema
from forms_catalog.validators import VALIDATORS, FieldError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01012345678", "010-1234-5678"),
        ("010-123-4567", "010-123-4567"),
        ("0212345678", "02-1234-5678"),
        ("+82 10 1234 5678", "010-1234-5678"),
        ("031-123-4567", "031-123-4567"),
        ("1588-1234", "1588-1234"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert VALIDATORS["phone"]({}, raw).value == expected


@pytest.mark.parametrize("raw", ["1234", "010-12-345", "abc", "05012345678"])
def test_bad_phone_numbers_say_how_to_fix(raw):
    with pytest.raises(FieldError) as exc:
        VALIDATORS["phone"]({}, raw)
    assert "010-1234-5678" in exc.value.message


def test_rrn_checks_birth_date_and_gender_digit_and_only_warns_on_check_digit():
    assert VALIDATORS["rrn"]({}, "9001011234568").value == "900101-1234568"
    assert VALIDATORS["rrn"]({}, "900101-1234568").warning == ""
    assert "확인" in VALIDATORS["rrn"]({}, "900101-1234567").warning
    for bad, fragment in [("901301-1234567", "생년월일"), ("900101-5234567", "뒷자리"), ("12345", "13자리")]:
        with pytest.raises(FieldError) as exc:
            VALIDATORS["rrn"]({}, bad)
        assert fragment in exc.value.message


def test_brn_check_digit():
    assert VALIDATORS["brn"]({}, "1248100998").value == "124-81-00998"
    with pytest.raises(FieldError):
        VALIDATORS["brn"]({}, "1248100997")


def test_mask_hides_the_back_of_a_registration_number():
    assert schema.mask({"type": "rrn"}, "900101-1234568") == "900101-1******"


@given(st.text(max_size=300))
def test_every_validator_either_cleans_or_explains_in_korean(raw):
    field = {"choices": [{"value": "a", "label": "가"}], "min": 0, "max": 10, "max_length": 50}
    for validator in VALIDATORS.values():
        try:
            validator(field, raw)
        except FieldError as exc:
            assert any("\uac00" <= ch <= "\ud7a3" for ch in exc.message)
