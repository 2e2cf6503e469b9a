"""The 위임자's pages (intake/cosign_views.py) and the proxy's QR code and SMS link."""

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import Delegation, Submission

from . import factories, sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]


@pytest.fixture
def filed():
    version = factories.form_version("cosign-form", schema=factories.COSIGN_SCHEMA)
    office = factories.office(forms=[version])
    return factories.submitted(office, version, factories.PROXY_VALUES)


def _url(name: str, filed: Submission) -> str:
    return reverse(f"intake:{name}", args=[filed.delegation.token])


def _confirm(client: Client, filed: Submission, sms_outbox) -> None:
    client.post(_url("cosign_code", filed), {"phone": "010-1234-5678"})
    client.post(_url("cosign_confirm", filed), {"code": sms.code_in(sms_outbox[-1][1])})


def test_the_page_shows_what_is_delegated_and_no_personal_number(client, filed):
    page = client.get(_url("cosign", filed))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "김대리" in page.text and "주민등록표 등본 교부 신청서" in page.text
    assert factories.RRN not in page.text and "900101" not in page.text
    assert client.get(reverse("intake:cosign", args=["not-a-token"])).status_code == 404


def test_the_signing_is_bound_to_the_browser_that_confirmed_the_phone(client, filed, sms_outbox):
    _confirm(client, filed, sms_outbox)
    page = client.get(_url("cosign", filed))
    assert 'name="principal_signature"' in page.text
    assert "대리인이 적은 번호가 있습니다" in page.text  # the 주민등록번호 is kept, not shown

    # The proxy holds the link too: from their browser the signature is refused.
    proxy = Client()
    response = proxy.post(_url("cosign_sign", filed), {"principal_signature": factories.SIGNATURE}, follow=True)
    assert "휴대전화 인증을 먼저 마쳐 주세요" in response.text
    assert Submission.objects.get(pk=filed.pk).status == "awaiting_cosign"

    # Without a signature: the page again, what was typed kept, the signature asked for.
    response = client.post(_url("cosign_sign", filed), {"name": "홍길순"})
    assert response.status_code == 422 and 'value="홍길순"' in response.text
    response = client.post(_url("cosign_sign", filed), {"name": "홍길순", "principal_signature__typed": "홍길순"})
    assert response.status_code == 302
    assert Submission.objects.get(pk=filed.pk).status == "submitted"
    assert "홍길순" in client.get(_url("cosign", filed)).text


def test_a_wrong_code_says_how_many_tries_are_left(client, filed, sms_outbox):
    client.post(_url("cosign_code", filed), {"phone": "010-1234-5678"})
    wrong = "000000" if sms.code_in(sms_outbox[-1][1]) != "000000" else "111111"
    response = client.post(_url("cosign_confirm", filed), {"code": wrong}, follow=True)
    assert "4번 남음" in response.text


def test_refusal_and_revocation_from_the_page(client, filed, sms_outbox):
    response = client.post(_url("cosign_refuse", filed), follow=True)
    assert "위임하지 않았습니다" in response.text
    assert Delegation.objects.get(submission=filed).status == "refused"
    response = client.post(_url("cosign_refuse", filed), follow=True)
    assert "이미 끝났습니다" in response.text


def test_the_proxys_ticket_page_shows_the_qr_code_and_sends_the_link(client, filed, sms_outbox):
    ticket = client.get(reverse("intake:ticket", args=[filed.public_token]))
    assert "data-cosign-qr" in ticket.text and "data-ticket" not in ticket.text
    qr = client.get(reverse("intake:cosign_qr", args=[filed.public_token]))
    assert qr["Content-Type"] == "image/svg+xml" and qr["Cache-Control"] == "private, no-store"
    response = client.post(reverse("intake:cosign_sms", args=[filed.public_token]), follow=True)
    assert "0101234****" in response.text
    assert sms_outbox[-1][0] == "01012345678" and f"/d/{filed.delegation.token}/" in sms_outbox[-1][1]


def test_a_bad_number_is_said_beside_it_and_kept_as_typed(client, filed):
    response = client.post(_url("cosign_code", filed), {"phone": "010-5555-6666"})
    assert response.status_code == 422
    assert "대리인의 전화번호입니다" in response.text and 'value="010-5555-6666"' in response.text
    response = client.post(_url("cosign_code", filed), {"phone": "02-12"})
    assert response.status_code == 422 and 'value="02-12"' in response.text
