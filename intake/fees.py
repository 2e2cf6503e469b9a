"""수수료: what a 민원 costs, and how it was settled.

The amount owed is fixed at 접수 from the form version's fee
(forms_catalog.terms: per copy or per case, or free) and shown on the review
page and the 접수증. Before completing, the officer records it as paid (cash,
card, other) or waived under one of the version's 감면 categories, with the
evidence seen; the lifecycle refuses `complete` until then.

Recording is a staff action (officer_console/console/fees.py). A payment
gateway plugs in at its `record()`: it would call it with
outcome=PAID, method=GATEWAY and its own transaction id as
`gateway_reference`, from its confirmation callback, instead of an officer.
"""

from collections.abc import Mapping
from typing import Any

from forms_catalog import terms as service_terms
from forms_catalog.models import FormVersion

from .errors import ActionRefused
from .models import FeeRecord, Submission

MAX_COPIES = 100


def copies(fee: service_terms.Fee, values: Mapping[str, Any]) -> int:
    """How many copies the resident asked for (1 when the form has no such field)."""
    raw = values.get(fee.copies_field) if fee.copies_field else None
    try:
        return min(MAX_COPIES, max(1, int(str(raw))))
    except (TypeError, ValueError):
        return 1


def amount_due(version: FormVersion, values: Mapping[str, Any]) -> int | None:
    """The fee in KRW for these answers; None when the version sets no fee at all."""
    fee = service_terms.of(version).fee
    if fee is None:
        return None
    if fee.basis == "per_copy":
        return fee.amount * copies(fee, values)
    return fee.amount


def set_due(submission: Submission) -> None:
    """At 접수: fix the fee from the version and the answers (copies are never personal data)."""
    submission.fee_due = amount_due(submission.form_version, submission.data)


def check_settled(submission: Submission) -> None:
    """The guard of `complete`: a fee owed must be recorded as paid or waived first."""
    if submission.fee_due and not FeeRecord.objects.filter(submission=submission).exists():
        raise ActionRefused(
            "fee_unsettled",
            f"수수료 {submission.fee_due:,}원의 수납 또는 감면을 먼저 기록해 주세요. (Record the fee first.)",
        )
