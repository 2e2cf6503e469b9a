"""The officer's 대신 작성 pages and the mirror's sign and refuse."""

import pytest
from django.urls import reverse

from intake import services as intake_services
from intake.models import Draft, Submission
from officer_console.console import assisted
from officer_console.models import AssistedEntry

from . import factories

pytestmark = pytest.mark.django_db

TYPED = {k: v for k, v in factories.VALID_VALUES.items() if k != "signature"}


@pytest.fixture
def at_counter(client, office, officer):
    """The officer logged in at counter 1."""
    client.force_login(officer)
    client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": office.counters.first().pk})
    return client


def test_the_queue_offers_it_only_once_a_counter_is_chosen(client, office, officer):
    client.force_login(officer)
    url = reverse("officer_console:console", args=[office.pk])
    assert "data-assisted-start" not in client.get(url).text
    client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": office.counters.first().pk})
    assert "data-assisted-start" in client.get(url).text


def test_without_a_counter_nothing_starts(client, office, officer):
    client.force_login(officer)
    response = client.post(reverse("officer_console:assisted_start", args=[office.pk]), {"form": "test-form"})
    assert response.status_code == 302 and not AssistedEntry.objects.exists()


def test_the_officer_fills_the_residents_form_in_the_staff_shell(at_counter, office):
    response = at_counter.post(reverse("officer_console:assisted_start", args=[office.pk]), {"form": "test-form"})
    entry = AssistedEntry.objects.get()
    url = reverse("officer_console:assisted", args=[entry.pk])
    assert response["Location"] == url
    page = at_counter.get(url).text
    # The resident's form engine, in the staff shell, its checks and saves on the entry's own addresses.
    assert 'class="minwon-form"' in page and "민원 콘솔" in page
    assert f"/console/assisted/{entry.pk}/check/name/" in page
    assert "/f/" not in page and "data-autosave" not in page
    check = at_counter.post(reverse("officer_console:assisted_check", args=[entry.pk, "name"]), {"name": "홍길동"})
    assert check.status_code == 200
    assert intake_services.draft_values(Draft.objects.get(pk=entry.draft_id))["name"] == "홍길동"
    # Nothing of it went into a draft of the officer's browser.
    assert Draft.objects.count() == 1


def test_every_step_offers_the_queue_and_a_cancel_that_wipes_the_answers(at_counter, office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, {"name": "홍길동"})
    url = reverse("officer_console:assisted", args=[entry.pk])
    queue = reverse("officer_console:console", args=[office.pk])
    cancel = reverse("officer_console:assisted_action", args=[entry.pk, "cancel"])
    for step in ("", "?step=review"):
        page = at_counter.get(url + step).text
        assert f'href="{queue}" data-assisted-queue' in page
        assert f'action="{cancel}" class="assisted-exit"' in page
    # Back to the queue keeps the entry there, to come back to; the cancel wipes it.
    assert "data-assisted-open" in at_counter.get(queue).text
    response = at_counter.post(cancel)
    assert response.status_code == 302 and response["Location"] == queue
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.CANCELLED
    assert not Draft.objects.filter(pk=entry.draft_id, data__name="홍길동").exists()


def test_the_review_page_sends_it_to_the_mirror_without_a_signature_pad(at_counter, office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, TYPED)
    url = reverse("officer_console:assisted", args=[entry.pk])
    review = at_counter.get(url + "?step=review").text
    assert "민원인 화면으로 보내 서명 받기" in review and "data-signature" not in review
    response = at_counter.post(url, {"_step": "review", "consent": "agree"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.SIGNING
    assert 'data-assisted-status="signing"' in at_counter.get(url).text
    # The mirror shows it, masked, with the pad.
    mirror = at_counter.get(reverse("officer_console:mirror", args=[entry.counter_id])).text
    assert 'data-state="sign"' in mirror and "data-signature" in mirror
    assert "900101-1******" in mirror and "1234568" not in mirror


def test_a_missing_answer_goes_back_to_its_step(at_counter, office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, {**TYPED, "name": ""})
    response = at_counter.post(reverse("officer_console:assisted", args=[entry.pk]), {"_step": "review"})
    assert response.status_code == 200 and 'id="error-summary"' in response.text
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.FILLING


def test_the_mirror_signs_and_the_officer_is_sent_to_the_filed_form(at_counter, office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, TYPED)
    assisted.request_signature(entry.pk, officer)
    sign = reverse("officer_console:assisted_sign", args=[entry.pk])
    missing = at_counter.post(sign, {"signature": ""}, HTTP_X_MIRROR="1")
    assert missing.status_code == 422 and "서명" in missing.text
    assert at_counter.post(sign, {"signature": factories.SIGNATURE}, HTTP_X_MIRROR="1").status_code == 204
    submission = Submission.objects.get()
    detail = at_counter.get(reverse("officer_console:assisted", args=[entry.pk]))
    assert detail["Location"] == reverse("officer_console:submission", args=[submission.pk])
    check = at_counter.get(detail["Location"]).text
    assert "data-assisted-badge" in check and "직원 대신 작성" in check


def test_the_resident_refuses_on_the_mirror(at_counter, office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, TYPED)
    assisted.request_signature(entry.pk, officer)
    response = at_counter.post(reverse("officer_console:assisted_refuse", args=[entry.pk]))
    assert response["Location"] == reverse("officer_console:mirror", args=[entry.counter_id])
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.REFUSED and not Submission.objects.exists()


def test_another_offices_officer_cannot_reach_an_entry(client, office, officer, other_office):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.get(reverse("officer_console:assisted", args=[entry.pk])).status_code == 404
    for name in ("officer_console:assisted_sign", "officer_console:assisted_refuse"):
        assert client.post(reverse(name, args=[entry.pk])).status_code == 404
    assert client.post(reverse("officer_console:assisted_action", args=[entry.pk, "cancel"])).status_code == 404
