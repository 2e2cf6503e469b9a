"""Server-side validation for each field type of a form schema.

Every validator takes the field definition and the raw submitted value and
returns the cleaned value, or raises FieldError with a Korean message that
says how to fix the value. The same functions drive the htmx per-field check
and the final submit, so the two can never disagree.

Cleaned values are plain JSON (strings, numbers, lists, small dicts) and
validating a cleaned value again gives the same value: a submission keeps
validating against its version for as long as it is kept.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone

Field = dict[str, Any]

# Caps that apply when a field sets no max_length: nobody types a 10,000
# character name, and a value that long is an attack or a paste accident.
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000, "address": 300, "email": 254}
ATTACHMENT_CONTENT_TYPES = ("image/jpeg", "image/png", "application/pdf")
SEAL_CONTENT_TYPES = ("image/jpeg", "image/png")
DEFAULT_MAX_SIZE_MB = 10


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
    # NUL, other control characters and lone surrogates have no place in a
    # form value: they break PostgreSQL text/JSON columns. Newlines and tabs
    # survive for long text.
    return "".join(
        ch for ch in str(raw) if ch in "\n\t" or (ord(ch) >= 32 and unicodedata.category(ch) not in {"Cs", "Cc"})
    ).strip()


def _digits_text(raw: Any) -> str:
    """Text with full-width and other compatibility digits folded to ASCII (０１０ → 010)."""
    return unicodedata.normalize("NFKC", _text(raw))


def _max_length(field: Field) -> int | None:
    limit = field.get("max_length") or DEFAULT_MAX_LENGTH.get(field.get("type", "text"))
    return int(limit) if limit else None


def _check_length(field: Field, value: str) -> None:
    limit = _max_length(field)
    if limit and len(value) > limit:
        raise FieldError(f"{limit}자 이내로 입력해 주세요. 지금 {len(value)}자입니다. 줄여서 다시 입력해 주세요.")


def clean_text(field: Field, raw: Any) -> Cleaned:
    value = " ".join(_text(raw).split())
    _check_length(field, value)
    return Cleaned(value)


def clean_textarea(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).replace("\r\n", "\n").replace("\r", "\n")
    _check_length(field, value)
    return Cleaned(value)


def clean_number(field: Field, raw: Any) -> Cleaned:
    if isinstance(raw, bool):
        raise FieldError("숫자만 입력해 주세요. 예: 2")
    text = _digits_text(raw).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,15}", text, flags=re.ASCII):
        raise FieldError("숫자만 입력해 주세요. 쉼표(,)는 넣어도 됩니다. 예: 2")
    value = int(text)
    if field.get("min") is not None and value < int(field["min"]):
        raise FieldError(f"{field['min']} 이상으로 입력해 주세요. 지금 {value}입니다.")
    if field.get("max") is not None and value > int(field["max"]):
        raise FieldError(f"{field['max']} 이하로 입력해 주세요. 지금 {value}입니다.")
    return Cleaned(value)


_RELATIVE_DATE = re.compile(r"today(?:([+-])(\d{1,5})d)?")


def resolve_date_bound(bound: Any, today: datetime.date | None = None) -> datetime.date | None:
    """A date limit from a schema: "2024-01-01", "today", "today-90d" or "today+30d"."""
    if bound in (None, ""):
        return None
    text = str(bound).strip()
    match = _RELATIVE_DATE.fullmatch(text)
    if match:
        # The office's day (Asia/Seoul), not the server's: at 01:00 KST a
        # UTC server still thinks it is yesterday.
        base = today or timezone.localdate()
        days = int(match.group(2) or 0)
        return base - datetime.timedelta(days=days) if match.group(1) == "-" else base + datetime.timedelta(days=days)
    return datetime.date.fromisoformat(text)


def _parse_date(raw: Any, what: str = "날짜") -> datetime.date:
    text = _digits_text(raw).replace(".", "-").replace("/", "-").replace(" ", "").rstrip("-")
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", text, flags=re.ASCII)
    if not match:
        raise FieldError(f"{what}를 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30")
    try:
        value = datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise FieldError(f"없는 {what}입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다.") from None
    if value.year < 1900 or value.year > 2100:
        raise FieldError(f"{what}는 1900년부터 2100년 사이로 입력해 주세요.")
    return value


def _check_date_bounds(field: Field, value: datetime.date, what: str = "날짜") -> None:
    earliest = resolve_date_bound(field.get("min_date"))
    latest = resolve_date_bound(field.get("max_date"))
    if earliest and value < earliest:
        raise FieldError(f"{what}는 {earliest.isoformat()} 이후로 입력해 주세요.")
    if latest and value > latest:
        raise FieldError(f"{what}는 {latest.isoformat()} 이전으로 입력해 주세요.")


def clean_date(field: Field, raw: Any) -> Cleaned:
    value = _parse_date(raw)
    _check_date_bounds(field, value)
    return Cleaned(value.isoformat())


_RANGE_SPLIT = re.compile(r"\s*(?:~|부터|–|—)\s*")


def _range_parts(raw: Any) -> tuple[Any, Any]:
    if isinstance(raw, dict):
        return raw.get("start"), raw.get("end")
    if isinstance(raw, list) and len(raw) == 2:
        return raw[0], raw[1]
    parts = _RANGE_SPLIT.split(_text(raw).removesuffix("까지"), maxsplit=1)
    if len(parts) != 2:
        raise FieldError("기간을 시작일 ~ 종료일로 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31")
    return parts[0], parts[1]


def clean_daterange(field: Field, raw: Any) -> Cleaned:
    """A period such as 임대차 기간: stored as "YYYY-MM-DD ~ YYYY-MM-DD"."""
    start_raw, end_raw = _range_parts(raw)
    if not _text(start_raw) or not _text(end_raw):
        raise FieldError("시작일과 종료일을 모두 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31")
    start = _parse_date(start_raw, "시작일")
    end = _parse_date(end_raw, "종료일")
    _check_date_bounds(field, start, "시작일")
    _check_date_bounds(field, end, "종료일")
    if end < start:
        raise FieldError("종료일이 시작일보다 빠릅니다. 두 날짜를 바꿔 입력해 주세요.")
    max_days = field.get("max_days")
    if max_days is not None and (end - start).days + 1 > int(max_days):
        raise FieldError(f"기간은 {max_days}일 이내로 입력해 주세요. 지금 {(end - start).days + 1}일입니다.")
    return Cleaned(f"{start.isoformat()} ~ {end.isoformat()}")


_MOBILE = re.compile(r"01[016789]\d{7,8}")
_SEOUL = re.compile(r"02\d{7,8}")
_AREA = re.compile(r"0(3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}")
_NATIONAL = re.compile(r"(15|16|18)\d{6}")
_VOIP = re.compile(r"070\d{8}")
_PHONE_HELP = "휴대전화는 010-1234-5678, 일반전화는 02-123-4567 형식입니다."


def clean_phone(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-().]", "", _digits_text(raw))
    if digits.startswith("+82"):
        digits = "0" + digits[3:].removeprefix("0")
    if not digits or not digits.isascii() or not digits.isdigit():
        raise FieldError(f"전화번호는 숫자와 - 만 입력해 주세요. 예: 010-1234-5678. {_PHONE_HELP}")
    if _MOBILE.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _SEOUL.fullmatch(digits):
        head, rest = "02", digits[2:]
    elif _AREA.fullmatch(digits) or _VOIP.fullmatch(digits):
        head, rest = digits[:3], digits[3:]
    elif _NATIONAL.fullmatch(digits):
        return Cleaned(f"{digits[:4]}-{digits[4:]}")
    else:
        raise FieldError(f"전화번호를 확인해 주세요. 지역번호나 자릿수가 맞지 않습니다. {_PHONE_HELP}")
    if field.get("mobile_only") and head not in {"010", "011", "016", "017", "018", "019"}:
        raise FieldError("문자를 받을 수 있는 휴대전화 번호를 입력해 주세요. 예: 010-1234-5678")
    middle_len = len(rest) - 4
    return Cleaned(f"{head}-{rest[:middle_len]}-{rest[middle_len:]}")


_email_validator = EmailValidator()


def clean_email(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    _check_length(field, value)
    try:
        _email_validator(value)
    except ValidationError:
        raise FieldError("전자우편 주소를 확인해 주세요. @ 앞뒤를 빠짐없이 적어 주세요. 예: hong@example.kr") from None
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


def _registration_number(raw: Any, allowed_digits: str, kind: str, example: str) -> tuple[str, str]:
    digits = re.sub(r"[\s\-]", "", _digits_text(raw))
    if not re.fullmatch(r"\d{13}", digits, flags=re.ASCII):
        raise FieldError(f"{kind} 13자리를 숫자로 입력해 주세요. 가운데 '-'는 넣지 않아도 됩니다. 예: {example}")
    if digits[6] not in allowed_digits:
        hint = "내국인은 1·2·3·4" if allowed_digits == "1234" else "외국인은 5·6·7·8"
        raise FieldError(
            f"{kind} 뒷자리 첫 숫자를 확인해 주세요. {hint} 중 하나입니다."
            + (" 외국인이면 외국인등록번호 칸을 쓰세요." if allowed_digits == "1234" else "")
        )
    year = _CENTURY[digits[6]] + int(digits[:2])
    try:
        birth = datetime.date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise FieldError(f"{kind} 앞 6자리는 생년월일(YYMMDD)입니다. 날짜를 확인해 주세요.") from None
    if birth > timezone.localdate():
        raise FieldError(f"{kind} 앞 6자리의 생년월일이 미래입니다. 확인해 주세요.")
    return digits, f"{digits[:6]}-{digits[6:]}"


def _weighted_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))


def clean_rrn(field: Field, raw: Any) -> Cleaned:
    digits, value = _registration_number(raw, "1234", "주민등록번호", "900101-1234568")
    warning = ""
    # Numbers issued from October 2020 no longer follow the check digit, so a
    # mismatch is only worth a second look, never a refusal.
    if (11 - _weighted_sum(digits) % 11) % 10 != int(digits[12]):
        warning = "주민등록번호를 한 번 더 확인해 주세요. 맞다면 그대로 제출하셔도 됩니다."
    return Cleaned(value, warning)


def clean_frn(field: Field, raw: Any) -> Cleaned:
    """외국인등록번호: the same shape as a 주민등록번호, with 5–8 as the gender/century digit."""
    digits, value = _registration_number(raw, "5678", "외국인등록번호", "900101-5234567")
    warning = ""
    # The old foreigner check digit is (13 - sum % 11) % 10; numbers issued
    # from October 2020 do not follow it either, so it only warns.
    if (13 - _weighted_sum(digits) % 11) % 10 != int(digits[12]):
        warning = "외국인등록번호를 외국인등록증과 한 번 더 대조해 주세요. 맞다면 그대로 제출하셔도 됩니다."
    return Cleaned(value, warning)


def clean_brn(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-]", "", _digits_text(raw))
    if not re.fullmatch(r"\d{10}", digits, flags=re.ASCII):
        raise FieldError("사업자등록번호 10자리를 숫자로 입력해 주세요. 예: 123-45-67890")
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True))
    total += int(digits[8]) * 5 // 10
    if (10 - total % 10) % 10 != int(digits[9]):
        raise FieldError("사업자등록번호가 올바르지 않습니다. 사업자등록증에 적힌 10자리를 다시 확인해 주세요.")
    return Cleaned(f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")


# --- address -------------------------------------------------------------
# A 도로명 address: a road name ending in 로/길 (with an optional 번/가 part,
# e.g. 서초대로74길), then the building number (2584 or 2584-1).
_ROAD = re.compile(
    r"[가-힣A-Za-z0-9·.]+(?:로|길)(?:\s?\d+(?:번)?(?:가|길|로))?\s?(?:지하\s?)?\d{1,5}(?:-\d{1,5})?(?![\d-])"
)
_DISTRICT = re.compile(r"[가-힣]+(?:시|도|군|구)(?![가-힣])")
# At the start, "(06750)" or "06750 "; at the end only in brackets, so a
# detail line ending in digits ("B동 10101") is never read as a postcode.
_POSTCODE_AT_EDGE = re.compile(r"^\s*(?:[\[(](\d{5})[\])]|(\d{5})(?=\s))\s*|\s*[\[(](\d{5})[\])]\s*$")
_ADDRESS_EXAMPLE = "예: 세종특별자치시 한누리대로 2130"


def address_parts(raw: Any) -> dict[str, str]:
    """{"postcode", "road", "detail"} from the three inputs or from one line of text.

    One line is read as "(06750) 서울특별시 서초구 남부순환로 2584, 101호": the
    5-digit postcode at either end, the detail after the first comma.
    """
    if isinstance(raw, dict):
        return {part: " ".join(_digits_text(raw.get(part)).split()) for part in ("postcode", "road", "detail")}
    text = " ".join(_digits_text(raw).split())
    postcode = ""
    match = _POSTCODE_AT_EDGE.search(text)
    if match:
        postcode = match.group(1) or match.group(2) or match.group(3)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    road, _, detail = text.partition(",")
    return {"postcode": postcode, "road": road.strip(), "detail": detail.strip()}


def format_address(parts: dict[str, str]) -> str:
    line = parts["road"] + (f", {parts['detail']}" if parts.get("detail") else "")
    return f"({parts['postcode']}) {line}" if parts.get("postcode") else line


def clean_address(field: Field, raw: Any) -> Cleaned:
    """Stored as one line, "(06750) 서울특별시 서초구 남부순환로 2584, 101호", readable everywhere."""
    parts = address_parts(raw)
    if parts["postcode"] and not re.fullmatch(r"\d{5}", parts["postcode"], flags=re.ASCII):
        raise FieldError("우편번호는 숫자 5자리입니다. 예: 06750. 모르면 비워 두세요.")
    if parts["postcode"] and not "01000" <= parts["postcode"] <= "63999":
        raise FieldError("없는 우편번호입니다. 우편번호 5자리를 다시 확인해 주세요. 예: 06750")
    if field.get("require_postcode") and not parts["postcode"]:
        raise FieldError("우편번호 5자리를 입력해 주세요. 예: 06750. 우편물이 이 주소로 갑니다.")
    road = parts["road"]
    if field.get("address_level") == "district":
        # Some forms only need 시·도 and 시·군·구 (e.g. 대상자 주소, if known).
        if len(road) < 2 or not _DISTRICT.search(road):
            raise FieldError("시·도와 시·군·구를 입력해 주세요. 예: 경기도 수원시")
    elif not _ROAD.search(road):
        raise FieldError(
            f"도로명 주소를 도로명과 건물번호까지 입력해 주세요. {_ADDRESS_EXAMPLE}. "
            "동·호수는 상세 주소 칸(또는 쉼표 뒤)에 적어 주세요."
        )
    if field.get("require_detail") and not parts["detail"]:
        raise FieldError("상세 주소(동·호수)를 입력해 주세요. 예: 101동 1203호. 없으면 '없음'이라고 적어 주세요.")
    value = format_address(parts)
    _check_length(field, value)
    return Cleaned(value)


# --- choices ---------------------------------------------------------------
def _choice_values(field: Field) -> dict[str, str]:
    return {str(c["value"]): str(c.get("label", c["value"])) for c in field.get("choices", [])}


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
    chosen = [v for v in allowed if v in values]
    if field.get("min_choices") and len(chosen) < int(field["min_choices"]):
        raise FieldError(f"{field['min_choices']}개 이상 골라 주세요.")
    if field.get("max_choices") and len(chosen) > int(field["max_choices"]):
        raise FieldError(f"{field['max_choices']}개까지만 고를 수 있습니다. 나머지는 선택을 풀어 주세요.")
    return Cleaned(chosen)


def clean_yesno(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"yes", "y", "true", "1", "예", "네"}:
        return Cleaned("yes")
    if value in {"no", "n", "false", "0", "아니오", "아니요"}:
        return Cleaned("no")
    raise FieldError("예 또는 아니오 중 하나를 골라 주세요.")


REFUSED_CONSENT_MESSAGE = (
    "동의하셔야 이 화면으로 신청할 수 있습니다. 동의하지 않으시면 창구에서 종이 서식으로 신청해 주세요."
)


def clean_consent(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"agree", "yes", "on", "true", "1"}:
        return Cleaned("agree")
    if value in {"disagree", "no"}:
        if field.get("required"):
            # A required consent refused: the right to refuse is real, and the
            # consent block itself states its consequence (usually the paper
            # counter; for 금융정보 제공 동의, no application at all).
            refusal = (field.get("consent") or {}).get("refusal") if isinstance(field.get("consent"), dict) else ""
            raise FieldError(
                f"동의하셔야 이 화면으로 신청할 수 있습니다. {refusal}" if refusal else REFUSED_CONSENT_MESSAGE
            )
        return Cleaned("disagree")
    raise FieldError("동의 여부를 골라 주세요. '동의합니다' 또는 '동의하지 않습니다'를 누르세요.")


# --- drawn and uploaded images -------------------------------------------
_SIGNATURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]{40,}={0,2}")
MAX_SIGNATURE_CHARS = 300_000


def clean_signature(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    if len(value) > MAX_SIGNATURE_CHARS:
        raise FieldError("서명이 너무 큽니다. '다시 쓰기'를 누르고 한 번만 서명해 주세요.")
    if not _SIGNATURE.fullmatch(value):
        raise FieldError("서명란에 손가락이나 마우스로 서명해 주세요.")
    return Cleaned(value)


def accepted_types(field: Field) -> list[str]:
    default = SEAL_CONTENT_TYPES if field.get("type") == "seal" else ATTACHMENT_CONTENT_TYPES
    return list(field.get("accept") or default)


def type_names(content_types: list[str]) -> str:
    names = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}
    return ", ".join(names.get(t, t) for t in content_types)


def clean_attachment(field: Field, raw: Any) -> Cleaned:
    """The stored reference a draft keeps for a file or seal image.

    The bytes are checked when they arrive (intake.uploads); this checks that
    the reference is one the upload step made and still fits the field, so a
    forged or stale reference never reaches a submission.
    """
    what = "도장(인감) 사진" if field.get("type") == "seal" else "파일"
    if not (isinstance(raw, dict) and isinstance(raw.get("file"), str)):
        raise FieldError(f"{what}을 다시 올려 주세요.")
    name = raw["file"]
    if not re.fullmatch(r"uploads/[0-9a-f]{32}\.(jpg|png|pdf)", name):
        raise FieldError(f"{what}을 다시 올려 주세요.")
    accept = accepted_types(field)
    if raw.get("content_type") not in accept:
        raise FieldError(f"올릴 수 없는 파일 형식입니다. {type_names(accept)} 파일로 다시 올려 주세요.")
    max_mb = float(field.get("max_size_mb", DEFAULT_MAX_SIZE_MB))
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0 or size > max_mb * 1024 * 1024:
        raise FieldError(f"파일이 너무 큽니다. {max_mb:g}MB 이하로 다시 올려 주세요.")
    cleaned = {k: raw[k] for k in ("file", "name", "content_type", "size", "sha256") if k in raw}
    cleaned["name"] = _text(cleaned.get("name", ""))[-100:]
    return Cleaned(cleaned)


def clean_guidance(field: Field, raw: Any) -> Cleaned:
    # Read-only text carries no value; anything posted for it is dropped.
    return Cleaned(None)


Validator = Callable[[Field, Any], Cleaned]

VALIDATORS: dict[str, Validator] = {
    "text": clean_text,
    "textarea": clean_textarea,
    "number": clean_number,
    "date": clean_date,
    "daterange": clean_daterange,
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
    "guidance": clean_guidance,
}

# Field types whose values are encrypted at rest and masked on screens.
SENSITIVE_TYPES = frozenset({"rrn", "frn"})
# Field types that carry no value (guidance text shown to the resident).
DISPLAY_ONLY_TYPES = frozenset({"guidance"})
# Field types stored as uploaded files.
ATTACHMENT_TYPES = frozenset({"file", "seal"})
# Field types whose value is one of a fixed set, usable in show_if conditions.
CHOICE_VALUES: dict[str, list[str]] = {"yesno": ["yes", "no"], "consent": ["agree", "disagree"]}
