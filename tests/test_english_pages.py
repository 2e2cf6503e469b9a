"""Every resident page in English shows no Korean outside elements marked lang="ko".

Official names (an office, a form without an English title, what an officer
wrote) may stay Korean, but then marked so, for screen readers; everything
the pages themselves say comes from the English catalog.
"""

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from forms_catalog.models import FormTemplate
from intake import flow
from intake.models import Draft, Office
from officer_console.console import services as staff

from . import factories
from .i18n_check import korean_outside_lang_ko

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.post(reverse("intake:preferences"), {"language": "en", "next": "/"})
    return client


def _assert_english(html: str, page: str) -> None:
    assert '<html lang="en"' in html, page
    assert korean_outside_lang_ko(html) == [], page


def test_the_scanner_finds_unmarked_korean():
    assert korean_outside_lang_ko('<html lang="en"><p>Hello <b>서초</b></p></html>') == ["<b> '서초'"]
    assert korean_outside_lang_ko('<html lang="en"><p lang="ko">서초<br>구청</p><img alt="ok"></html>') == []
    assert korean_outside_lang_ko('<html lang="en"><input placeholder="예: 등본"></html>') != []


def test_home_office_and_search_pages(english, office, version):
    office.notice = "3번 창구는 점심시간(12~13시)에 쉽니다."
    office.save()
    counter = office.counters.first()
    english.get(reverse("intake:counter_entry", args=[counter.qr_token]))
    pages = {
        "home": reverse("intake:home"),
        "office": reverse("intake:office", args=[office.slug]),
        "search, nothing found": reverse("intake:office", args=[office.slug]) + "?q=zzz",
    }
    for name, url in pages.items():
        response = english.get(url)
        assert response.status_code == 200, name
        _assert_english(response.text, name)


def test_ticket_in_every_state(english, office, version, officer):
    counter = office.counters.first()
    waiting = factories.submitted(office, version)
    factories.submitted(office, version)  # one more behind: "people ahead" counts
    behind = factories.submitted(office, version)
    called = factories.submitted(office, version)
    staff.call(called.pk, officer, counter)
    correction = factories.submitted(office, version)
    staff.call(correction.pk, officer, counter)
    staff.request_correction(correction.pk, officer, ["address"], "호수까지 적어 주세요")
    completed = factories.submitted(office, version)
    staff.call(completed.pk, officer, counter)
    staff.complete(completed.pk, officer)
    rejected = factories.submitted(office, version)
    staff.call(rejected.pk, officer, counter)
    staff.reject(rejected.pk, officer, "서류 미비")
    absent = factories.submitted(office, version)
    staff.call(absent.pk, officer, counter)
    staff.no_show(absent.pk, officer)
    for submission in (waiting, behind, called, correction, completed, rejected, absent):
        response = english.get(reverse("intake:ticket", args=[submission.public_token]))
        _assert_english(response.text, submission.status)
    assert (
        "2</strong> people are ahead of you" in english.get(reverse("intake:ticket", args=[behind.public_token])).text
    )
    refused = english.post(reverse("intake:ticket_alerts", args=[waiting.public_token]), {"phone": "abc"})
    _assert_english(refused.text, "alerts refused")


def test_error_pages(english, office):
    _assert_english(english.get("/no/such/page/").text, "404")
    strict = Client(enforce_csrf_checks=True)
    strict.post(reverse("intake:preferences"), {"language": "en"})  # refused, CSRF
    strict.cookies = english.cookies
    refused = strict.post(reverse("intake:preferences"), {"language": "en"})
    assert refused.status_code == 403
    _assert_english(refused.content.decode(), "CSRF failure")
    with translation.override("en"):
        _assert_english(render_to_string("500.html"), "500")
        unavailable = render_to_string("intake/unavailable.html", {"fields": [("name", "홍길동")], "had_files": True})
    _assert_english(unavailable, "database down")


def test_every_step_of_every_demo_form_with_its_review_and_errors(english, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--no-history")
    for template in FormTemplate.objects.all():
        office = Office.objects.filter(forms=template).first()
        url = reverse("intake:form", args=[office.slug, template.code])
        steps = flow.steps(template.published_version().form, {})
        for step in [s.key for s in steps] + [flow.REVIEW]:
            _assert_english(english.get(url, {"step": step}).text, f"{template.code}, step {step}")
        refused = english.post(url, {"_step": steps[0].key, "_nav": "next"})
        assert "error-summary" in refused.text
        _assert_english(refused.text, f"{template.code}, errors")


def test_a_filled_review_a_refused_submit_and_a_correction(english, settings, tmp_path, officer, office, version):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("intake:form", args=[office.slug, version.template.code])
    english.get(url)
    values = {k: v for k, v in factories.VALID_VALUES.items() if k not in ("consent", "signature")}
    english.post(url, {**values, "_step": "form", "_nav": "next"})
    review = english.get(url, {"step": "review"})
    assert "Check your answers" in review.text and "900101-1******" in review.text
    _assert_english(review.text, "review")
    key = str(Draft.objects.get().idempotency_key)
    unsigned = english.post(url, {"consent": "disagree", "_step": "review", "idempotency_key": key})
    assert "You need to agree" in unsigned.text
    _assert_english(unsigned.text, "review, refused")
    settings.RATE_LIMIT_CLIENT = "0/600"
    limited = english.post(url, {"consent": "agree", "signature": factories.SIGNATURE, "idempotency_key": key})
    assert limited.status_code == 429 and "Your answers are saved" in limited.text
    _assert_english(limited.text, "rate limited")

    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())
    staff.request_correction(submission.pk, officer, ["address", "copies", "consent"], "호수까지 적어 주세요")
    correct = reverse("intake:correct", args=[submission.public_token])
    _assert_english(english.get(correct).text, "correction")
    refused = english.post(correct, {"address__road": "서초", "copies": "x", "consent": "disagree"})
    assert "Enter digits only" in refused.text
    _assert_english(refused.text, "correction, refused")
