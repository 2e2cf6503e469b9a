"""Who signed a filing, in which box, how and when: 신청인, and for a 대리인's filing 위임자 and 대리인.

The check view, the mirror and the archive PDF all place signatures from
this list, and the archive's embedded JSON records it. A 대리인 signs the
신청서 as its 신청인 and the 위임장 as 대리인; the 위임자 signs the 위임장 on
their own phone (co-signed), with their 인감 where the law asks for it, or
on paper (a scanned 위임장, the fallback).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from forms_catalog import layout
from forms_catalog import schema as form_schema

from . import delegations, notify, signatures
from .models import Delegation, Submission

APPLICANT, PRINCIPAL, PROXY = "신청인", "위임자", "대리인"
ROLE_EN = {APPLICANT: "Applicant", PRINCIPAL: "Principal", PROXY: "Proxy"}
METHOD_LABELS = {
    "drawn": "직접 서명 (drawn)",
    "typed": "입력 서명 (typed)",
    "seal": "인감 날인 (seal)",
    "co-signed": "위임자 휴대전화 서명 (co-signed)",
    "paper": "종이 위임장 사본 (scanned paper)",
}


@dataclass(frozen=True)
class Signer:
    role: str  # APPLICANT, PRINCIPAL or PROXY
    name: str
    method: str  # a key of METHOD_LABELS; "" while the 위임자 has not signed
    at: datetime.datetime | None
    image: str = ""  # the signature as a PNG data URL
    field: str = ""  # the form field holding the seal or the paper 위임장
    phone: str = ""  # the co-signer's confirmed number, masked

    @property
    def role_en(self) -> str:
        return ROLE_EN[self.role]

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, "서명 대기 (awaiting)")

    def as_record(self) -> dict[str, Any]:
        """What the archive's submission.json says of it: signer, name, time and method."""
        return {
            "signer": self.role,
            "name": self.name,
            "method": self.method,
            "at": self.at.isoformat() if self.at else None,
            **({"field": self.field} if self.field else {}),
            **({"phone": self.phone} if self.phone else {}),
        }


def signers(submission: Submission, values: dict[str, Any]) -> list[Signer]:
    form = submission.form_version.form
    shared = form_schema.semantic_values(form, values)
    applicant, proxy = str(shared.get("applicant.name", "")), str(shared.get("proxy.name", ""))
    drawn = [row for row in layout.build(form, values, masked=False).signatures if row.stored]
    image = str(drawn[0].stored) if drawn else ""
    at = submission.submitted_at
    method = delegations.form_schema.delegation_method(form, values)
    if not method and not proxy:
        return [Signer(APPLICANT, applicant, signatures.method_of(image) if image else "", at, image)]
    # The 대리인 filed it: their signature is the 신청인's, beside their own name, never the 위임자's.
    own = signatures.method_of(image) if image else ""
    found = [Signer(APPLICANT, proxy, own, at, image), _principal(submission, form, values, method, applicant)]
    found.append(Signer(PROXY, proxy, own, at, image))
    return found


def _principal(
    submission: Submission, form: form_schema.FormSchema, values: dict[str, Any], method: str, name: str
) -> Signer:
    rule = form.delegation
    if method == "seal":
        seal = next((f.key for f in form.input_fields if f.type == "seal" and values.get(f.key)), "")
        return Signer(PRINCIPAL, name, "seal", submission.submitted_at, field=seal)
    if method == "paper" and rule is not None:
        return Signer(PRINCIPAL, name, "paper", submission.submitted_at, field=rule.paper_letter)
    delegation = Delegation.objects.filter(submission=submission).first()
    if delegation is None or delegation.status not in (Delegation.Status.SIGNED, Delegation.Status.REVOKED):
        return Signer(PRINCIPAL, name, "", None)
    phone = delegations.confirmed_phone(delegation)
    return Signer(
        PRINCIPAL,
        delegation.signer_name or name,
        "co-signed",
        delegation.signed_at,
        delegations.signature_image(delegation),
        phone=notify.mask_phone(phone) if phone else "",
    )
