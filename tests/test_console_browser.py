"""The console, the resident's phone, the counter's mirror and the lobby TV, live together."""

import re

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from intake import events as intake_events
from intake import services as intake_services
from intake.models import Submission
from officer_console.console import services

from . import factories, live, steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Four screens and a server share two cores here and in CI: allow for a busy machine.
expect.set_options(timeout=10_000)


def _keep(page: Page) -> None:
    # A marker that a reload or navigation would wipe: proves a screen updated in place.
    page.evaluate("window.__sameDocument = true")


def _kept(page: Page) -> bool:
    return bool(page.evaluate("window.__sameDocument === true"))


def test_dropped_socket_resyncs_everything_once_each(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    already = factories.submitted(office, version)

    blocked = {"on": False}
    live_routes: list[WebSocketRoute] = []

    def gate(ws: WebSocketRoute) -> None:
        if blocked["on"]:
            ws.close()
            return
        ws.connect_to_server()
        live_routes.append(ws)

    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    console.route_web_socket(re.compile(r".*/ws/console/.*"), gate)
    steps.log_in(console, stack, "officer.seocho")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(1)
    _keep(console)

    # The network drops and stays down while five residents submit.
    blocked["on"] = True
    for route in live_routes:
        route.close()
    expect(console.locator("#conn")).to_have_class(re.compile("offline"))
    # They can reach the console only over its socket, which is down; what
    # it shows once back is the check (no fixed wait for "nothing yet").
    missed = [factories.submitted(office, version) for _ in range(5)]

    blocked["on"] = False
    expect(console.locator("#conn")).to_have_class(re.compile("online"), timeout=15000)
    rows = console.locator("#queue tbody tr")
    expect(rows).to_have_count(6)
    ids = rows.evaluate_all("rows => rows.map(r => Number(r.dataset.id))")
    assert ids == [already.pk] + [s.pk for s in missed]
    expect(console).to_have_title(re.compile(r"^\(6\) "))
    assert _kept(console)

    # Filters hide rows in place; keyboard: N calls the oldest waiting resident.
    console.select_option("#filter-status", "called")
    expect(console.locator("#queue tbody tr:visible")).to_have_count(0)
    expect(console.locator("#queue-empty")).to_be_visible()
    console.select_option("#filter-status", "")
    expect(console.locator("#queue tbody tr:visible")).to_have_count(6)
    console.locator("#filter-status").blur()  # keys go to the page, not the select (a click could land on a button)
    console.keyboard.press("n")
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "called")
    already.refresh_from_db()
    assert already.status == "called"
    steps.check_view_ready(console)  # Q pressed before the check view's scripts run would be lost
    console.keyboard.press("q")
    expect(console.locator("#queue tbody tr:visible")).to_have_count(6)
    expect(console).to_have_title(re.compile(r"^\(5\) "))


def test_call_correction_and_completion_across_phone_console_mirror_and_lobby(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version], counters=3)
    office.notice = "오늘 3번 창구는 여권 민원도 받습니다."
    office.save()
    factories.officer(office, "officer.seocho")
    counter = office.counters.get(number=2)

    # Console: log in, pick counter 2 (remembered by this browser).
    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    steps.log_in(console, stack, "officer.seocho")
    console.select_option("#counter-select", str(counter.pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "2")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))

    # Mirror (second monitor) and lobby TV: their own context, idle at first.
    screens = browser.new_context(viewport={"width": 1280, "height": 1024})
    mirror = screens.new_page()
    steps.log_in(mirror, stack, "officer.seocho", next_path=f"/console/counter/{counter.pk}/mirror/")
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "idle")
    expect(mirror.locator("[data-notice]")).to_contain_text("여권 민원")
    expect(mirror.locator("body")).to_have_attribute("data-live", "1")
    _keep(mirror)
    # The lobby TV: no log-in, its own browser, the address from the setup page.
    lobby = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    lobby.goto(f"{stack}/console/lobby/{services.lobby_token(office.pk)}/")
    expect(lobby.locator("#lobby-empty")).to_be_visible()
    _keep(lobby)

    # Phone: QR → form → submit → ticket, live.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    phone.goto(f"{stack}/q/{counter.qr_token}/")
    phone.get_by_role("link", name=re.compile(version.template.title)).click()
    steps.fill_and_sign(phone)
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")
    steps.wait_until(phone, "window.ticketLive === true")
    _keep(phone)
    submission = Submission.objects.get()

    # The console hears it (cue + title), the officer opens it: the mirror shows it, masked.
    row = console.locator(f'#queue tbody tr[data-id="{submission.pk}"]')
    expect(row).to_be_visible()
    expect(console.locator("#queue")).to_have_attribute("data-cues", "1")
    expect(console).to_have_title(re.compile(r"^\(1\) "))
    row.locator("a").click()
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "open")
    expect(mirror.locator("[data-field=rrn]")).to_have_text("900101-1******")
    expect(mirror.locator("[data-field=name]")).to_have_text("홍길동")

    # Call: the phone and the lobby say "counter 2" without a reload.
    console.locator("[data-action=call]").click()
    expect(phone.locator("[data-called-counter]")).to_have_attribute("data-called-counter", "2")
    expect(lobby.locator("#lobby-calls li").first).to_have_text("1번 → 2번 창구")

    # Point at the address and ask for a signature check on the resident's screen.
    console.locator("[data-point=address]").click()
    expect(mirror.locator("tr.pointed [data-field=address]")).to_be_visible()
    console.locator("[data-prompt]", has_text="서명해 주세요").click()
    expect(mirror.locator("[data-prompt]")).to_contain_text("서명해 주세요")

    # Correction round trip: the phone shows what to fix; the console sees it come back.
    # The field to fix is ticked on its row of the form.
    console.locator('tr[data-row="address"] th').click()
    expect(console.locator('input[data-pick="address"]')).to_be_checked()
    form = console.locator("[data-correction-form]")
    form.locator("#correction-message").fill("호수까지 적어 주세요")
    form.locator("[data-action=correction]").click()
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "correction")
    _keep(console)
    expect(phone.locator("[data-correction-field=address]")).to_be_visible()
    expect(phone.locator("[data-correction-message]")).to_contain_text("호수까지")
    phone.locator("[data-correct-link]").click()
    phone.fill("#field-address-input", "서울특별시 서초구 남부순환로 2584")
    phone.fill("#field-address-detail", "1203호")
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "called")
    steps.wait_until(phone, "window.ticketLive === true")
    _keep(phone)
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "called")
    expect(console.locator("td[data-field=address]")).to_contain_text("1203호")
    assert _kept(console)
    submission.refresh_from_db()
    assert submission.ticket_number == 1 and Submission.objects.count() == 1
    assert intake_services.submission_values(submission)["address"].endswith("1203호")

    # ID checked, complete: the phone says done, the mirror goes idle.
    console.locator("[data-id-check]").check()
    expect(console.locator("[data-id-checked-by]")).to_be_visible()
    console.locator("[data-action=complete]").click()
    console.locator("#confirm-complete [data-confirm-yes]").click()
    expect(console.locator("[data-status]")).to_have_attribute("data-status", "completed")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "completed")
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "idle")
    for page in (phone, mirror, lobby):
        assert _kept(page)


def test_two_officers_on_one_submission_the_loser_sees_it_without_reload(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "kim")
    factories.officer(office, "lee")
    submission = factories.submitted(office, version)

    pages = []
    for name in ("kim", "lee"):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        steps.log_in(page, stack, name, next_path=f"/console/submission/{submission.pk}/")
        expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
        pages.append(page)
    kim, lee = pages
    steps.wait_until(lee, "window.consoleSocket && window.consoleSocket.readyState === 1")
    _keep(lee)

    kim.locator("[data-action=call]").click()
    expect(kim.locator("[data-status]")).to_have_attribute("data-status", "called")
    # Lee's screen catches up by itself: the call button is gone, no reload.
    expect(lee.locator("[data-status]")).to_have_attribute("data-status", "called")
    expect(lee.locator("[data-action=call]")).to_have_count(0)
    assert _kept(lee)

    kim.locator("[data-action=complete]").click()
    kim.locator("#confirm-complete [data-confirm-yes]").click()
    expect(lee.locator("[data-status]")).to_have_attribute("data-status", "completed")
    assert _kept(lee)


def test_ticket_falls_back_to_polling_while_its_socket_is_down(browser, stack):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office)
    submission = factories.submitted(office, version)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True).new_page()
    # The mobile network lets no WebSocket through.
    phone.route_web_socket(re.compile(r".*/ws/ticket/.*"), lambda ws: ws.close())
    phone.goto(f"{stack}/t/{submission.public_token}/")
    _keep(phone)
    assert phone.evaluate("window.ticketLive") is not True
    services.call(submission.pk, officer, office.counters.get(number=2))
    expect(phone.locator("[data-called-counter]")).to_have_attribute("data-called-counter", "2", timeout=12000)
    assert _kept(phone)


@pytest.fixture
def quick_resync_stack(transactional_db, tmp_path, settings, monkeypatch):
    # The stack's processes read this from the environment: resync every second.
    monkeypatch.setenv("CONSOLE_RESYNC_SECONDS", "1")
    settings.MEDIA_ROOT = tmp_path / "media"
    with live.running_stack(tmp_path / "media", tmp_path / "logs") as url:
        yield url


def test_an_event_lost_while_the_socket_stays_up_is_healed_by_the_periodic_resync(
    browser, quick_resync_stack, monkeypatch
):
    version = factories.form_version()
    office = factories.office(forms=[version])
    factories.officer(office, "officer.seocho")
    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    steps.log_in(console, quick_resync_stack, "officer.seocho")
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    expect(console.locator("#queue tbody tr")).to_have_count(0)
    _keep(console)

    # A submission whose event never reaches the console (as when a channel
    # layer drops one), while the socket stays connected.
    monkeypatch.setattr(intake_events, "publish_submission_on_commit", lambda submission: None)
    lost = factories.submitted(office, version)
    expect(console.locator("#queue tbody tr")).to_have_count(1)
    assert console.locator("#queue tbody tr").get_attribute("data-id") == str(lost.pk)
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    assert _kept(console)


def test_the_mirror_opens_in_a_window_of_its_own_without_breaking_the_content_policy(browser, stack):
    office = factories.office(forms=[factories.form_version()], counters=2)
    factories.officer(office, "officer.seocho")
    counter = office.counters.get(number=2)
    console = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    refused: list[str] = []
    console.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    steps.log_in(console, stack, "officer.seocho")
    console.select_option("#counter-select", str(counter.pk))
    expect(console.locator(".counter-badge")).to_have_attribute("data-counter", "2")
    # The officer drags this window to the monitor facing the resident.
    with console.expect_popup() as opened:
        console.locator("[data-open-mirror]").click()
    mirror = opened.value
    mirror.wait_for_load_state()
    assert mirror.url.endswith(f"/console/counter/{counter.pk}/mirror/")
    expect(mirror.locator("#mirror-screen")).to_have_attribute("data-state", "idle")
    # Opened by common.js as a popup window, not by the link's target as a tab.
    assert mirror.evaluate("window.opener !== null && !window.menubar.visible")
    assert console.url.endswith(f"/console/office/{office.pk}/")
    assert refused == []
