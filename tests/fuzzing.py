"""What the HTTP and WebSocket fuzz tests share: seeded random text."""

import os
import random
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# A fixed seed by default, so a failure can be sent again; `make fuzz` may vary it.
SEED = int(os.environ.get("FUZZ_SEED", "21"))


def text(rng: random.Random, most: int) -> str:
    """Random text from all of Unicode's planes, surrogates aside (no client can send those)."""
    points = [
        rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)])
        for _ in range(rng.randrange(most))
    ]
    return "".join(map(chr, points))


def generate(make: Callable[[random.Random], T], count: int) -> list[T]:
    """`count` inputs from `make`, the same ones for the same FUZZ_SEED."""
    rng = random.Random(SEED)
    return [make(rng) for _ in range(count)]
