import pytest
from django.urls import reverse

from officer_console.console import services
from officer_console.models import AccessLog

from . import factories


def test_console_requires_login(client, office):
    response = client.get(reverse("officer_console:console", args=[office.pk]))
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_officer_sees_own_queue_but_not_another_office(client, officer, office, other_office, submission):
    client.force_login(officer)
    page = client.get(reverse("officer_console:console", args=[office.pk]))
    assert page.status_code == 200
    assert f'data-id="{submission.pk}"' in page.text
    assert client.get(reverse("officer_console:console", args=[other_office.pk])).status_code == 404


def test_cross_office_submission_is_invisible(client, other_office, version, submission):
    stranger = factories.officer(other_office, "stranger")
    client.force_login(stranger)
    for name in ("officer_console:submission", "officer_console:submission_pdf"):
        assert client.get(reverse(name, args=[submission.pk])).status_code == 404
    assert client.post(reverse("officer_console:submission_action", args=[submission.pk, "call"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_detail_masks_rrn_and_logs_the_view(client, officer, submission):
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[submission.pk]), REMOTE_ADDR="10.1.2.3")
    assert "900101-1******" in page.text
    assert "1234568" not in page.text
    log = AccessLog.objects.get()
    assert (log.username, log.ip, log.action, log.subject_reference) == (
        "officer",
        "10.1.2.3",
        "view",
        submission.reference,
    )


def test_officer_calls_and_completes_through_the_page(client, officer, submission):
    client.force_login(officer)
    for action in ("call", "complete"):
        url = reverse("officer_console:submission_action", args=[submission.pk, action])
        response = client.post(url, {"confirmed": "1"})
        assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "completed" and submission.paper_sheets_saved == 2


def test_conflicting_action_shows_a_korean_message(client, officer, submission):
    client.force_login(officer)
    url = reverse("officer_console:submission_action", args=[submission.pk, "complete"])
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert "처리할 수 없습니다" in response.text


@pytest.mark.parametrize("method", ["get", "put"])
def test_actions_only_accept_post(client, officer, submission, method):
    client.force_login(officer)
    response = getattr(client, method)(reverse("officer_console:submission_action", args=[submission.pk, "call"]))
    assert response.status_code == 405


XSS = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def test_hostile_values_are_shown_as_text_on_console_and_ticket_pages(client, officer, office, version):
    hostile = factories.submitted(
        office,
        version,
        {**factories.VALID_VALUES, "name": XSS[:30], "address": "서울특별시 서초구 남부순환로 2584, " + XSS},
    )
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[hostile.pk])).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    ticket = client.get(reverse("intake:ticket", args=[hostile.public_token])).text
    assert "<script>alert" not in ticket


def _choose_counter(client, office, number):
    counter = office.counters.get(number=number)
    client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": counter.pk})
    return counter


def test_counter_is_remembered_by_the_browser_across_log_in_and_shown(client, officer, office):
    client.force_login(officer)
    _choose_counter(client, office, 2)
    page = client.get(reverse("officer_console:console", args=[office.pk]))
    assert 'data-counter="2"' in page.text and "2번 창구" in page.text
    client.post(reverse("officer_console:logout"))
    client.force_login(factories.officer(office, "next-shift"))
    page = client.get(reverse("officer_console:console", args=[office.pk]))
    assert 'data-counter="2"' in page.text
    # A forged cookie is ignored, never trusted.
    client.cookies[f"counter_{office.pk}"] = str(office.counters.get(number=1).pk)
    client.post(reverse("officer_console:logout"))
    client.force_login(officer)
    assert 'data-counter=""' in client.get(reverse("officer_console:console", args=[office.pk])).text


def test_another_offices_counter_cannot_be_chosen(client, officer, office, other_office):
    client.force_login(officer)
    foreign = other_office.counters.first()
    client.post(reverse("officer_console:choose_counter", args=[office.pk]), {"counter": foreign.pk})
    assert 'data-counter=""' in client.get(reverse("officer_console:console", args=[office.pk])).text


def test_queue_filters_by_status_and_form_without_js(client, officer, office, version):
    waiting = factories.submitted(office, version)
    called = factories.submitted(office, version)
    services.call(called.pk, officer, None)
    client.force_login(officer)
    url = reverse("officer_console:console", args=[office.pk])
    page = client.get(url, {"status": "called"})
    assert f'data-id="{called.pk}"' in page.text and f'data-id="{waiting.pk}"' not in page.text
    page = client.get(url, {"form": "no-such-form"})
    assert "data-id=" not in page.text.split("<tbody>")[1].split("</tbody>")[0]


def test_page_actions_call_recall_no_show_with_the_chosen_counter(client, officer, office, submission):
    client.force_login(officer)
    counter = _choose_counter(client, office, 2)
    url = lambda action: reverse("officer_console:submission_action", args=[submission.pk, action])  # noqa: E731
    client.post(url("call"))
    submission.refresh_from_db()
    assert submission.status == "called" and submission.called_counter == counter
    client.post(url("recall"))
    client.post(url("no_show"))
    submission.refresh_from_db()
    assert submission.status == "no_show" and submission.revision == 4


def test_correction_transfer_id_check_and_edit_through_the_page(client, officer, office, submission):
    colleague = factories.officer(office, "colleague")
    client.force_login(officer)
    url = lambda action: reverse("officer_console:submission_action", args=[submission.pk, action])  # noqa: E731
    client.post(url("id_check"), {"checked": "1"})
    client.post(url("edit"), {"address": "서울특별시 서초구 남부순환로 2584, 909호", "rrn": ""})
    response = client.post(url("correction"), {"fields": ["phone"], "message": "번호 확인"}, follow=True)
    assert "보완 요청을 보냈습니다" in response.text
    client.post(url("transfer"), {"counter": office.counters.get(number=2).pk, "officer": colleague.pk})
    submission.refresh_from_db()
    assert submission.status == "correction" and submission.correction_fields == ["phone"]
    assert submission.handled_by == colleague and submission.called_counter.number == 2
    assert submission.data["address"].endswith("909호")
    page = client.get(reverse("officer_console:submission", args=[submission.pk]))
    assert 'data-edit-row="address"' in page.text and "data-id-checked-by" in page.text
    # The empty personal-number box left the number alone.
    assert "900101-1******" in page.text
    response = client.post(url("correction"), {"fields": []}, follow=True)
    assert "하나 이상 골라" in response.text


def test_unmask_needs_a_reason_and_logs_it(client, officer, submission):
    client.force_login(officer)
    url = reverse("officer_console:unmask", args=[submission.pk])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "사유를 입력해" in response.text and "900101-1234568" not in response.text
    page = client.post(url, {"reason": "본인 확인 대조"}, REMOTE_ADDR="10.9.9.9")
    assert "900101-1234568" in page.text
    log = AccessLog.objects.get(action="unmask")
    assert (log.reason, log.ip, log.subject_reference) == ("본인 확인 대조", "10.9.9.9", submission.reference)


def test_handoff_code_opens_the_submission(client, officer, office, submission):
    client.force_login(officer)
    url = reverse("officer_console:handoff", args=[office.pk])
    response = client.get(url, {"code": submission.handoff_code.lower()})
    assert response["Location"] == reverse("officer_console:submission", args=[submission.pk])
    response = client.get(url, {"code": "NOPE99"}, follow=True)
    assert "코드를 다시 확인" in response.text


def test_handoff_of_another_office_is_not_found(client, other_office, submission):
    client.force_login(factories.officer(other_office, "stranger"))
    response = client.get(
        reverse("officer_console:handoff", args=[other_office.pk]), {"code": submission.handoff_code}, follow=True
    )
    assert "코드를 다시 확인" in response.text


def test_search_page_finds_and_explains_bad_input(client, officer, office, submission):
    client.force_login(officer)
    url = reverse("officer_console:search", args=[office.pk])
    page = client.get(url, {"reference": submission.reference})
    assert f'data-id="{submission.pk}"' in page.text
    page = client.get(url, {"ticket": "abc", "reference": "KEEP-ME"})
    assert "숫자로 입력해" in page.text and 'value="KEEP-ME"' in page.text


def test_access_log_is_for_managers_and_exports_csv_with_bom(client, officer, office, other_office, submission):
    client.force_login(officer)
    client.get(reverse("officer_console:submission", args=[submission.pk]))
    assert client.get(reverse("officer_console:access_log", args=[office.pk])).status_code == 403
    assert client.get(reverse("officer_console:access_log_csv", args=[office.pk])).status_code == 403
    manager = factories.officer(office, "manager", role="manager")
    client.force_login(manager)
    page = client.get(reverse("officer_console:access_log", args=[office.pk]))
    assert page.status_code == 200 and submission.reference in page.text
    csv_response = client.get(reverse("officer_console:access_log_csv", args=[office.pk]), {"action": "view"})
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "officer" in body and submission.reference in body
    export = AccessLog.objects.get(action="export")
    assert export.username == "manager" and "action=view" in export.reason
    assert "내보내기" in client.get(reverse("officer_console:access_log", args=[office.pk])).text
    # A manager of one office reads nothing of another's.
    assert client.get(reverse("officer_console:access_log", args=[other_office.pk])).status_code == 404


def test_mirror_and_lobby_pages_are_for_own_office(client, officer, office, other_office, submission):
    stranger = factories.officer(other_office, "stranger")
    counter = office.counters.first()
    client.force_login(stranger)
    assert client.get(reverse("officer_console:mirror", args=[counter.pk])).status_code == 404
    assert client.get(reverse("officer_console:lobby", args=[office.pk])).status_code == 404
    assert client.post(reverse("officer_console:mirror_control", args=[submission.pk])).status_code == 404
    client.force_login(officer)
    assert 'data-state="idle"' in client.get(reverse("officer_console:mirror", args=[counter.pk])).text
    # An officer's lobby link leads to the TV's own address, which needs no log-in.
    tv = client.get(reverse("officer_console:lobby", args=[office.pk]))
    assert tv.status_code == 302
    client.logout()
    page = client.get(tv.url)
    assert page.status_code == 200 and f'data-ws="/ws/lobby/{services.lobby_token(office.pk)}/"' in page.text
    forged = tv.url.replace(f"/{office.pk}:", f"/{other_office.pk}:")
    assert client.get(forged).status_code == 404


def test_opening_a_submission_puts_it_on_the_counters_mirror(client, officer, office, submission):
    client.force_login(officer)
    counter = _choose_counter(client, office, 1)
    client.get(reverse("officer_console:submission", args=[submission.pk]))
    client.post(reverse("officer_console:mirror_control", args=[submission.pk]), {"kind": "point", "field": "rrn"})
    mirror = client.get(reverse("officer_console:mirror", args=[counter.pk])).text
    assert 'data-state="open"' in mirror and "data-pointed" in mirror and "1234568" not in mirror
    client.get(reverse("officer_console:console", args=[office.pk]))
    assert 'data-state="idle"' in client.get(reverse("officer_console:mirror", args=[counter.pk])).text


def test_a_proxys_filing_awaiting_the_principal_shows_its_signature_boxes_and_no_ticket(client, officer, office):
    version = factories.form_version("cosign-form", schema=factories.COSIGN_SCHEMA)
    office.forms.add(version.template)
    filed = factories.submitted(office, version, factories.PROXY_VALUES)
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[filed.pk]))
    assert page.status_code == 200
    assert "None" not in page.text and "번호표 없음" in page.text and "위임자 서명 대기" in page.text
    assert 'data-signer="신청인"' in page.text and 'data-signer="위임자"' in page.text
    assert "서명 없음" in page.text  # the 위임자's box stays empty until they sign


def test_a_scanned_paper_delegation_is_marked_as_such_in_the_check_view(client, officer, office):
    version = factories.form_version("cosign-form", schema=factories.COSIGN_SCHEMA)
    office.forms.add(version.template)
    filed = factories.submitted(
        office, version, {**factories.PROXY_VALUES, "delegation_letter": factories.stored_letter()}
    )
    client.force_login(officer)
    page = client.get(reverse("officer_console:submission", args=[filed.pk]))
    assert "종이 위임장 사본 (원본 확인 필요)" in page.text and "종이 위임장 사본 (scanned paper)" in page.text
