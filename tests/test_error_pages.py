"""403, 404 and 500: styled, in the staff shell under /console/ and /admin/, the resident's elsewhere."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from officer_console.models import Membership
from project import errors

from . import factories


@pytest.mark.django_db
def test_an_officer_refused_the_report_gets_the_staff_shell_and_the_reason(client, office):
    client.force_login(factories.officer(office))
    response = client.get(reverse("reports:report"))
    assert response.status_code == 403
    page = response.text
    assert "볼 수 없는 화면입니다" in page and "관리자 권한이 있는 계정만 볼 수 있습니다." in page
    assert "민원 콘솔" in page and "data-report-link" not in page and "Forbidden" not in page


@pytest.mark.django_db
def test_staff_and_resident_pages_not_found(client, office):
    client.force_login(factories.officer(office))
    staff = client.get(reverse("officer_console:submission", args=[999999]))
    assert staff.status_code == 404
    assert "찾는 화면이 없습니다" in staff.text and "민원 콘솔" in staff.text
    # Http404's developer text ("No such ...") is never shown.
    assert "No such" not in staff.text
    resident = client.get("/no-such-page/")
    assert resident.status_code == 404 and "페이지를 찾을 수 없습니다" in resident.text
    assert "민원 콘솔" not in resident.text


@pytest.mark.django_db
def test_a_manager_sees_the_report_link(client, office):
    client.force_login(factories.officer(office, "manager", role=Membership.Role.MANAGER))
    assert "data-report-link" in client.get(reverse("officer_console:home")).text


def test_the_staff_500_page_needs_no_database_and_no_request_context():
    # No django_db mark: any query here fails the test.
    response = errors.server_error(RequestFactory().get("/console/office/1/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "잠시 문제가 생겼습니다" in page and "민원 콘솔" in page and 'href="/console/"' in page
    resident = errors.server_error(RequestFactory().get("/o/seocho/")).content.decode()
    assert "잠시 문제가 생겼습니다" in resident and "민원 콘솔" not in resident
