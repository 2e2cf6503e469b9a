"""Catalog text (form titles, labels, office names) in the resident's language.

Korean is the authoritative text; English comes from the *_en variants where
the catalog has them. Korean shown on an English page is marked lang="ko", so
screen readers pronounce it as Korean.
"""

import re
from typing import Any

from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def is_korean_page() -> bool:
    return (translation.get_language() or "ko") == "ko"


def _attr(obj: Any, name: str) -> Any:
    return obj.get(name) if hasattr(obj, "get") else getattr(obj, name, None)


def text_in_language(obj: Any, attr: str) -> str:
    """obj.<attr>_en on an English page when there is one, else obj.<attr>."""
    korean = str(_attr(obj, attr) or "")
    if is_korean_page():
        return korean
    return str(_attr(obj, f"{attr}_en") or "") or korean


def text_if_in_language(obj: Any, attr: str) -> str:
    """The text only if the page's language has it ("" for Korean on an English
    page): for places that cannot mark a language, such as <title>."""
    if is_korean_page():
        return str(_attr(obj, attr) or "")
    return str(_attr(obj, f"{attr}_en") or "")


def marked(text: str) -> SafeString:
    """Escaped text, wrapped in <span lang="ko"> when it is Korean on a page that is not."""
    if not is_korean_page() and HANGUL.search(text):
        return format_html('<span lang="ko">{}</span>', text)
    return conditional_escape(text)


# A Korean run inside English text (an address example): from a Hangul letter to the
# last Hangul letter or digit, spaces and the usual address punctuation between.
KOREAN_RUN = re.compile(r"[\uac00-\ud7a3][\uac00-\ud7a3\d\s·()-]*[\uac00-\ud7a3\d]|[\uac00-\ud7a3]")


def marked_runs(text: str) -> SafeString:
    """Escaped text with each Korean run in it marked lang="ko" on a page that is not Korean
    (an English message quoting a Korean example), so it is read out as Korean."""
    if is_korean_page() or not HANGUL.search(text):
        return conditional_escape(text)
    out, last = [], 0
    for match in KOREAN_RUN.finditer(text):
        out.append(conditional_escape(text[last : match.start()]))
        out.append(format_html('<span lang="ko">{}</span>', match.group()))
        last = match.end()
    out.append(conditional_escape(text[last:]))
    return SafeString("".join(out))


def html_in_language(obj: Any, attr: str) -> SafeString:
    return marked(text_in_language(obj, attr))
