"""The resident's phone (issue 24) without a browser: the ticket's phases, alerts to the
form's own number, the step count's note, the address box to mark, the language the
officer sees, and Korean examples inside English messages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from forms_catalog.schema import Field
from forms_catalog.schema.validators import address_problem
from intake import crypto, i18n, ticket_phases
from intake.models import Submission
from officer_console.console import mirror
from officer_console.console import services as staff

from . import factories

pytestmark = pytest.mark.django_db


def _ticket(client, submission: Submission) -> str:
    return client.get(reverse("intake:ticket", args=[submission.public_token])).content.decode()


def test_the_heading_follows_the_phase(client, office, version, officer):
    first, *_, mine = [factories.submitted(office, version) for _ in range(4)]
    assert re.search(r'<h1 id="ticket-heading">접수되었습니다</h1>', _ticket(client, mine))
    assert 'data-phase="waiting"' in _ticket(client, mine)
    staff.call(first.pk, officer, office.counters.get(number=2))
    page = _ticket(client, mine)
    assert 'data-phase="soon"' in page and "곧 차례입니다</h1>" in page and "data-keep-awake" in page
    staff.call(mine.pk, officer, office.counters.get(number=2))
    page = _ticket(client, mine)
    assert "차례입니다 · 2번 창구</h1>" in page and "data-alerts" in page
    staff.complete(mine.pk, officer)
    page = _ticket(client, mine)
    assert 'data-phase="completed"' in page and "data-keep-awake" not in page


def test_every_phase_has_its_partial():
    from django.template.loader import get_template

    for phase in ticket_phases.PHASES.values():
        get_template(phase.template)
    assert set(ticket_phases.PHASES) >= {s for s in Submission.Status.values if s != "submitted"}


def test_one_tap_uses_the_forms_number_and_records_the_consent(client, submission):
    page = _ticket(client, submission)
    assert "010-1234-****" in page and "01012345678" not in page
    url = reverse("intake:ticket_alerts", args=[submission.public_token])
    # The page sends no number: a posted one is ignored when the form's is asked for.
    client.post(url, {"use_form_phone": "1", "phone": "010-9999-9999"})
    submission.refresh_from_db()
    assert crypto.decrypt_json(submission.alert_phone)["phone"] == "010-1234-5678"
    assert submission.alert_consent_at is not None
    assert "data-alerts-off" in _ticket(client, submission)
    client.post(url, {"phone": ""})
    submission.refresh_from_db()
    assert (submission.alert_phone, submission.alert_consent_at) == ("", None)


def test_a_form_without_a_mobile_number_offers_the_box_only(client, office, version):
    submission = factories.submitted(office, version, {**factories.VALID_VALUES, "phone": "0212345678"})
    page = _ticket(client, submission)
    assert "data-alerts-form-phone" not in page and 'id="alert-phone"' in page


def test_a_step_count_changed_by_an_answer_is_explained(client, office, version):
    url = reverse("intake:form", args=[office.slug, version.template.code])
    client.get(url)
    answers = {**factories.VALID_VALUES, "_step": "form", "_nav": "next"}
    answers.pop("address")
    answers |= {"address__road": "서울특별시 서초구 남부순환로 2584"}
    # The test form is one page and the review: 2 steps. The page said 2: nothing to explain.
    same = client.post(url, {**answers, "_steps": "2"})
    assert same.status_code == 302 and "was=" not in same["Location"]
    # The page said 3 (an answer since removed a step): the next page says from how many.
    grown = client.post(url, {**answers, "_steps": "3"})
    assert grown.status_code == 302 and grown["Location"].endswith("&was=3")
    page = client.get(grown["Location"]).content.decode()
    assert "data-step-note" in page and "3개에서 2개로" in page


@pytest.mark.parametrize(
    ("parts", "required", "wrong"),
    [
        ({"postcode": "123", "road": "세종특별자치시 한누리대로 2130", "detail": ""}, {}, "postcode"),
        ({"postcode": "", "road": "세종특별자치시", "detail": "101호"}, {}, "road"),
        ({"postcode": "", "road": "세종특별자치시 한누리대로 2130", "detail": ""}, {"require_detail": True}, "detail"),
        ({"postcode": "", "road": "세종특별자치시 한누리대로 2130", "detail": ""}, {}, None),
    ],
)
def test_an_address_error_names_the_one_box_that_is_wrong(parts, required, wrong):
    problem = address_problem(Field("address", "address", **required), parts)
    assert (problem[0] if problem else None) == wrong


def test_korean_examples_in_an_english_message_are_marked():
    with translation.override("en"):
        html = i18n.marked_runs("Enter it in Korean, e.g. 세종특별자치시 한누리대로 2130. Put <b> in detail.")
    assert html == (
        'Enter it in Korean, e.g. <span lang="ko">세종특별자치시 한누리대로 2130</span>. Put &lt;b&gt; in detail.'
    )
    with translation.override("ko"):
        assert "span" not in i18n.marked_runs("예: 세종특별자치시 한누리대로 2130")


def test_the_language_is_kept_and_shown_to_the_officer(client, office, version, officer):
    with translation.override("en"):
        english = factories.submitted(office, version)
    Submission.objects.filter(pk=english.pk).update(language="en")
    korean = factories.submitted(office, version)
    Submission.objects.filter(pk=korean.pk).update(language="ko")
    client.force_login(officer)
    queue = client.get(reverse("officer_console:console", args=[office.pk])).content.decode()
    assert queue.count('class="lang-badge"') == 1 and 'data-language="en"' in queue
    check = client.get(reverse("officer_console:submission", args=[english.pk])).content.decode()
    assert 'data-language="en"' in check


def test_the_mirror_shows_the_form_in_the_residents_language(office, version, officer):
    submission = factories.submitted(office, version)
    counter = office.counters.first()
    staff.update_mirror(counter, show=True, submission=submission)
    labels = [row.label for s in mirror.mirror_context(counter.pk)["sections"] for row in s.rows]
    assert "성명" in labels
    Submission.objects.filter(pk=submission.pk).update(language="en")
    labels = [row.label for s in mirror.mirror_context(counter.pk)["sections"] for row in s.rows]
    assert "Name" in labels and "성명" not in labels
