"""A submission's states and the moves between them: the one table, the one function.

Every change of a submission — the resident's submit and correction, every
staff action — goes through `transition()`, which checks the move against
`MOVES` and does the bookkeeping once: revision, save, audit event, signal
(pdfgen queues its work in the same transaction) and the live event published
on commit. Services own the transaction: they `lock()` the row, set the
fields their action changes, then call `transition()`.

docs/ARCHITECTURE.md renders this table; tests/test_lifecycle.py checks that
the rendering and the table agree.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from . import deadlines, events, fees
from .errors import ActionRefused, NotAwaitingCorrection
from .models import Submission, SubmissionEvent
from .signals import submission_changed

S = Submission.Status
NEW = ""  # a submission not saved yet
# SYSTEM: the periodic jobs (intake/jobs.py), acting for nobody in particular.
RESIDENT, STAFF, SYSTEM = "resident", "staff", "system"
# The arrival of a resident who filled the form at home: they scan a QR code at
# the office, or the guide staff type their hand-off code.
RESIDENT_OR_STAFF = "resident or staff"
# Open states in which staff may work on the form without changing its state.
WORKING = frozenset({S.SUBMITTED, S.CALLED, S.CORRECTION, S.PROCESSING})
# The states a resident may still withdraw from: until the officer finishes.
WITHDRAWABLE = WORKING | {S.NO_SHOW, S.PRE_ARRIVAL}


@dataclass(frozen=True)
class Move:
    """Who may make a move, from which states, to which (None: the state stays)."""

    by: str
    sources: frozenset[str]
    targets: tuple[str | None, ...] = (None,)
    # Input name -> the refusal when it is missing, checked before the row is locked.
    requires: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # Raised instead of the generic refusal when the state does not allow the move.
    refusal: Callable[[], ActionRefused] | None = None
    label: str = ""
    # A rule on the locked row beyond its state (e.g. the fee settled before completing).
    guard: Callable[[Submission], None] | None = None


MOVES: dict[str, Move] = {
    # From the office-wide link (filled at home) the form waits, with no ticket, for its resident;
    # a 대리인's filing waits for the 위임자's signature before it takes a ticket.
    "submit": Move(RESIDENT, frozenset({NEW}), (S.SUBMITTED, S.PRE_ARRIVAL, S.AWAITING_COSIGN), label="제출 (submit)"),
    # The resident is at the office: the ticket is taken now, after everyone already waiting.
    "check_in": Move(RESIDENT_OR_STAFF, frozenset({S.PRE_ARRIVAL}), (S.SUBMITTED,), label="도착 확인 (check in)"),
    # The 위임자, on their own phone (intake/delegations.py); the ticket is taken now.
    "cosign": Move(
        RESIDENT, frozenset({S.AWAITING_COSIGN}), (S.SUBMITTED, S.PRE_ARRIVAL), label="위임자 서명 (principal co-signs)"
    ),
    "refuse": Move(RESIDENT, frozenset({S.AWAITING_COSIGN}), (S.REVOKED,), label="위임 거절 (principal refuses)"),
    # Until the officer finishes, like 취하.
    "revoke": Move(RESIDENT, WITHDRAWABLE, (S.REVOKED,), label="위임 철회 (principal revokes)"),
    # Calling one already called is a recall, and only by choice: two officers
    # pressing "call" on the same ticket must not both think it is theirs.
    "call": Move(STAFF, frozenset({S.SUBMITTED, S.CORRECTION, S.NO_SHOW}), (S.CALLED,), label="호출 (call)"),
    "recall": Move(STAFF, frozenset({S.CALLED}), label="재호출 (recall)"),
    # After the visit, an officer or department takes the 민원 on for the days it needs.
    "process": Move(STAFF, frozenset({S.CALLED}), (S.PROCESSING,), label="처리중 (take for processing)"),
    "complete": Move(
        STAFF,
        frozenset({S.CALLED, S.PROCESSING}),
        (S.COMPLETED,),
        guard=fees.check_settled,
        label="처리 완료 (complete)",
    ),
    "reject": Move(
        STAFF,
        WORKING,
        (S.REJECTED,),
        requires={"reason": ("reason_required", "반려 사유를 입력해 주세요.")},
        label="반려 (reject)",
    ),
    "no_show": Move(STAFF, frozenset({S.CALLED}), (S.NO_SHOW,), label="부재 (no-show)"),
    "correction": Move(
        STAFF,
        frozenset({S.SUBMITTED, S.CALLED, S.PROCESSING}),
        (S.CORRECTION,),
        requires={"fields": ("fields_required", "보완할 항목을 하나 이상 골라 주세요.")},
        label="보완 요청 (request correction)",
    ),
    # A resident already called goes back to that counter; one who fixed the
    # form before being called simply waits in line again; a fix made on a
    # later day, or of a 민원 in processing, goes back to its handler.
    "resubmit": Move(
        RESIDENT,
        frozenset({S.CORRECTION}),
        (S.SUBMITTED, S.CALLED, S.PROCESSING),
        refusal=NotAwaitingCorrection,
        label="보완 제출 (resubmit)",
    ),
    "transfer": Move(
        STAFF,
        WORKING,
        requires={"target": ("target_required", "넘길 창구나 담당자를 골라 주세요.")},
        label="이관 (transfer)",
    ),
    "edit": Move(STAFF, WORKING, label="직원 수정 (edit)"),
    "id_check": Move(STAFF, WORKING, label="신분증 확인 (ID check)"),
    "fee": Move(
        STAFF,
        frozenset({S.CALLED, S.PROCESSING}),
        requires={"outcome": ("outcome_required", "수납인지 감면인지 골라 주세요.")},
        label="수수료 수납·감면 (fee paid or waived)",
    ),
    "withdraw": Move(RESIDENT, WITHDRAWABLE, (S.WITHDRAWN,), label="취하 (withdraw)"),
    # The day-close job: a ticket never called by the office's closing ends that day;
    # the visits job: a form filled at home whose resident never came ends after the office's period;
    # the delegation job: a 위임 the 위임자 did not sign in time (intake/delegations.py).
    "expire": Move(
        SYSTEM,
        frozenset({S.SUBMITTED, S.PRE_ARRIVAL, S.AWAITING_COSIGN}),
        (S.EXPIRED,),
        label="마감 (day close, no arrival, unsigned 위임)",
    ),
}


# Rules on the locked row that the apps building on intake add to a move, in
# their ready() (intake never imports them): officer_console's "신분증 확인
# 필수" keeps `complete` until the officer's ID check is recorded.
EXTRA_GUARDS: dict[str, list[Callable[[Submission], None]]] = {}


def add_guard(action: str, guard: Callable[[Submission], None]) -> None:
    """Run `guard` on the locked row before every `action`; it refuses with ActionRefused."""
    guards = EXTRA_GUARDS.setdefault(action, [])
    if guard not in guards:
        guards.append(guard)


def check_inputs(action: str, inputs: Mapping[str, Any]) -> None:
    """Refuse a move missing an input it requires (a reason, the fields to fix…)."""
    for name, (code, message) in MOVES[action].requires.items():
        if not inputs.get(name):
            raise ActionRefused(code, message)


def _state(submission: Submission) -> str:
    return submission.status if submission.pk else NEW


def check_state(submission: Submission, action: str) -> None:
    move = MOVES[action]
    if _state(submission) in move.sources:
        return
    if move.refusal is not None:
        raise move.refusal()
    raise ActionRefused(
        "conflict", f"이미 '{submission.get_status_display()}' 상태라서 처리할 수 없습니다. 화면을 새로 고쳤습니다."
    )


def lock(submission_id: int, action: str, **inputs: Any) -> Submission:
    """The row, locked until the transaction ends, after checking the move is allowed now.

    Call inside transaction.atomic(); two people acting on the same submission
    wait for each other here, and the second is refused if the first changed it.
    """
    check_inputs(action, inputs)
    # No select_related: PostgreSQL refuses FOR UPDATE across the nullable
    # side of an outer join.
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    check_state(submission, action)
    guard = MOVES[action].guard
    for rule in ([guard] if guard is not None else []) + EXTRA_GUARDS.get(action, []):
        rule(submission)
    return submission


def transition(
    submission: Submission,
    action: str,
    *,
    actor: User | None = None,
    to: str | None = None,
    note: str = "",
    handler: User | None = None,
    at: datetime.datetime | None = None,
) -> Submission:
    """Make the move: state, revision, save, audit event, signal, live event on commit.

    `to` picks among a move's targets (default: its first). A staff move records
    who handles the submission now (`handler`, else the actor). The caller has
    locked the row (lock()) or is creating it, and has set the fields the action
    changes.
    """
    move = MOVES[action]
    check_state(submission, action)
    if move.by == STAFF and actor is None:
        raise ActionRefused("staff_only", "직원만 할 수 있는 처리입니다.")
    target = to if to is not None else move.targets[0]
    if target not in move.targets:
        raise ValueError(f"{action} cannot lead to {target!r}")
    old = _state(submission)
    if target is not None:
        submission.status = target
    now = at or timezone.now()
    if submission.pk:
        submission.revision += 1
    else:
        fees.set_due(submission)
    if submission.status == S.SUBMITTED and old in (NEW, S.PRE_ARRIVAL):
        # The 접수 (at the counter, or on arrival for a form filled at home): the 처리예정일 runs from now.
        deadlines.set_due(submission, now)
    submission.updated_at = now
    if move.by == STAFF:
        submission.handled_by = handler or actor
    submission.save()
    deadlines.track_pause(submission, old, now)
    SubmissionEvent.objects.create(
        submission=submission, from_status=old, to_status=submission.status, actor=actor, at=now, note=note
    )
    submission_changed.send(
        sender=Submission, submission=submission, old_status=old, new_status=submission.status, action=action
    )
    events.publish_submission_on_commit(submission)
    return submission
