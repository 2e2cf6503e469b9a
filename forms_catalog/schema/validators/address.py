"""도로명 addresses: three inputs or one line, stored as one line."""

import re
from typing import Any

from django.utils.translation import gettext as _

from ..types import Field
from .base import Cleaned, FieldError, check_length, digits_text

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
        return {part: " ".join(digits_text(raw.get(part)).split()) for part in ("postcode", "road", "detail")}
    text = " ".join(digits_text(raw).split())
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


def address_problem(field: Field, parts: dict[str, str]) -> tuple[str, str] | None:
    """(the box that is wrong: "postcode", "road" or "detail"; the message) or None.

    The page marks only that box: a wrong road name must not turn the optional
    postcode and detail boxes red too.
    """
    postcode = parts["postcode"]
    if postcode and not re.fullmatch(r"\d{5}", postcode, flags=re.ASCII):
        return "postcode", _("우편번호는 숫자 5자리입니다. 예: 06750. 모르면 비워 두세요.")
    if postcode and not "01000" <= postcode <= "63999":
        return "postcode", _("없는 우편번호입니다. 우편번호 5자리를 다시 확인해 주세요. 예: 06750")
    if field.require_postcode and not postcode:
        return "postcode", _("우편번호 5자리를 입력해 주세요. 예: 06750. 우편물이 이 주소로 갑니다.")
    road = parts["road"]
    if field.address_level == "district":
        # Some forms only need 시·도 and 시·군·구 (e.g. 대상자 주소, if known).
        if len(road) < 2 or not _DISTRICT.search(road):
            return "road", _("시·도와 시·군·구를 입력해 주세요. 예: 경기도 수원시")
    elif not _ROAD.search(road):
        return "road", _(
            "도로명 주소를 도로명과 건물번호까지 입력해 주세요. 예: 세종특별자치시 한누리대로 2130. "
            "동·호수는 상세 주소 칸(또는 쉼표 뒤)에 적어 주세요."
        )
    if field.require_detail and not parts["detail"]:
        return "detail", _("상세 주소(동·호수)를 입력해 주세요. 예: 101동 1203호. 없으면 '없음'이라고 적어 주세요.")
    return None


def clean_address(field: Field, raw: Any) -> Cleaned:
    """Stored as one line, "(06750) 서울특별시 서초구 남부순환로 2584, 101호", readable everywhere."""
    parts = address_parts(raw)
    problem = address_problem(field, parts)
    if problem is not None:
        raise FieldError(problem[1])
    value = format_address(parts)
    check_length(field, value)
    return Cleaned(value)
