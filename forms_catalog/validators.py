"""Server-side validation for each field type of a form schema.

Every validator takes the raw submitted value and the field definition and
returns the cleaned value, or raises FieldError with a Korean message that
says how to fix the value. The same functions drive the htmx per-field check
and the final submit, so the two can never disagree.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

Field = dict[str, Any]


class FieldError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Cleaned:
    value: Any
    warning: str = ""


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    # NUL and other control characters have no place in a form value and
    # break PostgreSQL text columns; newlines survive for long text.
    return "".join(ch for ch in str(raw) if ch in "\n\t" or ord(ch) >= 32).strip()


def _check_length(field: Field, value: str) -> None:
    max_length = field.get("max_length")
    if max_length and len(value) > int(max_length):
        raise FieldError(f"{max_length}자 이내로 입력해 주세요. 지금 {len(value)}자입니다.")


def clean_text(field: Field, raw: Any) -> Cleaned:
    value = " ".join(_text(raw).split())
    _check_length(field, value)
    return Cleaned(value)


def clean_textarea(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).replace("\r\n", "\n")
    _check_length(field, value)
    return Cleaned(value)


def clean_number(field: Field, raw: Any) -> Cleaned:
    text = _text(raw).replace(",", "")
    if not re.fullmatch(r"-?\d{1,15}", text):
        raise FieldError("숫자만 입력해 주세요. 예: 2")
    value = int(text)
    if "min" in field and value < int(field["min"]):
        raise FieldError(f"{field['min']} 이상으로 입력해 주세요.")
    if "max" in field and value > int(field["max"]):
        raise FieldError(f"{field['max']} 이하로 입력해 주세요.")
    return Cleaned(value)


def clean_date(field: Field, raw: Any) -> Cleaned:
    text = _text(raw).replace(".", "-").replace("/", "-")
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", text)
    if not match:
        raise FieldError("날짜를 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30")
    try:
        value = datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise FieldError("없는 날짜입니다. 연·월·일을 확인해 주세요.") from None
    if value.year < 1900 or value.year > 2100:
        raise FieldError("1900년부터 2100년 사이의 날짜를 입력해 주세요.")
    return Cleaned(value.isoformat())


_MOBILE = re.compile(r"01[016789]\d{7,8}")
_SEOUL = re.compile(r"02\d{7,8}")
_AREA = re.compile(r"0(3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}")
_NATIONAL = re.compile(r"(15|16|18)\d{6}")
_VOIP = re.compile(r"070\d{8}")


def clean_phone(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-().]", "", _text(raw))
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    if not digits.isdigit():
        raise FieldError("전화번호는 숫자와 - 만 입력해 주세요. 예: 010-1234-5678")
    if _MOBILE.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _SEOUL.fullmatch(digits):
        head, rest = "02", digits[2:]
    elif _AREA.fullmatch(digits) or _VOIP.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _NATIONAL.fullmatch(digits):
        return Cleaned(f"{digits[:4]}-{digits[4:]}")
    else:
        raise FieldError("전화번호를 확인해 주세요. 휴대전화는 010-1234-5678, 일반전화는 02-123-4567 형식입니다.")
    middle_len = len(rest) - 4
    return Cleaned(f"{head}-{rest[:middle_len]}-{rest[middle_len:]}")


_email_validator = EmailValidator()


def clean_email(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    _check_length(field, value)
    try:
        _email_validator(value)
    except ValidationError:
        raise FieldError("전자우편 주소를 확인해 주세요. 예: hong@example.kr") from None
    return Cleaned(value)


_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_CENTURY = {
    "9": 1800,
    "0": 1800,
    "1": 1900,
    "2": 1900,
    "5": 1900,
    "6": 1900,
    "3": 2000,
    "4": 2000,
    "7": 2000,
    "8": 2000,
}


def _registration_number(raw: Any, allowed_digits: str, kind: str) -> tuple[str, str]:
    digits = re.sub(r"[\s\-]", "", _text(raw))
    if not re.fullmatch(r"\d{13}", digits):
        raise FieldError(f"{kind} 13자리를 숫자로 입력해 주세요. 예: 900101-1234567")
    if digits[6] not in allowed_digits:
        raise FieldError(f"{kind} 뒷자리 첫 숫자를 확인해 주세요.")
    year = _CENTURY[digits[6]] + int(digits[:2])
    try:
        birth = datetime.date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise FieldError(f"{kind} 앞 6자리는 생년월일(YYMMDD)입니다. 날짜를 확인해 주세요.") from None
    if birth > datetime.date.today():
        raise FieldError(f"{kind} 앞 6자리의 생년월일이 미래입니다. 확인해 주세요.")
    return digits, f"{digits[:6]}-{digits[6:]}"


def _check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def clean_rrn(field: Field, raw: Any) -> Cleaned:
    digits, value = _registration_number(raw, "1234", "주민등록번호")
    warning = ""
    # Numbers issued from October 2020 no longer follow the check digit, so a
    # mismatch is only worth a second look, never a refusal.
    if not _check_digit_ok(digits):
        warning = "주민등록번호를 한 번 더 확인해 주세요. 맞다면 그대로 제출하셔도 됩니다."
    return Cleaned(value, warning)


def clean_frn(field: Field, raw: Any) -> Cleaned:
    _, value = _registration_number(raw, "5678", "외국인등록번호")
    return Cleaned(value)


def clean_brn(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-]", "", _text(raw))
    if not re.fullmatch(r"\d{10}", digits):
        raise FieldError("사업자등록번호 10자리를 입력해 주세요. 예: 123-45-67890")
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True))
    total += int(digits[8]) * 5 // 10
    if (10 - total % 10) % 10 != int(digits[9]):
        raise FieldError("사업자등록번호가 올바르지 않습니다. 사업자등록증의 번호를 확인해 주세요.")
    return Cleaned(f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")


def _choice_values(field: Field) -> dict[str, str]:
    return {str(c["value"]): c["label"] for c in field.get("choices", [])}


def clean_choice(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    if value not in _choice_values(field):
        raise FieldError("목록에서 하나를 골라 주세요.")
    return Cleaned(value)


def clean_multichoice(field: Field, raw: Any) -> Cleaned:
    items = raw if isinstance(raw, list) else [raw]
    values = [_text(item) for item in items if _text(item)]
    allowed = _choice_values(field)
    if any(v not in allowed for v in values):
        raise FieldError("목록에 있는 항목만 골라 주세요.")
    return Cleaned([v for v in allowed if v in values])


def clean_yesno(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"yes", "y", "true", "1", "예"}:
        return Cleaned("yes")
    if value in {"no", "n", "false", "0", "아니오", "아니요"}:
        return Cleaned("no")
    raise FieldError("예 또는 아니오를 골라 주세요.")


def clean_consent(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"agree", "yes", "on", "true", "1"}:
        return Cleaned("agree")
    if value in {"disagree", "no"}:
        return Cleaned("disagree")
    raise FieldError("동의 여부를 골라 주세요.")


_SIGNATURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]{40,}")


def clean_signature(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    if len(value) > 300_000 or not _SIGNATURE.fullmatch(value):
        raise FieldError("서명란에 손가락이나 마우스로 서명해 주세요.")
    return Cleaned(value)


def clean_address(field: Field, raw: Any) -> Cleaned:
    value = " ".join(_text(raw).split())
    _check_length(field, value)
    if len(value) < 5:
        raise FieldError("도로명 주소를 동·호수까지 입력해 주세요. 예: 서울특별시 서초구 남부순환로 2584, 101호")
    return Cleaned(value)


def clean_attachment(field: Field, raw: Any) -> Cleaned:
    # The upload itself is checked when it arrives (intake.uploads); what is
    # validated here is the stored reference the draft keeps.
    if isinstance(raw, dict) and isinstance(raw.get("file"), str) and raw["file"].startswith("uploads/"):
        return Cleaned({k: raw[k] for k in ("file", "name", "content_type", "size", "sha256") if k in raw})
    raise FieldError("파일을 다시 올려 주세요.")


Validator = Callable[[Field, Any], Cleaned]

VALIDATORS: dict[str, Validator] = {
    "text": clean_text,
    "textarea": clean_textarea,
    "number": clean_number,
    "date": clean_date,
    "phone": clean_phone,
    "email": clean_email,
    "rrn": clean_rrn,
    "frn": clean_frn,
    "brn": clean_brn,
    "address": clean_address,
    "choice": clean_choice,
    "multichoice": clean_multichoice,
    "yesno": clean_yesno,
    "consent": clean_consent,
    "signature": clean_signature,
    "file": clean_attachment,
    "seal": clean_attachment,
}

# Field types whose values are encrypted at rest and masked on screens.
SENSITIVE_TYPES = frozenset({"rrn", "frn"})
# Field types that carry no value (guidance text shown to the resident).
DISPLAY_ONLY_TYPES = frozenset({"guidance"})
