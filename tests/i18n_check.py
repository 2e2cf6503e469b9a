"""Finding Korean text an English page shows outside elements marked lang="ko"."""

from html.parser import HTMLParser

from intake.i18n import HANGUL

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a person reads or hears; values (what the resident typed) are theirs.
READ_ATTRIBUTES = {"alt", "aria-label", "placeholder", "title"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = [("#root", False)]
        self.found: list[str] = []

    def _korean(self) -> bool:
        return self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        korean = (lang or "").startswith("ko") if lang is not None else self._korean()
        if not korean:
            for name in READ_ATTRIBUTES:
                if HANGUL.search(values.get(name) or ""):
                    self.found.append(f"<{tag} {name}={values[name]!r}>")
        if tag not in VOID:
            self.stack.append((tag, korean))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1][0] in {"script", "style"}:
            return
        if not self._korean() and HANGUL.search(data):
            self.found.append(f"<{self.stack[-1][0]}> {data.strip()[:80]!r}")


def korean_outside_lang_ko(html: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(html)
    return scanner.found
