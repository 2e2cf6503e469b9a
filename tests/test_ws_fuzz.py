"""Malformed and hostile WebSocket frames, generated from a seed, against every consumer.

No frame may crash a consumer or close the socket: each one keeps working
afterwards. The suite sends FUZZ_FRAMES (default 60) per consumer; `make
fuzz` sends 10,000.
"""

import json
import os
import random

import pytest

from officer_console.console import services

from . import factories, fuzzing, ws

pytestmark = pytest.mark.django_db(transaction=True)

FRAMES = int(os.environ.get("FUZZ_FRAMES", "60"))


KEYS = ["type", "field", "prompt", "submission", "id", "since", "revision"]
BROKEN = ['{"type": "resync"', "NaN", "1e999", '{"type": 1}', '{"type": ["resync"]}', "\x00", '"\\ud800"', "{}" * 50]


def _json_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randrange(-(2**70), 2**70)
    if kind == 3:
        return rng.uniform(-1e300, 1e300)
    if kind == 4:
        return fuzzing.text(rng, 50)
    if kind == 5:
        return [_json_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {fuzzing.text(rng, 10): _json_value(rng, depth + 1) for _ in range(rng.randrange(5))}


def _nested(rng: random.Random) -> str:
    """Deeply nested JSON: past the parser's recursion limit, and under the frame size limit."""
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('{"type":"resync","x":[', "]}")])
    depth = rng.randrange(1, 8_000)
    return opener * depth + "1" + closer * depth


def _frame(rng: random.Random) -> tuple[str, object]:
    kind = rng.randrange(7)
    if kind == 0:
        return ("text", fuzzing.text(rng, 3000))
    if kind == 1:
        return ("bytes", rng.randbytes(rng.randrange(3000)))
    if kind == 2:
        return ("text", json.dumps(_json_value(rng)))
    if kind == 3:
        return ("text", json.dumps({rng.choice(KEYS): _json_value(rng) for _ in range(rng.randrange(5))}))
    if kind == 4:
        return ("text", rng.choice(["x" * 70_000, *BROKEN]))
    return ("text", _nested(rng))


@pytest.fixture
def setup(transactional_db):
    version = factories.form_version()
    office = factories.office(forms=[version])
    submission = factories.submitted(office, version)
    return {
        "office": office,
        "counter": office.counters.first(),
        "officer": factories.officer(office),
        "submission": submission,
        "version": version,
    }


def _paths(setup):
    """Each socket with the person who opens it: the lobby TV and the resident's ticket have no log-in."""
    return [
        (f"/ws/console/{setup['office'].pk}/", setup["officer"]),
        (f"/ws/lobby/{services.lobby_token(setup['office'].pk)}/", None),
        (f"/ws/mirror/{setup['counter'].pk}/", setup["officer"]),
        (f"/ws/ticket/{setup['submission'].public_token}/", None),
    ]


@pytest.mark.parametrize("index", range(4), ids=["console", "lobby", "mirror", "ticket"])
async def test_consumers_survive_generated_frames(setup, index):
    path, user = _paths(setup)[index]
    generated = fuzzing.generate(_frame, FRAMES)
    communicator, connected, _ = await ws.connect(path, user)
    assert connected
    sent = 0
    for kind, payload in generated:
        # send_input, not send_to: empty frames are legal on the wire too.
        await communicator.send_input({"type": "websocket.receive", kind: payload})
        sent += 1
        # Drain replies; a close would show up here.
        while not await communicator.receive_nothing(timeout=0.01):
            message = await communicator.receive_output(timeout=1)
            assert message["type"] != "websocket.close", f"closed after {kind} frame {payload!r:.80}"
    assert not communicator.future.done(), "consumer crashed"
    # Still alive: a well-formed request is still answered.
    await communicator.send_json_to({"type": "resync"})
    assert (await communicator.receive_json_from(timeout=5))["type"]
    print(f"{path}: {sent} generated frames, 0 dropped, still open")
    assert sent == len(generated) >= min(FRAMES, 50)
    await communicator.disconnect()
