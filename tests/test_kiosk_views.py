"""The kiosk's pages and the fence around the phone's pages on a kiosk device (issue 23)."""

import time

import pytest
from django.urls import reverse

from intake import kiosk, services
from intake.models import Draft, Submission

from . import factories

pytestmark = pytest.mark.django_db


def _form_url(office, version):
    return reverse("intake:form", args=[office.slug, version.template.code])


def _open(client, device):
    """Open the device's address as the admin does on the tablet; the start page."""
    url = reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    first = client.get(url)
    assert first.status_code == 302 and first.cookies[kiosk.DEVICE_COOKIE].value == kiosk.device_token(device)
    return client.get(url)


def _fill(client, office, version, values=None):
    page = client.get(_form_url(office, version)).text
    key = str(Draft.objects.get(resident_key=client.session["resident_key"], submission=None).idempotency_key)
    assert f'name="kiosk_resident" value="{client.session[kiosk.RESIDENT]}"' in page
    return {
        **(values or factories.VALID_VALUES),
        "idempotency_key": key,
        "kiosk_resident": client.session[kiosk.RESIDENT],
    }


def test_the_start_page_lists_the_offices_forms_in_large_text_and_is_never_cached(client, office, version):
    device = factories.kiosk_device(office)
    start = _open(client, device)
    assert start.status_code == 200
    assert 'class="text-large"' in start.text and "data-kiosk" in start.text
    assert version.template.title in start.text and "처음으로" in start.text
    assert "no-store" in start["Cache-Control"]
    assert "no-store" in client.get(_form_url(office, version))["Cache-Control"]


def test_staff_logged_in_on_the_tablet_are_logged_out_when_it_becomes_a_kiosk(client, office, officer):
    client.force_login(officer)
    _open(client, factories.kiosk_device(office))
    assert "_auth_user_id" not in client.session


def test_a_revoked_device_shows_a_clear_page_and_no_forms(client, office, version):
    device = factories.kiosk_device(office)
    _open(client, device)
    kiosk.revoke_device(device.pk)
    url = reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    page = client.get(url)
    assert page.status_code == 410 and "이 접수기는 사용이 중지되었습니다" in page.text
    assert version.template.title not in page.text
    # Every resident page of the device leads there, the forms too.
    assert client.get(_form_url(office, version)).url == url
    assert client.get(reverse("intake:home")).url == url


def test_an_address_never_issued_is_not_found(client):
    page = client.get(reverse("intake:kiosk_start", args=["1.2:forged"]))
    assert page.status_code == 404 and "등록되지 않은 접수기 주소입니다" in page.text
    assert kiosk.DEVICE_COOKIE not in page.cookies


def test_a_form_sent_on_the_kiosk_is_a_kiosk_submission_and_the_resident_is_wiped(client, office, version):
    device = factories.kiosk_device(office)
    _open(client, device)
    posted = _fill(client, office, version)
    first_key = client.session["resident_key"]
    response = client.post(_form_url(office, version), posted)
    ticket_url = reverse("intake:kiosk_ticket", args=[kiosk.device_token(device)])
    assert response.url == ticket_url
    submission = Submission.objects.get()
    assert submission.channel == Submission.Channel.KIOSK
    # Wiped at once: the resident's drafts (the prefill source) and session are gone.
    assert not Draft.objects.filter(resident_key=first_key).exists()
    assert client.session.get("resident_key") is None
    ticket = client.get(ticket_url)
    assert f">{submission.ticket_number}</p>" in ticket.text and "kiosk-ticket-number" in ticket.text
    assert "홍길동" not in ticket.text
    # The ticket link of the phone never works on the kiosk: its address would outlive the resident.
    start = reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    assert client.get(reverse("intake:ticket", args=[submission.public_token])).url == start
    # The 80 mm slip of the ticket on show prints from the device, and leads back to the ticket.
    slip_url = reverse("intake:kiosk_ticket_slip", args=[kiosk.device_token(device)])
    assert f'href="{slip_url}"' in ticket.text
    slip = client.get(slip_url)
    assert "data-slip-number" in slip.text and f">{submission.ticket_number}</p>" in slip.text
    assert f'href="{ticket_url}"' in slip.text and "홍길동" not in slip.text
    # 확인 (or the time out): the start page; the ticket and its slip are not shown again.
    assert client.post(reverse("intake:kiosk_reset", args=[kiosk.device_token(device)])).url == start
    assert client.get(ticket_url).url == start
    assert client.get(slip_url).url == start


def test_the_next_resident_gets_an_empty_form_and_no_prefill(client, office, version):
    _open(client, factories.kiosk_device(office))
    client.post(_form_url(office, version), _fill(client, office, version))
    page = client.get(_form_url(office, version)).text
    assert "홍길동" not in page and "남부순환로" not in page and "01012345678" not in page


def test_a_page_of_an_earlier_resident_saves_and_submits_nothing(client, office, version):
    device = factories.kiosk_device(office)
    _open(client, device)
    stale = _fill(client, office, version)
    client.post(reverse("intake:kiosk_reset", args=[kiosk.device_token(device)]))
    client.get(_form_url(office, version))
    autosave = reverse("intake:autosave", args=[office.slug, version.template.code])
    assert client.post(autosave, stale).status_code == 204
    resubmit = client.post(_form_url(office, version), stale)
    assert resubmit.url == reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    assert Submission.objects.count() == 0
    assert all(services.draft_values(d).get("name") is None for d in Draft.objects.all())
    # A page with no resident id at all (a hand-made POST) is dropped the same way.
    assert client.post(autosave, {**stale, "kiosk_resident": ""}).status_code == 204


def test_an_idle_resident_is_wiped_by_the_server_too(client, office, version, settings):
    settings.KIOSK_IDLE_SECONDS, settings.KIOSK_COUNTDOWN_SECONDS = 5, 5
    _open(client, factories.kiosk_device(office))
    posted = _fill(client, office, version)
    autosave = reverse("intake:autosave", args=[office.slug, version.template.code])
    assert client.post(autosave, posted).status_code == 204
    assert any(services.draft_values(d).get("name") == "홍길동" for d in Draft.objects.all())
    session = client.session
    session[kiosk.SEEN] = time.time() - 5 - 5 - kiosk.SERVER_GRACE_SECONDS - 1
    session.save()
    page = client.get(_form_url(office, version)).text
    assert "홍길동" not in page
    assert not any(services.draft_values(d).get("name") == "홍길동" for d in Draft.objects.all())


def test_only_the_devices_office_forms_are_reachable(client, office, other_office, version):
    device = factories.kiosk_device(office)
    _open(client, device)
    start = reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    assert client.get(_form_url(other_office, version)).url == start
    assert client.get(reverse("intake:office", args=[office.slug])).url == start
    assert client.get(reverse("intake:counter_entry", args=[office.counters.first().qr_token])).url == start
    assert client.get(_form_url(office, version)).status_code == 200


def test_a_phone_is_untouched(client, office, version):
    response = client.get(_form_url(office, version))
    assert "data-kiosk" not in response.text and "kiosk_resident" not in response.text
    key = str(Draft.objects.get().idempotency_key)
    response = client.post(_form_url(office, version), {**factories.VALID_VALUES, "idempotency_key": key})
    assert response.url.startswith("/t/") and Submission.objects.get().channel == Submission.Channel.PHONE


def test_the_language_a_resident_chose_goes_with_them(client, office, version):
    device = factories.kiosk_device(office)
    _open(client, device)
    start = reverse("intake:kiosk_start", args=[kiosk.device_token(device)])
    resident = client.session[kiosk.RESIDENT]
    client.post(reverse("intake:preferences"), {"language": "en", "next": start, "kiosk_resident": resident})
    page = client.get(start).text
    # Changed on the start page: the idle prompt runs there too (kiosk.js), so it does not stay.
    assert 'lang="en"' in page and "data-kiosk-changed" in page
    client.post(reverse("intake:kiosk_reset", args=[kiosk.device_token(device)]))
    page = client.get(start).text
    assert 'lang="ko"' in page and 'class="text-large"' in page and "data-kiosk-changed" not in page


def test_the_database_down_leaves_the_page_to_its_own_answer(client, office, version, monkeypatch):
    from django.db import OperationalError

    _open(client, factories.kiosk_device(office))

    def down(token):
        raise OperationalError("database down")

    monkeypatch.setattr(kiosk, "device_for_token", down)
    # The middleware does not turn it into a server error; the page itself answers (here the
    # database is only down for the kiosk's own look-up), never cached.
    response = client.get(_form_url(office, version))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_the_start_page_shows_how_many_wait_per_service(client, office, version):
    version.template.service = factories.service("resident", "주민등록")
    version.template.save()
    services.forms_changed()
    for _ in range(3):
        factories.submitted(office, version)
    start = _open(client, factories.kiosk_device(office))
    waiting = start.text[start.text.index("data-kiosk-waiting") :]
    assert "주민등록" in waiting and "3명" in waiting
