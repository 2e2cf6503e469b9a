"""The submission lifecycle: one table of moves, one function that makes them."""

import re
from pathlib import Path

import pytest

from intake import lifecycle
from intake.errors import ActionRefused, NotAwaitingCorrection
from intake.models import Submission, SubmissionEvent

from . import factories

pytestmark = pytest.mark.django_db
S = Submission.Status
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "ARCHITECTURE.md"


@pytest.fixture
def submission(office, version):
    return factories.submitted(office, version)


@pytest.mark.parametrize("action", [a for a, m in lifecycle.MOVES.items() if m.by == lifecycle.STAFF])
@pytest.mark.parametrize("status", [s for s in S.values])
def test_every_staff_move_is_allowed_exactly_from_its_sources(submission, officer, action, status):
    Submission.objects.filter(pk=submission.pk).update(status=status)
    submission.refresh_from_db()
    inputs = {name: "x" for name in lifecycle.MOVES[action].requires}
    if status in lifecycle.MOVES[action].sources:
        lifecycle.lock(submission.pk, action, **inputs)
        moved = lifecycle.transition(submission, action, actor=officer)
        assert moved.status == (lifecycle.MOVES[action].targets[0] or status)
    else:
        with pytest.raises(ActionRefused) as exc:
            lifecycle.lock(submission.pk, action, **inputs)
        assert exc.value.code == "conflict"


def test_a_transition_bumps_the_revision_and_writes_one_event(submission, officer):
    before = submission.revision
    lifecycle.transition(submission, "call", actor=officer, note="first")
    submission.refresh_from_db()
    assert submission.revision == before + 1
    assert submission.handled_by == officer
    event = SubmissionEvent.objects.filter(submission=submission).last()
    assert (event.from_status, event.to_status, event.actor, event.note) == (S.SUBMITTED, S.CALLED, officer, "first")


def test_a_missing_required_input_is_refused_before_the_state_is_read(submission):
    with pytest.raises(ActionRefused) as exc:
        lifecycle.lock(submission.pk, "reject", reason="")
    assert exc.value.code == "reason_required"
    with pytest.raises(ActionRefused) as exc:
        lifecycle.lock(submission.pk, "correction", fields=[])
    assert exc.value.code == "fields_required"


def test_staff_moves_need_a_staff_actor(submission):
    with pytest.raises(ActionRefused) as exc:
        lifecycle.transition(submission, "call")
    assert exc.value.code == "staff_only"


def test_a_resident_move_refused_raises_its_own_error(submission):
    with pytest.raises(NotAwaitingCorrection) as exc:
        lifecycle.lock(submission.pk, "resubmit")
    assert exc.value.code == "not_awaiting_correction"


def test_a_move_cannot_lead_outside_its_targets(submission, officer):
    with pytest.raises(ValueError):
        lifecycle.transition(submission, "call", actor=officer, to=S.COMPLETED)


def test_nothing_outside_the_lifecycle_changes_a_status():
    """No service assigns a status or writes an event itself: the table stays the only truth."""
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {"tests", "bench", ".venv"} or "migrations" in path.parts:
            continue
        if path.name == "lifecycle.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.status\s*=\s*(S|Submission\.Status)\.", text) or "SubmissionEvent.objects.create" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_architecture_doc_renders_the_table():
    """docs/ARCHITECTURE.md lists every move with its sources and targets, as the code has them."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for action, move in lifecycle.MOVES.items():
        sources = ", ".join(sorted(s or "(new)" for s in move.sources))
        targets = ", ".join("(same)" if t is None else t for t in move.targets)
        row = f"| `{action}` | {move.by} | {sources} | {targets} |"
        assert row in text, row
