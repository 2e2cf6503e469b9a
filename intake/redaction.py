"""Keeping residents' personal data out of logs and stored error messages.

Two layers: an error about one submission is scrubbed of that submission's
own values before it is logged or stored (`redact`), and every log record
passes a filter that masks anything shaped like a 주민등록번호 or a mobile
number, whatever wrote it (`PersonalDataFilter`).
"""

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any

MASK = "[개인정보]"
# 주민등록번호/외국인등록번호 (YYMMDD-Gnnnnnn) and Korean mobile numbers, with or without hyphens.
PATTERNS = re.compile(r"(?<!\d)(\d{6}-?[1-8]\d{6}|01[016789][- ]?\d{3,4}[- ]?\d{4})(?!\d)")
_LONGEST_QUOTED = 1_000  # a signature's data URL is never quoted in an error


def _leaves(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value.strip()


def personal_strings(values: Any) -> list[str]:
    """The strings to scrub for a form's values, longest first (a name inside an address goes with it)."""
    found: set[str] = set()
    for text in _leaves(values):
        if 2 <= len(text) <= _LONGEST_QUOTED:
            found.add(text)
            bare = re.sub(r"[-\s]", "", text)
            if bare != text and len(bare) >= 2:
                found.add(bare)  # 010-1234-5678 is also quoted as 01012345678
    return sorted(found, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret.isascii() and secret.isalpha():
            # Short English words ("yes", "Lee") only as whole words, not inside "yesterday".
            if len(secret) >= 3:
                text = re.sub(rf"\b{re.escape(secret)}\b", MASK, text)
        else:
            text = text.replace(secret, MASK)
    return PATTERNS.sub(MASK, text)


def redacted_traceback(exc: BaseException, secrets: Iterable[str]) -> str:
    return redact("".join(traceback.format_exception(exc)), list(secrets))


class PersonalDataFilter(logging.Filter):
    """Masks RRN- and phone-shaped numbers in every log line and traceback, as a last line of defence."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = PATTERNS.sub(MASK, message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = PATTERNS.sub(MASK, record.exc_text)
        return True
