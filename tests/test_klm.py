"""The keystroke counts behind the setup time estimate (tests/klm.py, docs/ADOPTING.md)."""

from .klm import keystrokes


def test_hangul_is_counted_per_jamo_key_with_the_language_switch():
    assert keystrokes("한") == 1 + 3  # 한/영, ㅎ ㅏ ㄴ
    assert keystrokes("원") == 1 + 4  # ㅇ ㅜ ㅓ ㄴ: a compound vowel is two keys
    assert keystrokes("닭") == 1 + 4  # ㄷ ㅏ ㄹ ㄱ: so is a compound final
    assert keystrokes("abc") == 3
    assert keystrokes("김민원,kim") == 1 + 3 + 3 + 4 + 1 + 1 + 3  # switch back to English before "kim"
