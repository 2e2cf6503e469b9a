"""The console's 무인 접수기 page: an office's managers register, read and revoke its kiosks."""

import pytest
from django.urls import reverse

from intake import kiosk
from intake.models import KioskDevice
from officer_console.models import Membership

from . import factories

pytestmark = pytest.mark.django_db


def _page(office):
    return reverse("officer_console:kiosks", args=[office.pk])


def test_a_manager_registers_a_device_and_reads_its_address_and_qr(client, office):
    client.force_login(factories.officer(office, "manager", role=Membership.Role.MANAGER))
    response = client.post(_page(office), {"name": "1층 로비 접수기"})
    assert response.url == _page(office)
    device = KioskDevice.objects.get()
    page = client.get(_page(office)).text
    assert "1층 로비 접수기" in page and f'value="http://testserver/k/{kiosk.device_token(device)}/"' in page
    assert "data:image/svg+xml;base64," in page
    # The address works on the tablet.
    assert client.get(reverse("intake:kiosk_start", args=[kiosk.device_token(device)])).status_code == 302


def test_a_name_is_needed(client, office):
    client.force_login(factories.officer(office, "manager", role=Membership.Role.MANAGER))
    response = client.post(_page(office), {"name": " "})
    assert response.status_code == 400 and "접수기 이름을 입력해 주세요" in response.text
    assert not KioskDevice.objects.exists()


def test_revoking_hides_the_address_and_stops_the_device(client, office):
    client.force_login(factories.officer(office, "manager", role=Membership.Role.MANAGER))
    device = factories.kiosk_device(office)
    token = kiosk.device_token(device)
    client.post(reverse("officer_console:revoke_kiosk", args=[office.pk, device.pk]))
    page = client.get(_page(office)).text
    assert token not in page and "사용 중지" in page
    assert client.get(reverse("intake:kiosk_start", args=[token])).status_code == 410


def test_officers_and_other_offices_cannot(client, office, other_office):
    device = factories.kiosk_device(office)
    client.force_login(factories.officer(office, "officer"))
    assert client.get(_page(office)).status_code == 403
    assert client.post(reverse("officer_console:revoke_kiosk", args=[office.pk, device.pk])).status_code == 403
    client.force_login(factories.officer(other_office, "elsewhere", role=Membership.Role.MANAGER))
    assert client.get(_page(office)).status_code == 404
    assert client.post(reverse("officer_console:revoke_kiosk", args=[other_office.pk, device.pk])).status_code == 404
    device.refresh_from_db()
    assert not device.is_revoked
