"""Server-side validation for each field type of a form schema.

Every validator takes the field definition and the raw submitted value and
returns the cleaned value, or raises FieldError with a message that says how
to fix the value (Korean, the source language, or the resident's language). The same functions drive the htmx per-field check
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
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

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


# Control characters (Unicode category Cc) but tab and newline, and lone
# surrogates (Cs); one regex instead of a category look-up per character.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    # NUL, other control characters and lone surrogates have no place in a
    # form value: they break PostgreSQL text/JSON columns. Newlines and tabs
    # survive for long text.
    return _UNWANTED.sub("", str(raw)).strip()


def _digits_text(raw: Any) -> str:
    """Text with full-width and other compatibility digits folded to ASCII (０１０ → 010)."""
    return unicodedata.normalize("NFKC", _text(raw))


def _max_length(field: Field) -> int | None:
    limit = field.get("max_length") or DEFAULT_MAX_LENGTH.get(field.get("type", "text"))
    return int(limit) if limit else None


def _check_length(field: Field, value: str) -> None:
    limit = _max_length(field)
    if limit and len(value) > limit:
        raise FieldError(
            _("%(limit)s자 이내로 입력해 주세요. 지금 %(length)s자입니다. 줄여서 다시 입력해 주세요.")
            % {"limit": limit, "length": len(value)}
        )


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
        raise FieldError(_("숫자만 입력해 주세요. 예: 2"))
    text = _digits_text(raw).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,15}", text, flags=re.ASCII):
        raise FieldError(_("숫자만 입력해 주세요. 쉼표(,)는 넣어도 됩니다. 예: 2"))
    value = int(text)
    if field.get("min") is not None and value < int(field["min"]):
        raise FieldError(
            _("%(min)s 이상으로 입력해 주세요. 지금 %(value)s입니다.") % {"min": field["min"], "value": value}
        )
    if field.get("max") is not None and value > int(field["max"]):
        raise FieldError(
            _("%(max)s 이하로 입력해 주세요. 지금 %(value)s입니다.") % {"max": field["max"], "value": value}
        )
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


# Whole sentences per date ("date", "start", "end"): Korean particles
# (를/을, 는/은) and English word order both depend on the word.
_DATE_MESSAGES = {
    "date": {
        "format": gettext_lazy("날짜를 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 날짜입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("날짜는 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("날짜는 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("날짜는 %(date)s 이전으로 입력해 주세요."),
    },
    "start": {
        "format": gettext_lazy("시작일을 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 시작일입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("시작일은 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("시작일은 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("시작일은 %(date)s 이전으로 입력해 주세요."),
    },
    "end": {
        "format": gettext_lazy("종료일을 YYYY-MM-DD 형식으로 입력해 주세요. 예: 2024-04-30"),
        "missing": gettext_lazy("없는 종료일입니다. 연·월·일을 확인해 주세요. 예: 2월은 28일이나 29일까지입니다."),
        "years": gettext_lazy("종료일은 1900년부터 2100년 사이로 입력해 주세요."),
        "after": gettext_lazy("종료일은 %(date)s 이후로 입력해 주세요."),
        "before": gettext_lazy("종료일은 %(date)s 이전으로 입력해 주세요."),
    },
}


def _parse_date(raw: Any, what: str = "date") -> datetime.date:
    text = _digits_text(raw).replace(".", "-").replace("/", "-").replace(" ", "").rstrip("-")
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})-?(\d{1,2})", text, flags=re.ASCII)
    if not match:
        raise FieldError(str(_DATE_MESSAGES[what]["format"]))
    try:
        value = datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise FieldError(str(_DATE_MESSAGES[what]["missing"])) from None
    if value.year < 1900 or value.year > 2100:
        raise FieldError(str(_DATE_MESSAGES[what]["years"]))
    return value


def _check_date_bounds(field: Field, value: datetime.date, what: str = "date") -> None:
    earliest = resolve_date_bound(field.get("min_date"))
    latest = resolve_date_bound(field.get("max_date"))
    if earliest and value < earliest:
        raise FieldError(str(_DATE_MESSAGES[what]["after"]) % {"date": earliest.isoformat()})
    if latest and value > latest:
        raise FieldError(str(_DATE_MESSAGES[what]["before"]) % {"date": latest.isoformat()})


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
        raise FieldError(_("기간을 시작일 ~ 종료일로 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31"))
    return parts[0], parts[1]


def clean_daterange(field: Field, raw: Any) -> Cleaned:
    """A period such as 임대차 기간: stored as "YYYY-MM-DD ~ YYYY-MM-DD"."""
    start_raw, end_raw = _range_parts(raw)
    if not _text(start_raw) or not _text(end_raw):
        raise FieldError(_("시작일과 종료일을 모두 입력해 주세요. 예: 2024-01-01 ~ 2024-01-31"))
    start = _parse_date(start_raw, "start")
    end = _parse_date(end_raw, "end")
    _check_date_bounds(field, start, "start")
    _check_date_bounds(field, end, "end")
    if end < start:
        raise FieldError(_("종료일이 시작일보다 빠릅니다. 두 날짜를 바꿔 입력해 주세요."))
    max_days = field.get("max_days")
    if max_days is not None and (end - start).days + 1 > int(max_days):
        raise FieldError(
            _("기간은 %(max)s일 이내로 입력해 주세요. 지금 %(days)s일입니다.")
            % {"max": max_days, "days": (end - start).days + 1}
        )
    return Cleaned(f"{start.isoformat()} ~ {end.isoformat()}")


_MOBILE = re.compile(r"01[016789]\d{7,8}")
_SEOUL = re.compile(r"02\d{7,8}")
_AREA = re.compile(r"0(3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}")
_NATIONAL = re.compile(r"(15|16|18)\d{6}")
_VOIP = re.compile(r"070\d{8}")
_PHONE_HELP = gettext_lazy("휴대전화는 010-1234-5678, 일반전화는 02-123-4567 형식입니다.")


def clean_phone(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-().]", "", _digits_text(raw))
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
    if field.get("mobile_only") and head not in {"010", "011", "016", "017", "018", "019"}:
        raise FieldError(_("문자를 받을 수 있는 휴대전화 번호를 입력해 주세요. 예: 010-1234-5678"))
    middle_len = len(rest) - 4
    return Cleaned(f"{head}-{rest[:middle_len]}-{rest[middle_len:]}")


_email_validator = EmailValidator()


def clean_email(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    _check_length(field, value)
    try:
        _email_validator(value)
    except ValidationError:
        raise FieldError(
            _("전자우편 주소를 확인해 주세요. @ 앞뒤를 빠짐없이 적어 주세요. 예: hong@example.kr")
        ) from None
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


def _weighted_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))


def clean_rrn(field: Field, raw: Any) -> Cleaned:
    digits, value = _registration_number(raw, "1234", _("주민등록번호"), "900101-1234568")
    warning = ""
    # Numbers issued from October 2020 no longer follow the check digit, so a
    # mismatch is only worth a second look, never a refusal.
    if (11 - _weighted_sum(digits) % 11) % 10 != int(digits[12]):
        warning = _("주민등록번호를 한 번 더 확인해 주세요. 맞다면 그대로 제출하셔도 됩니다.")
    return Cleaned(value, warning)


def clean_frn(field: Field, raw: Any) -> Cleaned:
    """외국인등록번호: the same shape as a 주민등록번호, with 5–8 as the gender/century digit."""
    digits, value = _registration_number(raw, "5678", _("외국인등록번호"), "900101-5234567")
    warning = ""
    # The old foreigner check digit is (13 - sum % 11) % 10; numbers issued
    # from October 2020 do not follow it either, so it only warns.
    if (13 - _weighted_sum(digits) % 11) % 10 != int(digits[12]):
        warning = _("외국인등록번호를 외국인등록증과 한 번 더 대조해 주세요. 맞다면 그대로 제출하셔도 됩니다.")
    return Cleaned(value, warning)


def clean_brn(field: Field, raw: Any) -> Cleaned:
    digits = re.sub(r"[\s\-]", "", _digits_text(raw))
    if not re.fullmatch(r"\d{10}", digits, flags=re.ASCII):
        raise FieldError(_("사업자등록번호 10자리를 숫자로 입력해 주세요. 예: 123-45-67890"))
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights, strict=True))
    total += int(digits[8]) * 5 // 10
    if (10 - total % 10) % 10 != int(digits[9]):
        raise FieldError(_("사업자등록번호가 올바르지 않습니다. 사업자등록증에 적힌 10자리를 다시 확인해 주세요."))
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
        raise FieldError(_("우편번호는 숫자 5자리입니다. 예: 06750. 모르면 비워 두세요."))
    if parts["postcode"] and not "01000" <= parts["postcode"] <= "63999":
        raise FieldError(_("없는 우편번호입니다. 우편번호 5자리를 다시 확인해 주세요. 예: 06750"))
    if field.get("require_postcode") and not parts["postcode"]:
        raise FieldError(_("우편번호 5자리를 입력해 주세요. 예: 06750. 우편물이 이 주소로 갑니다."))
    road = parts["road"]
    if field.get("address_level") == "district":
        # Some forms only need 시·도 and 시·군·구 (e.g. 대상자 주소, if known).
        if len(road) < 2 or not _DISTRICT.search(road):
            raise FieldError(_("시·도와 시·군·구를 입력해 주세요. 예: 경기도 수원시"))
    elif not _ROAD.search(road):
        raise FieldError(
            _(
                "도로명 주소를 도로명과 건물번호까지 입력해 주세요. 예: 세종특별자치시 한누리대로 2130. "
                "동·호수는 상세 주소 칸(또는 쉼표 뒤)에 적어 주세요."
            )
        )
    if field.get("require_detail") and not parts["detail"]:
        raise FieldError(_("상세 주소(동·호수)를 입력해 주세요. 예: 101동 1203호. 없으면 '없음'이라고 적어 주세요."))
    value = format_address(parts)
    _check_length(field, value)
    return Cleaned(value)


# --- choices ---------------------------------------------------------------
def _choice_values(field: Field) -> dict[str, str]:
    return {str(c["value"]): str(c.get("label", c["value"])) for c in field.get("choices", [])}


def clean_choice(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    if value not in _choice_values(field):
        raise FieldError(_("목록에서 하나를 골라 주세요."))
    return Cleaned(value)


def clean_multichoice(field: Field, raw: Any) -> Cleaned:
    items = raw if isinstance(raw, list) else [raw]
    values = [_text(item) for item in items if _text(item)]
    allowed = _choice_values(field)
    if any(v not in allowed for v in values):
        raise FieldError(_("목록에 있는 항목만 골라 주세요."))
    chosen = [v for v in allowed if v in values]
    if field.get("min_choices") and len(chosen) < int(field["min_choices"]):
        raise FieldError(_("%(min)s개 이상 골라 주세요.") % {"min": field["min_choices"]})
    if field.get("max_choices") and len(chosen) > int(field["max_choices"]):
        raise FieldError(
            _("%(max)s개까지만 고를 수 있습니다. 나머지는 선택을 풀어 주세요.") % {"max": field["max_choices"]}
        )
    return Cleaned(chosen)


def clean_yesno(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"yes", "y", "true", "1", "예", "네"}:
        return Cleaned("yes")
    if value in {"no", "n", "false", "0", "아니오", "아니요"}:
        return Cleaned("no")
    raise FieldError(_("예 또는 아니오 중 하나를 골라 주세요."))


REFUSED_CONSENT_MESSAGE = gettext_lazy(
    "동의하셔야 이 화면으로 신청할 수 있습니다. 동의하지 않으시면 창구에서 종이 서식으로 신청해 주세요."
)


def _consent_refusal(field: Field) -> str:
    """The consent's stated consequence of refusing, in the page's language; "" where the
    form has none in that language (the general message then says it)."""
    source = field.get("consent") if get_language() == "ko" else field.get("consent_en")
    return str(source.get("refusal") or "") if isinstance(source, dict) else ""


def clean_consent(field: Field, raw: Any) -> Cleaned:
    value = _text(raw).lower()
    if value in {"agree", "yes", "on", "true", "1"}:
        return Cleaned("agree")
    if value in {"disagree", "no"}:
        if field.get("required"):
            # A required consent refused: the right to refuse is real, and the
            # consent block itself states its consequence (usually the paper
            # counter; for 금융정보 제공 동의, no application at all).
            refusal = _consent_refusal(field)
            raise FieldError(
                _("동의하셔야 이 화면으로 신청할 수 있습니다.") + f" {refusal}"
                if refusal
                else str(REFUSED_CONSENT_MESSAGE)
            )
        return Cleaned("disagree")
    raise FieldError(_("동의 여부를 골라 주세요. '동의합니다' 또는 '동의하지 않습니다'를 누르세요."))


# --- drawn and uploaded images -------------------------------------------
_SIGNATURE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]{40,}={0,2}")
MAX_SIGNATURE_CHARS = 300_000


def clean_signature(field: Field, raw: Any) -> Cleaned:
    value = _text(raw)
    if len(value) > MAX_SIGNATURE_CHARS:
        raise FieldError(_("서명이 너무 큽니다. '다시 쓰기'를 누르고 한 번만 서명해 주세요."))
    if not _SIGNATURE.fullmatch(value):
        raise FieldError(_("서명란에 손가락이나 마우스로 서명해 주세요."))
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
    again = _("도장(인감) 사진을 다시 올려 주세요.") if field.get("type") == "seal" else _("파일을 다시 올려 주세요.")
    if not (isinstance(raw, dict) and isinstance(raw.get("file"), str)):
        raise FieldError(again)
    name = raw["file"]
    if not re.fullmatch(r"uploads/[0-9a-f]{32}\.(jpg|png|pdf)", name):
        raise FieldError(again)
    accept = accepted_types(field)
    if raw.get("content_type") not in accept:
        raise FieldError(
            _("올릴 수 없는 파일 형식입니다. %(types)s 파일로 다시 올려 주세요.") % {"types": type_names(accept)}
        )
    max_mb = float(field.get("max_size_mb", DEFAULT_MAX_SIZE_MB))
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0 or size > max_mb * 1024 * 1024:
        raise FieldError(_("파일이 너무 큽니다. %(mb)sMB 이하로 다시 올려 주세요.") % {"mb": f"{max_mb:g}"})
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
