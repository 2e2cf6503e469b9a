"""The language, text-size and contrast switches: a plain POST form on every resident page, kept in the session."""

import pytest
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db


def _switch(client, next_path: str, **choice: str):
    return client.post(reverse("intake:preferences"), {"next": next_path, **choice})


def test_korean_is_the_default_whatever_the_browser_asks_for(client, office):
    page = client.get(reverse("intake:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ko"' in page.text and page["Content-Language"] == "ko"
    assert "민원 신청" in page.text
    # One language per page: no English duplicates beside the Korean any more.
    assert 'class="en"' not in page.text and "Apply for a civil service" not in page.text
    assert 'name="language" value="en"' in page.text


def test_choosing_english_comes_back_to_the_same_page_and_stays_for_the_session(client, office):
    office_url = reverse("intake:office", args=[office.slug])
    response = _switch(client, office_url + "?q=등본", language="en")
    assert response.status_code == 302 and response["Location"] == office_url + "?q=%EB%93%B1%EB%B3%B8"
    assert client.session["language"] == "en"
    page = client.get(office_url)
    assert '<html lang="en"' in page.text and page["Content-Language"] == "en"
    assert "Choose a form" in page.text and "신청할 서식을 고르세요" not in page.text
    # The office has no English name: its Korean name is marked as Korean.
    assert f'<span lang="ko">{office.name}</span>' in page.text
    assert '<button class="btn btn-small" type="submit" name="language" value="ko" lang="ko"' in page.text

    _switch(client, office_url, language="ko")
    assert "신청할 서식을 고르세요" in client.get(office_url).text


def test_catalog_text_shows_its_english_variant(client, office, version):
    version.template.title_en = "Application for a certified copy of resident registration"
    version.template.save()
    office.name_en = "Seocho-gu Office"
    office.save()
    _switch(client, "/", language="en")
    page = client.get(reverse("intake:office", args=[office.slug]))
    assert "Application for a certified copy of resident registration" in page.text
    assert "Seocho-gu Office" in page.text and office.name not in page.text


def test_text_size_and_contrast_are_a_class_on_html(client, office):
    home = reverse("intake:home")
    _switch(client, home, text_size="xlarge")
    _switch(client, home, contrast="high")
    page = client.get(home)
    assert '<html lang="ko" class="contrast-high text-xlarge">' in page.text
    assert 'name="text_size" value="xlarge" aria-pressed="true"' in page.text
    # The contrast button now turns it off again.
    assert 'name="contrast" value="normal" aria-pressed="true"' in page.text
    _switch(client, home, contrast="normal", text_size="normal")
    assert '<html lang="ko">' in client.get(home).text


def test_unknown_choices_and_foreign_return_addresses_are_ignored(client, office):
    response = _switch(client, "https://evil.example/", language="fr", contrast="neon", text_size="huge")
    assert response["Location"] == reverse("intake:home")
    assert not {"language", "contrast", "text_size"} & set(client.session.keys())
    assert client.get(reverse("intake:preferences")).status_code == 405


def test_english_residents_get_english_fix_it_messages(client, office, version):
    _switch(client, "/", language="en")
    url = reverse("intake:form", args=[office.slug, version.template.code])
    check = client.post(
        reverse("intake:field_check", args=[office.slug, version.template.code, "phone"]), {"phone": "1234"}
    )
    assert "Check the phone number" in check.text and "전화번호를 확인해 주세요" not in check.text
    page = client.post(url, {"copies": "abc"})
    assert "This field is required. Please fill it in." in page.text
    assert "Enter digits only (commas are fine), e.g. 2" in page.text
    assert 'value="abc"' in page.text  # what was typed is kept


def test_the_ticket_switch_returns_to_the_ticket_even_after_an_alerts_post(client, submission):
    _switch(client, "/", language="en")
    alerts = reverse("intake:ticket_alerts", args=[submission.public_token])
    page = client.post(alerts, {"phone": "02-123-4567"})
    assert page.status_code == 422 and "Alerts can only go to a mobile phone" in page.text
    ticket = reverse("intake:ticket", args=[submission.public_token])
    assert f'name="next" value="{ticket}"' in page.text
    assert "Your turn is coming soon</h1>" in client.get(ticket).text  # nobody ahead


def test_error_pages_follow_the_language(client, office):
    assert "페이지를 찾을 수 없습니다" in client.get("/no/such/page/").text
    _switch(client, "/", language="en")
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404 and "Page not found" in missing.text


def test_staff_pages_are_korean_with_an_english_switch_of_their_own(client, office):
    factories.officer(office, "officer.lang")
    client.login(username="officer.lang", password="pw-for-tests-1")
    page = client.get(reverse("officer_console:home"), follow=True)
    # Korean by default; the only language control is the staff shell's English switch (no resident
    # display-mode controls such as the text size).
    assert page.text.count('name="language"') == 1 and 'value="en"' in page.text
    assert 'name="text_size"' not in page.text


def test_with_the_database_down_the_session_is_tried_once_and_the_answers_come_back(client, office, version):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    url = reverse("intake:form", args=[office.slug, version.template.code])
    client.get(url)  # a session exists
    tries = []

    def unreachable(self):
        tries.append(1)
        raise OperationalError("connection timed out")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SessionStore, "load", unreachable)
        page = client.post(url, {"name": "홍길동", "idempotency_key": "x"})
    # One wait for the database, not one in the middleware and another in the view.
    assert tries == [1]
    assert page.status_code == 503 and "아직 접수되지 않았습니다" in page.text
    assert '<input type="hidden" name="name" value="홍길동">' in page.text


def test_the_language_is_for_that_request_only(client, office):
    from django.utils import translation

    _switch(client, "/", language="en")
    assert "Apply for a civil service" in client.get(reverse("intake:home")).text
    # Work done afterwards in the same thread (a task, a test) is back in Korean.
    assert translation.get_language() == "ko"
