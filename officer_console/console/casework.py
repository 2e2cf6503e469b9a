"""What the check view shows of a 민원's life beyond the visit: its 처리예정일, its fee, and
the moves that keep it open across days (처리중) or settle its fee."""

from typing import Any

from forms_catalog import terms as service_terms
from intake import deadlines, lifecycle
from intake.models import FeeRecord, Submission

STANDING_LABELS = {
    "overdue": "기한 지남 (overdue)",
    "due_soon": "기한 임박 (due soon)",
    "on_time": "기한 내 (on time)",
    "paused": "보완 중 — 기한 멈춤 (paused for correction)",
}


def context(submission: Submission) -> dict[str, Any]:
    terms = service_terms.of(submission.form_version)
    standing = deadlines.standing(submission)
    return {
        "due_at": submission.due_at,
        "processing": terms.processing,
        "standing": standing,
        "standing_label": STANDING_LABELS.get(standing, ""),
        "fee_due": submission.fee_due,
        "fee": terms.fee,
        "fee_record": FeeRecord.objects.filter(submission=submission).first(),
        "can_record_fee": bool(submission.fee_due) and submission.status in lifecycle.MOVES["fee"].sources,
        "can_process": submission.status in lifecycle.MOVES["process"].sources,
        "can_complete_processing": submission.status == Submission.Status.PROCESSING,
        "methods": [(v, label) for v, label in FeeRecord.Method.choices if v != FeeRecord.Method.GATEWAY],
    }
