"""Staff operations on submissions.

Each owns its transaction and locks the row, so two officers acting on the
same submission can never both win: the second gets a StaffActionError with
a stable code and a Korean message to show.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from intake import events
from intake.models import Counter, Office, Submission, SubmissionEvent
from intake.signals import submission_changed

from .models import AccessLog, Membership

S = Submission.Status


class StaffActionError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


ALLOWED = {
    "call": {S.SUBMITTED, S.CALLED, S.CORRECTION},
    "complete": {S.CALLED},
    "reject": {S.SUBMITTED, S.CALLED, S.CORRECTION},
    "no_show": {S.CALLED},
}


def offices_for(user: User | AnonymousUser) -> list[Office]:
    if not user.is_authenticated:
        return []
    return list(Office.objects.filter(memberships__user=user).distinct().order_by("name"))


def can_access_office(user: User | AnonymousUser, office_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, office_id=office_id).exists()


def _lock(submission_id: int, action: str) -> Submission:
    """Lock the row and check the action is allowed from its current state."""
    # No select_related: PostgreSQL refuses FOR UPDATE across the nullable
    # side of an outer join.
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.status not in ALLOWED[action]:
        raise StaffActionError(
            "conflict",
            f"이미 '{submission.get_status_display()}' 상태라서 처리할 수 없습니다. 화면을 새로 고쳤습니다.",
        )
    return submission


def _record(submission: Submission, old: str, user: User, note: str = "") -> None:
    now = timezone.now()
    submission.revision += 1
    submission.updated_at = now
    submission.handled_by = user
    submission.save()
    SubmissionEvent.objects.create(
        submission=submission, from_status=old, to_status=submission.status, actor=user, at=now, note=note
    )
    submission_changed.send(sender=Submission, submission=submission, old_status=old, new_status=submission.status)
    events.publish_submission_on_commit(submission)


def call(submission_id: int, user: User, counter: Counter | None) -> Submission:
    with transaction.atomic():
        submission = _lock(submission_id, "call")
        old = submission.status
        submission.status = S.CALLED
        submission.called_at = timezone.now()
        submission.called_counter = counter
        _record(submission, old, user)
    return submission


def call_next(office_id: int, user: User, counter: Counter | None) -> Submission:
    with transaction.atomic():
        # skip_locked lets two officers press "call next" at once and get two
        # different residents instead of one of them failing.
        candidate = (
            Submission.objects.select_for_update(skip_locked=True)
            .filter(office_id=office_id, status=S.SUBMITTED)
            .order_by("submitted_at")
            .first()
        )
        if candidate is None:
            raise StaffActionError("queue_empty", "대기 중인 민원이 없습니다.")
        return call(candidate.pk, user, counter)


def complete(submission_id: int, user: User) -> Submission:
    with transaction.atomic():
        submission = _lock(submission_id, "complete")
        old = submission.status
        submission.status = S.COMPLETED
        submission.completed_at = timezone.now()
        # Fixed now, from the exact version filed, so a later edit of the
        # template never changes the paper this submission saved.
        submission.paper_sheets_saved = submission.form_version.paper_sheets
        _record(submission, old, user)
    return submission


def reject(submission_id: int, user: User, reason: str) -> Submission:
    reason = reason.strip()
    if not reason:
        raise StaffActionError("reason_required", "반려 사유를 입력해 주세요.")
    with transaction.atomic():
        submission = _lock(submission_id, "reject")
        old = submission.status
        submission.status = S.REJECTED
        submission.completed_at = timezone.now()
        submission.status_note = reason
        _record(submission, old, user, note=reason)
    return submission


def log_access(
    *, user: User, ip: str | None, action: str, submission: Submission | None, reason: str = ""
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        ip=ip or None,
        action=action,
        submission=submission,
        subject_reference=submission.reference if submission else "",
        reason=reason,
    )


def counters_of(offices: Iterable[Office]) -> list[Counter]:
    return list(Counter.objects.filter(office__in=list(offices)).select_related("office"))
