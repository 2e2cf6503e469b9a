"""The staff action that settles a submission's fee: paid (cash, card, other) or waived.

The amounts and the guard on `complete` live in intake/fees.py. A payment
gateway would call `record()` from its confirmation callback with
outcome=PAID, method=GATEWAY and its transaction id as `gateway_reference`.
"""

from django.contrib.auth.models import User
from django.db import transaction

from forms_catalog import terms as service_terms
from intake import lifecycle
from intake.errors import ActionRefused
from intake.models import FeeRecord


def record(
    submission_id: int,
    user: User,
    *,
    outcome: str,
    method: str = "",
    exemption_code: str = "",
    evidence_note: str = "",
    gateway_reference: str = "",
) -> FeeRecord:
    """Record the fee as paid (with its method) or waived (with its 감면 category)."""
    with transaction.atomic():
        submission = lifecycle.lock(submission_id, "fee", outcome=outcome)
        fee = service_terms.of(submission.form_version).fee
        exemption = fee.exemption(exemption_code) if fee else None
        if outcome == FeeRecord.Outcome.WAIVED and exemption is None:
            raise ActionRefused("exemption_required", "감면 사유를 이 서식의 감면 대상 목록에서 골라 주세요.")
        if outcome == FeeRecord.Outcome.PAID and method not in FeeRecord.Method.values:
            raise ActionRefused("method_required", "수납 방법(현금·카드·기타)을 골라 주세요.")
        fee_record, _ = FeeRecord.objects.update_or_create(
            submission=submission,
            defaults={
                "outcome": outcome,
                "amount": submission.fee_due or 0,
                "method": method if outcome == FeeRecord.Outcome.PAID else "",
                "exemption_code": exemption.code if exemption else "",
                "exemption_label": exemption.label if exemption else "",
                "evidence_note": evidence_note.strip()[:200],
                "gateway_reference": gateway_reference,
                "recorded_by": user,
            },
        )
        what = fee_record.get_method_display() if exemption is None else f"감면: {exemption.label}"
        lifecycle.transition(
            submission,
            "fee",
            actor=user,
            note=f"수수료 (fee) {fee_record.amount:,}원 {fee_record.get_outcome_display()} — {what}",
            handler=submission.handled_by or user,
        )
    return fee_record
