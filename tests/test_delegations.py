"""The 위임자's co-signature (intake/delegations.py): the wait, the code, the signature, and every way it ends."""

import datetime

import pytest
from django.utils import timezone

from intake import delegations, signers
from intake.errors import ActionRefused
from intake.models import Delegation, Submission
from officer_console.console import services as staff

from . import factories, sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]
S = Submission.Status
PRINCIPAL_PHONE = "010-1234-5678"


@pytest.fixture
def cosign_version():
    return factories.form_version("cosign-form", schema=factories.COSIGN_SCHEMA)


@pytest.fixture
def cosign_office(cosign_version):
    return factories.office(forms=[cosign_version])


@pytest.fixture
def filed(cosign_office, cosign_version):
    return factories.submitted(cosign_office, cosign_version, factories.PROXY_VALUES)


def _code(sms_outbox) -> str:
    return sms.code_in(sms_outbox[-1][1])


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(ActionRefused) as exc:
        call(*args, **kwargs)
    return exc.value.code


def _confirmed(submission, sms_outbox) -> str:
    token = submission.delegation.token
    delegations.send_code(token, PRINCIPAL_PHONE)
    return delegations.confirm_code(token, _code(sms_outbox))


def test_a_proxys_filing_waits_for_the_principal_without_a_ticket(filed, cosign_office, cosign_version):
    assert (filed.status, filed.ticket_number) == (S.AWAITING_COSIGN, None)
    delegation = filed.delegation
    assert delegation.status == "requested"
    assert abs(delegation.expires_at - (timezone.now() + datetime.timedelta(days=2))) < datetime.timedelta(minutes=1)
    # A resident filing for themselves is queued at once, as before.
    own = factories.submitted(cosign_office, cosign_version, factories.VALID_VALUES)
    assert own.status == S.SUBMITTED and own.ticket_number == 1
    assert not Delegation.objects.filter(submission=own).exists()


def test_a_scanned_paper_letter_skips_the_wait_and_is_marked_as_such(cosign_office, cosign_version):
    letter = factories.stored_letter()
    submission = factories.submitted(
        cosign_office, cosign_version, {**factories.PROXY_VALUES, "delegation_letter": letter}
    )
    assert submission.status == S.SUBMITTED and submission.ticket_number
    boxes = signers.signers(submission, factories.PROXY_VALUES | {"delegation_letter": letter})
    assert [(s.role, s.method) for s in boxes] == [("신청인", "drawn"), ("위임자", "paper"), ("대리인", "drawn")]


def test_the_principal_confirms_the_code_and_signs_then_the_filing_is_queued(filed, sms_outbox):
    token = filed.delegation.token
    delegations.send_code(token, PRINCIPAL_PHONE)
    assert sms_outbox[-1][0] == "01012345678" and "위임 확인 인증번호" in sms_outbox[-1][1]
    stored = Delegation.objects.get(pk=filed.delegation.pk)
    assert _code(sms_outbox) not in stored.code_hash  # only a hash is kept

    proof = delegations.confirm_code(token, _code(sms_outbox))
    delegations.sign(token, proof, {"name": "홍길순"}, factories.SIGNATURE)

    filed.refresh_from_db()
    assert (filed.status, filed.ticket_number) == (S.SUBMITTED, 1)
    delegation = Delegation.objects.get(submission=filed)
    assert (delegation.status, delegation.signer_name) == ("signed", "홍길순")
    assert delegations.confirmed_phone(delegation) == "01012345678"
    boxes = signers.signers(filed, delegations.services.submission_values(filed))
    assert [(s.role, s.name, s.method) for s in boxes] == [
        ("신청인", "김대리", "drawn"),
        ("위임자", "홍길순", "co-signed"),
        ("대리인", "김대리", "drawn"),
    ]
    assert boxes[1].phone == "0101234****" and boxes[1].image == factories.SIGNATURE
    # The link is spent: signing again, or with the same code, is refused.
    assert _refused(delegations.sign, token, proof, {}, factories.SIGNATURE) == "delegation_closed"
    assert _refused(delegations.confirm_code, token, _code(sms_outbox)) == "delegation_closed"


def test_a_code_cannot_be_guessed(filed, sms_outbox):
    token = filed.delegation.token
    delegations.send_code(token, PRINCIPAL_PHONE)
    right = _code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    codes = [_refused(delegations.confirm_code, token, wrong) for _ in range(delegations.MAX_ATTEMPTS)]
    assert codes == ["code_wrong"] * (delegations.MAX_ATTEMPTS - 1) + ["code_locked"]
    # Locked: even the right code no longer confirms; a new code must be sent.
    assert _refused(delegations.confirm_code, token, right) == "code_locked"
    assert Delegation.objects.get(submission=filed).phone_confirmed_at is None


def test_codes_expire_and_cannot_be_requested_without_end(filed, sms_outbox):
    token = filed.delegation.token
    delegations.send_code(token, PRINCIPAL_PHONE)
    later = timezone.now() + datetime.timedelta(minutes=delegations.CODE_MINUTES + 1)
    assert _refused(delegations.confirm_code, token, _code(sms_outbox), now=later) == "code_expired"
    for _ in range(delegations.MAX_CODES - 1):
        delegations.send_code(token, PRINCIPAL_PHONE)
    assert _refused(delegations.send_code, token, PRINCIPAL_PHONE) == "too_many_codes"


def test_the_code_goes_only_to_a_mobile_that_is_not_the_proxys(filed):
    token = filed.delegation.token
    assert _refused(delegations.send_code, token, "010-5555-6666") == "phone_is_proxys"
    assert _refused(delegations.send_code, token, "02-123-4567") == "phone_invalid"
    assert _refused(delegations.sign, token, "", {}, factories.SIGNATURE) == "phone_unconfirmed"


def test_a_link_cannot_sign_another_submission(filed, cosign_office, cosign_version, sms_outbox):
    other = factories.submitted(cosign_office, cosign_version, factories.PROXY_VALUES)
    delegations.send_code(other.delegation.token, PRINCIPAL_PHONE)
    others_code = _code(sms_outbox)
    proof = _confirmed(filed, sms_outbox)
    # The proof of one 위임 does not sign another, nor does its code confirm another.
    assert _refused(delegations.sign, other.delegation.token, proof, {}, factories.SIGNATURE) == "phone_unconfirmed"
    third = factories.submitted(cosign_office, cosign_version, factories.PROXY_VALUES)
    delegations.send_code(third.delegation.token, PRINCIPAL_PHONE)
    if others_code != _code(sms_outbox):  # one chance in a million that both got the same code
        assert _refused(delegations.confirm_code, third.delegation.token, others_code) == "code_wrong"
    assert _refused(delegations.sign, "no-such-token", proof, {}, factories.SIGNATURE) == "delegation_unknown"
    other.refresh_from_db()
    assert other.status == S.AWAITING_COSIGN


def test_a_signature_is_required(filed, sms_outbox):
    proof = _confirmed(filed, sms_outbox)
    assert _refused(delegations.sign, filed.delegation.token, proof, {}, "") == "signature_required"


def test_refusal_ends_the_filing_before_it_takes_a_ticket(filed, sms_outbox):
    token = filed.delegation.token
    delegations.refuse(token)
    filed.refresh_from_db()
    assert (filed.status, filed.ticket_number) == (S.REVOKED, None)
    assert Delegation.objects.get(submission=filed).status == "refused"
    assert _refused(delegations.refuse, token) == "delegation_closed"
    assert _refused(delegations.send_code, token, PRINCIPAL_PHONE) == "delegation_closed"


def test_revocation_until_the_officer_completes(filed, cosign_office, cosign_version, sms_outbox):
    officer = factories.officer(cosign_office)
    proof = _confirmed(filed, sms_outbox)
    delegations.sign(filed.delegation.token, proof, {}, factories.SIGNATURE)
    staff.call(filed.pk, officer, None)
    delegations.revoke(filed.delegation.token)
    filed.refresh_from_db()
    assert filed.status == S.REVOKED and Delegation.objects.get(submission=filed).status == "revoked"

    # Once the officer has completed, the 위임 can no longer be taken back.
    done = factories.submitted(cosign_office, cosign_version, factories.PROXY_VALUES)
    proof = _confirmed(done, sms_outbox)
    delegations.sign(done.delegation.token, proof, {}, factories.SIGNATURE)
    staff.call(done.pk, officer, None)
    staff.complete(done.pk, officer)
    assert _refused(delegations.revoke, done.delegation.token) == "conflict"
    assert _refused(delegations.refuse, done.delegation.token) == "delegation_closed"
    done.refresh_from_db()
    assert done.status == S.COMPLETED


def test_an_unsigned_delegation_expires(filed, sms_outbox):
    token = filed.delegation.token
    delegations.send_code(token, PRINCIPAL_PHONE)
    proof = delegations.confirm_code(token, _code(sms_outbox))
    after = filed.delegation.expires_at + datetime.timedelta(minutes=1)
    # Past its expiry and not yet swept: signing is refused all the same.
    assert _refused(delegations.sign, token, proof, {}, factories.SIGNATURE, now=after) == "delegation_expired"
    assert delegations.expire_due(filed.delegation.expires_at - datetime.timedelta(minutes=1)) == 0
    assert delegations.expire_due(after) == 1
    filed.refresh_from_db()
    assert filed.status == S.EXPIRED and Delegation.objects.get(submission=filed).status == "expired"
    assert _refused(delegations.sign, token, proof, {}, factories.SIGNATURE) == "delegation_closed"
    assert delegations.expire_due(after) == 0


def test_the_link_can_be_sent_by_sms_to_the_principal(filed, sms_outbox):
    masked = delegations.send_link(filed, "https://example.test/d/x/")
    assert masked == "0101234****"
    assert sms_outbox[-1][0] == "01012345678" and "https://example.test/d/x/" in sms_outbox[-1][1]


def test_each_signature_says_how_it_was_made(cosign_office, cosign_version):
    from intake import signatures

    typed = signatures.typed_signature("김대리")
    submission = factories.submitted(cosign_office, cosign_version, {**factories.PROXY_VALUES, "signature": typed})
    boxes = signers.signers(submission, delegations.services.submission_values(submission))
    assert [(s.role, s.method) for s in boxes] == [("신청인", "typed"), ("위임자", ""), ("대리인", "typed")]
    assert boxes[1].method_label.startswith("서명 대기")


def _demo_form(code: str):
    from forms_catalog import packs
    from forms_catalog.schema import parse
    from officer_console.management.commands.load_demo import DEMO_PACK

    pack = packs.load_pack_file(DEMO_PACK)
    return parse(next(form for form in pack["forms"] if form["code"] == code)["versions"][-1]["schema"])


def test_the_pack_says_per_form_whether_a_signature_suffices():
    from forms_catalog.schema import delegation_method, validate

    copy_form, seal_form = _demo_form("resident-registration-copy"), _demo_form("seal-certificate")
    assert delegation_method(copy_form, {"applicant_type": "proxy"}) == "cosign"
    assert delegation_method(copy_form, {"applicant_type": "self"}) == ""
    # 인감증명 발급 위임장: the law asks for the 위임자's 인감, so a co-signature never stands in.
    assert delegation_method(seal_form, {"applicant_type": "proxy"}) == "seal"
    errors = validate(seal_form, {"applicant_type": "proxy"}).errors
    assert "principal_seal" in errors
    # The 위임자 is the 신청인: one set of fields, the 위임장 section asks them no second time.
    assert not [f for f in seal_form.input_fields if f.semantic.startswith("principal.")]


def test_the_retention_purge_takes_the_principals_name_phone_and_signature_too(filed, sms_outbox, settings, tmp_path):
    from intake import retention

    settings.MEDIA_ROOT = tmp_path  # the purge sweeps stored uploads: only this test's

    proof = _confirmed(filed, sms_outbox)
    delegations.sign(filed.delegation.token, proof, {}, factories.SIGNATURE)
    retention.purge(timezone.now() + datetime.timedelta(days=366 * 6))
    purged = Delegation.objects.get(submission=filed)
    assert (purged.signer_name, purged.phone, purged.signature, purged.code_hash) == ("", "", "", "")
    assert purged.status == "signed" and purged.signed_at  # the fact and time of the signature stay


def test_key_rotation_reencrypts_the_confirmed_phone_and_the_signature(filed, sms_outbox, settings, tmp_path):
    import base64
    import os

    from intake import rotation

    settings.MEDIA_ROOT = tmp_path  # rotation also walks the stored files: only this test's
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    proof = _confirmed(filed, sms_outbox)
    delegations.sign(filed.delegation.token, proof, {}, factories.SIGNATURE)
    new = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    rotation.rotate()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired
    signed = Delegation.objects.get(submission=filed)
    assert delegations.confirmed_phone(signed) == "01012345678"
    assert delegations.signature_image(signed) == factories.SIGNATURE


def test_the_hourly_job_lapses_an_unsigned_delegation(filed):
    from intake import jobs

    runs = jobs.run_due(filed.delegation.expires_at + datetime.timedelta(hours=1))
    assert [r.counts for r in runs if r.job == "delegation_expiry"] == [{"expired": 1}]
    filed.refresh_from_db()
    assert filed.status == S.EXPIRED
