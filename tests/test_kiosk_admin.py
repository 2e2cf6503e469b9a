"""무인 접수기 in the Django admin: register, read the address, revoke through the service."""

import pytest
from django.urls import reverse

from intake import kiosk
from intake.models import KioskDevice

from . import factories

pytestmark = pytest.mark.django_db


def test_the_admin_registers_reads_the_address_and_revokes(admin_client, office):
    add = admin_client.post(reverse("admin:intake_kioskdevice_add"), {"office": office.pk, "name": "로비"})
    assert add.status_code == 302
    device = KioskDevice.objects.get()
    page = admin_client.get(reverse("admin:intake_kioskdevice_change", args=[device.pk])).text
    assert f'href="/k/{kiosk.device_token(device)}/"' in page
    changelist = reverse("admin:intake_kioskdevice_changelist")
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [device.pk]})
    device.refresh_from_db()
    assert device.is_revoked
    assert (
        kiosk.device_token(device)
        not in admin_client.get(reverse("admin:intake_kioskdevice_change", args=[device.pk])).text
    )
    # Revoking again says so instead of moving the date.
    revoked_at = device.revoked_at
    response = admin_client.post(changelist, {"action": "revoke", "_selected_action": [device.pk]}, follow=True)
    assert "이미 사용을 중지한 접수기입니다." in response.text
    device.refresh_from_db()
    assert device.revoked_at == revoked_at


def test_the_office_of_a_registered_device_is_fixed(admin_client, office, other_office):
    device = factories.kiosk_device(office)
    admin_client.post(
        reverse("admin:intake_kioskdevice_change", args=[device.pk]), {"office": other_office.pk, "name": "새 이름"}
    )
    device.refresh_from_db()
    assert device.office == office and device.name == "새 이름"
