"""Phone numbers and registration numbers (주민등록번호, 외국인등록번호, 사업자등록번호)."""

import datetime
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..types import Field
from .base import Cleaned, FieldError, digits_text

_MOBILE = re.compile(r"01[016789]\d{7,8}")
_SEOUL = re.compile(r"02\d{7,8}")
_AREA = re.compile(r"0(3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}")
_NATIONAL = re.compile(r"(15|16|18)\d{6}")
_VOIP = re.compile(r"070\d{8}")
_PHONE_HELP = gettext_lazy("휴대전화는 010-1234-5678, 일반전화는 02-123-4567 형식입니다.")


def clean_phone(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-().]", "", digits_text(raw))
    if digits.startswith("+82"):
        digits = "0" + digits[3:].removeprefix("0")
    if not digits or not digits.isascii() or not digits.isdigit():
        raise FieldError(_("전화번호는 숫자와 - 만 입력해 주세요. 예: 010-1234-5678.") + f" {_PHONE_HELP}")
    if _MOBILE.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _SEOUL.fullmatch(digits):
        head, rest = "02", digits[2:]
    elif _AREA.fullmatch(digits) or _VOIP.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _NATIONAL.fullmatch(digits):
        return Cleaned(f"{digits[:4]}-{digits[4:]}")
    else:
        raise FieldError(_("전화번호를 확인해 주세요. 지역번호나 자릿수가 맞지 않습니다.") + f" {_PHONE_HELP}")
    if field.mobile_only and head not in {"010", "011", "016", "017", "018", "019"}:
        raise FieldError(_("문자를 받을 수 있는 휴대전화 번호를 입력해 주세요. 예: 010-1234-5678"))
    middle_len = len(rest) - 4
    return Cleaned(f"{head}-{rest[:middle_len]}-{rest[middle_len:]}")


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


def _registration_number(raw: Any, allowed_digits: str, kind: str, example: str) -> tuple[str, str]:
    digits = re.sub(r"[\s\-]", "", digits_text(raw))
    if not re.fullmatch(r"\d{13}", digits, flags=re.ASCII):
        raise FieldError(
            _("%(kind)s 13자리를 숫자로 입력해 주세요. 가운데 '-'는 넣지 않아도 됩니다. 예: %(example)s")
            % {"kind": kind, "example": example}
        )
    if digits[6] not in allowed_digits:
        hint = _("내국인은 1·2·3·4") if allowed_digits == "1234" else _("외국인은 5·6·7·8")
        raise FieldError(
            _("%(kind)s 뒷자리 첫 숫자를 확인해 주세요. %(hint)s 중 하나입니다.") % {"kind": kind, "hint": hint}
            + (" " + _("외국인이면 외국인등록번호 칸을 쓰세요.") if allowed_digits == "1234" else "")
        )
    year = _CENTURY[digits[6]] + int(digits[:2])
    try:
        birth = datetime.date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise FieldError(
            _("%(kind)s 앞 6자리는 생년월일(YYMMDD)입니다. 날짜를 확인해 주세요.") % {"kind": kind}
        ) from None
    if birth > timezone.localdate():
        raise FieldError(_("%(kind)s 앞 6자리의 생년월일이 미래입니다. 확인해 주세요.") % {"kind": kind})
    return digits, f"{digits[:6]}-{digits[6:]}"


def _check_digit_off(digits: str, base: int) -> bool:
    """The last digit is not (base - weighted sum % 11) % 10."""
    weighted = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (base - weighted % 11) % 10 != int(digits[12])


def clean_rrn(field: Field, raw: Any) -> Cleaned:
    digits, value = _registration_number(raw, "1234", _("주민등록번호"), "900101-1234568")
    # Numbers issued from October 2020 no longer follow the check digit, so a
    # mismatch is only worth a second look, never a refusal.
    if _check_digit_off(digits, 11):
        return Cleaned(value, _("주민등록번호를 한 번 더 확인해 주세요. 맞다면 그대로 제출하셔도 됩니다."))
    return Cleaned(value)


def clean_frn(field: Field, raw: Any) -> Cleaned:
    """외국인등록번호: the same shape as a 주민등록번호, with 5–8 as the gender/century digit."""
    digits, value = _registration_number(raw, "5678", _("외국인등록번호"), "900101-5234567")
    # The old foreigner check digit is (13 - sum % 11) % 10; numbers issued
    # from October 2020 do not follow it either, so it only warns.
    if _check_digit_off(digits, 13):
        return Cleaned(
            value, _("외국인등록번호를 외국인등록증과 한 번 더 대조해 주세요. 맞다면 그대로 제출하셔도 됩니다.")
        )
    return Cleaned(value)


def clean_brn(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-]", "", digits_text(raw))
    if not re.fullmatch(r"\d{10}", digits, flags=re.ASCII):
        raise FieldError(_("사업자등록번호 10자리를 숫자로 입력해 주세요. 예: 123-45-67890"))
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True))
    total += int(digits[8]) * 5 // 10
    if (10 - total % 10) % 10 != int(digits[9]):
        raise FieldError(_("사업자등록번호가 올바르지 않습니다. 사업자등록증에 적힌 10자리를 다시 확인해 주세요."))
    return Cleaned(f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")
