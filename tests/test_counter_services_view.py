"""창구별 담당 업무: the office's managers tick each counter's services; works without JavaScript."""

import pytest
from django.urls import reverse

from officer_console.models import Membership

from . import factories


@pytest.fixture
def services(db):
    return factories.service("resident", "주민등록"), factories.service("family", "가족관계")


@pytest.fixture
def manager(office):
    return factories.officer(office, "manager", role=Membership.Role.MANAGER)


def test_a_manager_ticks_each_counters_services_and_sees_them_saved(client, manager, office, services):
    resident, family = services
    one, two = office.counters.order_by("number")
    url = reverse("officer_console:counter_services", args=[office.pk])
    client.force_login(manager)
    assert url in client.get(reverse("officer_console:home")).text

    page = client.get(url)
    assert page.status_code == 200 and "data-counter-services" in page.text

    saved = client.post(url, {f"services-{one.pk}": [str(resident.pk)], f"services-{two.pk}": [str(family.pk)]})
    assert saved.status_code == 302
    assert list(one.services.all()) == [resident] and list(two.services.all()) == [family]
    shown = client.get(url).text
    assert f'name="services-{one.pk}" value="{resident.pk}" checked' in shown

    # Nothing ticked: the counter serves every service again.
    client.post(url, {f"services-{one.pk}": [str(resident.pk)]})
    assert not two.services.exists()


def test_an_unknown_service_is_refused_with_a_message_and_nothing_changes(client, manager, office, services):
    resident, _ = services
    one = office.counters.order_by("number").first()
    one.services.set([resident])
    client.force_login(manager)
    url = reverse("officer_console:counter_services", args=[office.pk])
    page = client.post(url, {f"services-{one.pk}": ["987654"]}, follow=True)
    assert "없는 업무 구분" in page.text
    assert list(one.services.all()) == [resident]


def test_officers_and_other_offices_managers_cannot_change_counters(client, officer, office, other_office, services):
    url = reverse("officer_console:counter_services", args=[office.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    stranger = factories.officer(other_office, "other-manager", role=Membership.Role.MANAGER)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
