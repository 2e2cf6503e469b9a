"""Counter tablets and lobby kiosks (issue 23): the device's signed address, revoking it, the
kiosk channel of what is submitted on it, and wiping a resident."""

import uuid

import pytest
from django.core import signing
from django.test import RequestFactory

from intake import kiosk, services
from intake.models import Draft, KioskDevice, Submission

from . import factories

pytestmark = pytest.mark.django_db


def test_the_address_is_signed_per_device(office, other_office):
    lobby, counter = factories.kiosk_device(office), factories.kiosk_device(office, "3번 창구 태블릿")
    elsewhere = factories.kiosk_device(other_office)
    tokens = {kiosk.device_token(d) for d in (lobby, counter, elsewhere)}
    assert len(tokens) == 3
    assert kiosk.device_for_token(kiosk.device_token(counter)) == counter
    # Another device's number under the same signature, a forged one, and garbage lead nowhere.
    _, _, created_and_sig = kiosk.device_token(counter).partition(".")
    assert kiosk.device_for_token(f"{lobby.pk}.{created_and_sig}") is None
    assert kiosk.device_for_token(signing.Signer(salt="other").sign(f"{counter.pk}.1")) is None
    assert kiosk.device_for_token("nonsense") is None


def test_a_deleted_device_number_reused_later_does_not_reopen_the_old_address(office):
    old = factories.kiosk_device(office)
    token = kiosk.device_token(old)
    old_pk = old.pk
    old.delete()
    KioskDevice.objects.create(pk=old_pk, office=office, name="새 접수기", created_at=old.created_at.replace(year=2030))
    assert kiosk.device_for_token(token) is None


def test_registering_needs_a_name(office):
    with pytest.raises(kiosk.KioskRefused) as refused:
        kiosk.register_device(office, "   ")
    assert refused.value.code == "name_required"
    assert factories.kiosk_device(office, "  로비  ").name == "로비"


def test_revoking_stops_the_address_and_is_said_once(office):
    device = factories.kiosk_device(office)
    kiosk.revoke_device(device.pk)
    device.refresh_from_db()
    assert device.is_revoked and kiosk.device_for_token(kiosk.device_token(device)).is_revoked
    with pytest.raises(kiosk.KioskRefused) as refused:
        kiosk.revoke_device(device.pk)
    assert refused.value.code == "already_revoked"


def test_submit_records_the_channel_it_is_given(office, version):
    form = services.FormContext(office, version.template, version)
    by_phone = factories.submitted(office, version)
    at_kiosk, _ = services.submit(
        form=form,
        version=version,
        raw_values=factories.VALID_VALUES,
        idempotency_key=uuid.uuid4(),
        counter=None,
        channel=Submission.Channel.KIOSK,
    )
    assert by_phone.channel == Submission.Channel.PHONE
    assert Submission.objects.get(pk=at_kiosk.pk).channel == Submission.Channel.KIOSK


def test_wiping_a_resident_forgets_their_drafts_and_session(office, version, client):
    client.get("/")  # a session to work with
    request = RequestFactory().get("/")
    request.session = client.session
    request.session["resident_key"] = "first-resident"
    request.session["language"] = "en"
    form = services.FormContext(office, version.template, version)
    draft = services.get_or_start_draft(resident_key="first-resident", form=form, counter=None)
    services.save_draft(draft, {"name": "홍길동"})
    kept = services.get_or_start_draft(resident_key="someone-else", form=form, counter=None)
    kiosk.start_fresh(request)
    assert not Draft.objects.filter(resident_key="first-resident").exists()
    assert Draft.objects.filter(pk=kept.pk).exists()
    assert "resident_key" not in request.session and "language" not in request.session
    assert request.session[kiosk.RESIDENT] and request.session["text_size"] == "large"
