"""Adoption kit: from an empty database to a live office, through the setup guide alone.

The administrator's actions go through `Admin`, which also counts them for a
keystroke-level-model estimate of the human time (docs/ADOPTING.md). With
UPDATE_DOCS_SCREENSHOTS=1 the test also refreshes the guide's screenshots.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from forms_catalog import packs
from intake.models import Counter, Office, Submission

from . import factories, steps
from .klm import Admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=15_000)

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img" / "adopting"
OFFICERS_CSV = "이름,아이디\n김민원,kim.minwon\n이창구,lee.changgu\n박안내,park.annae\n"
SMALL_FORM = "간편 증명 발급 신청서"


def _screenshot(page: Page, name: str) -> None:
    steps.docs_screenshot(page, DOCS_IMG / f"{name}.png")


def _files(tmp_path: Path) -> dict[str, Path]:
    """What a new office brings: a logo, the staff list and a form pack (the demo pack plus a short form)."""
    from PIL import Image, ImageDraw

    logo = tmp_path / "logo.png"
    image = Image.new("RGB", (320, 96), "white")
    ImageDraw.Draw(image).rectangle((8, 8, 88, 88), fill="#256ef4")
    image.save(logo)
    officers = tmp_path / "officers.csv"
    officers.write_text(OFFICERS_CSV, encoding="utf-8-sig")
    pack = packs.load_pack_file(packs.JSON_SCHEMA_PATH.parent / "demo.json")
    pack["forms"].append(
        {
            "code": "simple-certificate",
            "title": SMALL_FORM,
            "title_en": "Simple certificate",
            "category": "증명",
            "versions": [{"number": 1, "status": "published", "paper_sheets": 2, "schema": factories.SCHEMA}],
        }
    )
    pack_file = tmp_path / "form-pack.json"
    pack_file.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    return {"logo": logo, "officers": officers, "pack": pack_file}


def _qr_urls(pdf: bytes) -> list[str]:
    import pypdfium2
    import zxingcpp

    urls = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=2).to_pil()
        urls.extend(result.text for result in zxingcpp.read_barcodes(image))
    return urls


def test_new_office_goes_live_through_the_setup_guide_alone(browser, stack, tmp_path, monkeypatch):
    # The installer's only command-line step after migrate.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "installer-pw-1")
    call_command("createsuperuser", interactive=False, username="admin", email="admin@example.go.kr", verbosity=0)
    assert not Office.objects.exists()
    files = _files(tmp_path)

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    admin = Admin(desk.new_page(), stack)
    blocked: list[str] = []
    admin.page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    # Log in to the admin and open the guide from its front page.
    admin.goto("/admin/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", "installer-pw-1")
    admin.click("input[type=submit]")
    expect(admin.page.locator("[data-setup-link]")).to_be_visible()
    _screenshot(admin.page, "01-admin-index")
    admin.click_link("새 기관 개설 안내 (New office setup) →")
    admin.click("[data-setup-new]")

    # 1. The office, its hours, notice, logo and counters.
    admin.fill("#id_name", "한빛구청 종합민원실")
    admin.fill("#id_name_en", "Hanbit-gu Civil Service Centre")
    admin.fill("#id_slug", "hanbit-gu")
    admin.fill("#id_hours_note", "공휴일 휴무")
    admin.fill("#id_notice", "주차장은 지하 2층입니다.")
    admin.fill("#id_paper_sheets_baseline_per_year", "48000")
    admin.upload("#id_logo_upload", files["logo"])
    admin.fill("#id_counters", "3")
    _screenshot(admin.page, "02-office-form")
    admin.click("input[type=submit]")
    office = Office.objects.get(slug="hanbit-gu")
    assert list(office.counters.values_list("number", flat=True)) == [1, 2, 3]
    assert office.logo and office.open_days == "12345" and office.paper_sheets_baseline_per_year == 48000
    expect(admin.page.locator("[data-step=office]")).to_have_attribute("data-done", "1")
    expect(admin.page.locator("[data-step=officers]")).to_have_attribute("data-done", "0")
    _screenshot(admin.page, "03-checklist")

    # 2. Officers from the CSV: one-time passwords on screen and as a printable PDF.
    admin.upload("#id_csv_file", files["officers"])
    admin.click("[data-step-form=officers] input[type=submit]")
    expect(admin.page.locator("[data-one-time-passwords] tbody tr")).to_have_count(3)
    password = admin.page.locator("[data-login='kim.minwon'] [data-password]").inner_text()
    admin.read_screen()
    _screenshot(admin.page, "04-one-time-passwords")
    with admin.page.expect_download() as download:
        admin.click("[data-passwords-pdf]")
    slips = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "kim.minwon" in slips and password in slips
    admin.click("[data-passwords-done]")

    # 3. The form pack, 4. every published form offered.
    admin.upload("#id_pack", files["pack"])
    admin.click("[data-step-form=pack] input[type=submit]")
    expect(admin.page.locator("[data-step=pack]")).to_have_attribute("data-done", "1")
    admin.click("[data-step-form=forms] button[name=all]")
    expect(admin.page.locator("[data-step=forms]")).to_have_attribute("data-done", "1")
    assert office.forms.count() == 12  # the demo pack (11 with the 위임장) and a short form

    # 5. The posters: one page per counter, each QR decoding to that counter's URL.
    with admin.page.expect_download() as download:
        admin.click("[data-posters]")
    poster_pdf = Path(download.value.path()).read_bytes()
    tokens = dict(office.counters.values_list("number", "qr_token"))
    expected = [f"{stack}/q/{tokens[n]}/" for n in (1, 2, 3)]
    assert len(PdfReader(io.BytesIO(poster_pdf)).pages) == 3 + 2  # and the 방문 전 link, the lobby code
    urls = _qr_urls(poster_pdf)
    assert urls[:3] == expected and urls[3] == f"{stack}/o/{office.slug}/before-visit/"
    assert urls[4].startswith(f"{stack}/o/{office.slug}/") and len(urls) == 5  # the lobby's arrival code
    assert expected[0] in PdfReader(io.BytesIO(poster_pdf)).pages[0].extract_text().replace("\n", "")
    admin.goto(f"/admin/setup/{office.pk}/")
    expect(admin.page.locator("[data-checklist] [data-done='1']")).to_have_count(5)
    _screenshot(admin.page, "05-all-done")

    # The new officer: one-time password, forced change, then the live console.
    console = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    console.goto(f"{stack}/console/login/")
    console.fill("#id_username", "kim.minwon")
    console.fill("#id_password", password)
    console.click("button[type=submit]")
    expect(console).to_have_url(re.compile(r"/console/password/$"))
    console.fill("#id_old_password", password)
    console.fill("#id_new_password1", "my-own-pw-2026!")
    console.fill("#id_new_password2", "my-own-pw-2026!")
    console.get_by_role("button", name=re.compile("바꾸기")).click()
    expect(console).to_have_url(re.compile(rf"/console/office/{office.pk}/$"))
    expect(console.locator("#conn")).to_have_class(re.compile("online"))
    console.evaluate("window.__sameDocument = true")

    # A resident scans counter 2's poster with a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True).new_page()
    phone.goto(expected[1])
    expect(phone.locator(".eyebrow")).to_contain_text("한빛구청 종합민원실 · 2번 창구")
    expect(phone.locator("[data-notice]")).to_contain_text("지하 2층")
    expect(phone.locator("[data-hours]")).to_contain_text(re.compile(r"오늘 09:00–18:00|쉬는 날"))
    steps.wait_until(phone, "document.querySelector('.office-logo').naturalWidth > 0")
    _screenshot(phone, "06-resident-office")
    phone.get_by_role("link", name=re.compile(SMALL_FORM)).click()
    steps.fill_and_sign(phone)
    phone.locator("[data-submit]").click()
    expect(phone.locator("[data-ticket]")).to_have_text("1")

    # ... and the officer sees it arrive without reloading.
    expect(console.locator("#queue tbody tr")).to_have_count(1)
    assert console.evaluate("window.__sameDocument === true")
    submission = Submission.objects.get()
    assert submission.office == office and submission.counter == Counter.objects.get(office=office, number=2)
    _screenshot(console, "07-officer-console")

    assert blocked == []
    estimate = admin.estimate(csv_text=OFFICERS_CSV)
    print(estimate.report())
    assert estimate.total_minutes < 30
