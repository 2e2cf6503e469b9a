"""A keystroke-level model (Card, Moran & Newell 1980) of what an administrator does in a browser test.

Browser steps go through `Admin`, which performs them and counts the
operators a person would need: K keystrokes (Hangul counted per jamo key on
the standard 2-beolsik keyboard, plus the 한/영 key at each switch), P pointing,
B button clicks, H moving a hand between mouse and keyboard, M mental
preparation, and reading time for every new screen. The estimate is of human
time only; the server's response time is not included.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

# Operator times in seconds (Card, Moran & Newell 1980; Kieras 2001): K for an average
# non-secretarial typist (40 words a minute), P mouse pointing, B one click (press and
# release), H homing between keyboard and mouse, M mental preparation.
K, P, B, H, M = 0.28, 1.1, 0.2, 0.4, 1.35
# Careful first-time reading of an admin screen; Korean adults read about 500-600 syllables
# a minute, so 400 is slow on purpose: a new administrator reads every word once.
READ_CHARS_PER_MINUTE = 400
# A file chooser: its button, then the folder, then the file (double click).
FILE_DIALOG = {"M": 1, "P": 4, "B": 5}
# Typing the site's address into the browser the first time (e.g. minwon.example.go.kr).
SITE_ADDRESS_CHARS = 22

COMPOUND_VOWELS = {9, 10, 11, 14, 15, 16, 19}  # ㅘ ㅙ ㅚ ㅝ ㅞ ㅟ ㅢ
COMPOUND_FINALS = {3, 5, 6, 9, 10, 11, 12, 13, 14, 15, 18}  # ㄳ ㄵ ㄶ ㄺ … ㅄ


def keystrokes(text: str) -> int:
    """Keys pressed to type text on a 2-beolsik Korean keyboard, 한/영 switches included."""
    keys, hangul = 0, False
    for char in text:
        is_hangul = 0xAC00 <= ord(char) <= 0xD7A3
        if char.isalpha() and is_hangul != hangul:
            keys += 1
            hangul = is_hangul
        if is_hangul:
            code = ord(char) - 0xAC00
            medial, final = (code // 28) % 21, code % 28
            keys += (
                1
                + (2 if medial in COMPOUND_VOWELS else 1)
                + (0 if final == 0 else 2 if final in COMPOUND_FINALS else 1)
            )
        else:
            keys += 1
    return keys


@dataclass
class Estimate:
    counts: dict[str, int]
    reading_seconds: float
    screens: int
    extra: dict[str, float]

    @property
    def operator_seconds(self) -> float:
        times = {"K": K, "P": P, "B": B, "H": H, "M": M}
        return sum(times[op] * n for op, n in self.counts.items())

    @property
    def total_minutes(self) -> float:
        return (self.operator_seconds + self.reading_seconds + sum(self.extra.values())) / 60

    def report(self) -> str:
        ops = ", ".join(f"{op}={n}" for op, n in self.counts.items())
        extra = ", ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in self.extra.items())
        return (
            f"KLM: {ops}; operators {self.operator_seconds / 60:.1f} min; {self.screens} screens read "
            f"{self.reading_seconds / 60:.1f} min; {extra}; total {self.total_minutes:.1f} min"
        )


@dataclass
class Admin:
    """The administrator's browser, performing and counting each action."""

    page: Page
    base: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys("KPBHM", 0))
    reading_seconds: float = 0.0
    seen: set[str] = field(default_factory=set)
    hand_on_keyboard: bool = False

    def _add(self, **ops: int) -> None:
        for op, n in ops.items():
            self.counts[op] += n

    def _to_mouse(self) -> None:
        if self.hand_on_keyboard:
            self._add(H=1)
            self.hand_on_keyboard = False

    def _to_keyboard(self) -> None:
        if not self.hand_on_keyboard:
            self._add(H=1)
            self.hand_on_keyboard = True

    def read_screen(self) -> None:
        """A screen seen for the first time is read in full; a known one costs a glance (M)."""
        self.page.wait_for_load_state("load")
        path = urlsplit(self.page.url).path
        if path in self.seen:
            self._add(M=1)
            return
        self.seen.add(path)
        text = self.page.locator("#content, main").first.inner_text()
        self.reading_seconds += len("".join(text.split())) / READ_CHARS_PER_MINUTE * 60

    def goto(self, path: str) -> None:
        self._to_keyboard()
        self._add(M=1, K=SITE_ADDRESS_CHARS + len(path) + 1)
        self.page.goto(self.base + path)
        self.read_screen()

    def fill(self, selector: str, text: str) -> None:
        self._to_mouse()
        self._add(M=1, P=1, B=1)
        self._to_keyboard()
        self._add(K=keystrokes(text))
        self.page.fill(selector, text)

    def click(self, selector: str) -> None:
        before = self.page.url
        self._to_mouse()
        self._add(M=1, P=1, B=1)
        self.page.click(selector)
        if self.page.url != before:
            self.read_screen()

    def click_link(self, name: str) -> None:
        self._to_mouse()
        self._add(M=1, P=1, B=1)
        self.page.get_by_role("link", name=name).click()
        self.read_screen()

    def upload(self, selector: str, path: Path) -> None:
        self._to_mouse()
        self._add(**FILE_DIALOG)
        self.page.set_input_files(selector, path)

    def estimate(self, csv_text: str) -> Estimate:
        """This path's operators plus the work around it, each stated in docs/ADOPTING.md."""
        rows = [r for r in csv_text.splitlines()[1:] if r.strip()]
        extra = {
            # Typing the staff list in Excel (one cell per value, Tab/Enter between) and saving it as CSV.
            "officer list in Excel": keystrokes(csv_text) * K + len(rows) * 2 * M + (M + 6 * (P + B)),
            # Two print dialogs (password slips, posters) and cutting/handing out the slips.
            "printing": 2 * (M + 3 * (P + B)) + len(rows) * 20,
            # Taping one poster at each counter.
            "posters on counters": 3 * 60,
        }
        return Estimate(dict(self.counts), self.reading_seconds, len(self.seen), extra)
