"""The new office setup guide (/admin/setup/): access, each step's errors, one-time passwords."""

import io
import json
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from forms_catalog.models import FormTemplate
from intake.models import Office
from officer_console.models import Membership, PasswordChangeRequired
from officer_console.setup.views import PASSWORDS_SESSION_KEY

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "#256ef4").save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def installer(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.go.kr", "pw-for-tests-1")
    client.force_login(user)
    return user


def _office_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "한빛구청",
        "name_en": "Hanbit-gu",
        "slug": "hanbit-gu",
        "kind": "ward",
        "opens_at": "09:00",
        "closes_at": "18:00",
        "open_days": ["1", "2", "3", "4", "5"],
        "hours_note": "",
        "notice": "",
        "paper_wait_baseline_minutes": "25",
        "paper_sheets_baseline_per_year": "120000",
        "counters": "3",
    }
    data.update(changes)
    return data


def test_staff_need_the_setup_permission(client):
    staff = get_user_model().objects.create_user("clerk", password="pw-for-tests-1", is_staff=True)
    office = factories.office()
    assert client.get(reverse("setup:index")).status_code == 302  # to the admin log-in
    client.force_login(staff)
    assert client.get(reverse("setup:index")).status_code == 403
    assert client.post(reverse("setup:forms", args=[office.pk]), {"all": "1"}).status_code == 403
    assert "data-setup-link" not in client.get(reverse("admin:index")).text
    staff.user_permissions.add(Permission.objects.get(codename="setup_office"))
    staff = get_user_model().objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(reverse("setup:office", args=[office.pk])).status_code == 200
    assert "data-setup-link" in client.get(reverse("admin:index")).text


def test_posts_need_the_csrf_token(installer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(installer)
    assert strict.post(reverse("setup:new"), _office_form()).status_code == 403
    assert not Office.objects.exists()


def test_step_one_creates_the_office_with_counters_and_a_checked_logo(client, installer):
    response = client.post(reverse("setup:new"), {**_office_form(), "logo_upload": _png((2000, 1000))})
    office = Office.objects.get(slug="hanbit-gu")
    assert response["Location"] == reverse("setup:office", args=[office.pk])
    assert list(office.counters.values_list("number", flat=True)) == [1, 2, 3]
    assert office.open_days == "12345" and office.paper_sheets_baseline_per_year == 120000
    with office.logo.open("rb") as f, Image.open(f) as logo:
        assert max(logo.size) == 800  # shrunk for screens and posters
    served = client.get(reverse("intake:office_logo", args=["hanbit-gu"]))
    assert served["Content-Type"] == "image/png"
    assert served.content.startswith(b"\x89PNG")

    # Editing: fewer counters removes the highest numbers.
    client.post(reverse("setup:edit", args=[office.pk]), _office_form(counters="2"))
    assert list(office.counters.values_list("number", flat=True)) == [1, 2]

    # The logo on the lobby TV and on every poster, beside the name.
    client.force_login(factories.officer(office, "officer.hanbit"))
    lobby = client.get(reverse("officer_console:lobby", args=[office.pk]), follow=True).text
    assert reverse("intake:office_logo", args=["hanbit-gu"]) in lobby
    posters = client.get(reverse("officer_console:posters", args=[office.pk])).content
    assert all(len(page.images) == 1 for page in PdfReader(io.BytesIO(posters)).pages)  # the QR is vector


def test_the_setup_pages_follow_the_staff_english_switch(client, installer):
    office = factories.office()
    client.post(reverse("intake:preferences"), {"language": "en", "next": "/"})
    page = client.get(reverse("setup:office", args=[office.pk])).text
    assert "<h2>1. Office and counters</h2>" in page and "기관과 창구" not in page
    assert "<h2>Progress by office</h2>" in client.get(reverse("setup:index")).text

    client.post(reverse("intake:preferences"), {"language": "ko", "next": "/"})
    assert "<h2>1. 기관과 창구</h2>" in client.get(reverse("setup:office", args=[office.pk])).text


def test_step_one_explains_bad_input_and_keeps_it(client, installer):
    fake = SimpleUploadedFile("logo.png", b"<svg>not a picture</svg>", content_type="image/png")
    response = client.post(
        reverse("setup:new"), {**_office_form(closes_at="08:00", notice="주차는 지하"), "logo_upload": fake}
    )
    assert response.status_code == 400
    page = response.text
    assert "PNG나 JPG 그림 파일만" in page and "닫는 시각은 여는 시각보다 늦어야" in page
    assert "주차는 지하" in page and 'value="hanbit-gu"' in page
    assert not Office.objects.exists()


def test_step_two_imports_officers_all_or_nothing_and_shows_passwords_once(client, installer):
    office = factories.office("hanbit-gu", name="한빛구청")
    bad = SimpleUploadedFile("staff.csv", "이름,아이디\n김민원,kim.minwon\n,lee\n".encode("cp949"))
    response = client.post(reverse("setup:officers", args=[office.pk]), {"csv_file": bad})
    assert response.status_code == 400
    assert "3행: 이름이 비어 있습니다." in response.text
    assert not get_user_model().objects.filter(username="kim.minwon").exists()

    spreadsheet = SimpleUploadedFile("staff.xlsx", b"PK\x03\x04\x14\x00\x06\x00\xff\xfe")
    response = client.post(reverse("setup:officers", args=[office.pk]), {"csv_file": spreadsheet})
    assert response.status_code == 400 and "CSV UTF-8" in response.text

    sample = client.get(reverse("setup:officers_sample")).content.decode("utf-8-sig")
    assert sample.startswith("이름,아이디,역할\r\n")

    good = SimpleUploadedFile("staff.csv", "\ufeff이름,아이디,역할\n김민원,kim.minwon,manager\n".encode())
    response = client.post(reverse("setup:officers", args=[office.pk]), {"csv_file": good})
    assert response.status_code == 200
    membership = Membership.objects.get(user__username="kim.minwon")
    assert membership.office == office and membership.role == "manager"
    assert PasswordChangeRequired.objects.filter(user=membership.user).exists()
    password = response.context["rows"][0]["password"]
    assert password in response.text and membership.user.check_password(password)

    sheet = client.get(reverse("setup:passwords_csv", args=[office.pk]))
    assert sheet.content.startswith("\ufeff".encode()) and password in sheet.content.decode()
    slips = client.get(reverse("setup:passwords_pdf", args=[office.pk]))
    assert password in PdfReader(io.BytesIO(slips.content)).pages[0].extract_text()

    # Not readable where sessions are stored.
    stored = Session.objects.get(session_key=client.session.session_key)
    assert password not in stored.session_data and password not in str(stored.get_decoded())

    client.post(reverse("setup:forget_passwords", args=[office.pk]))
    gone = client.get(reverse("setup:passwords_csv", args=[office.pk]), follow=True)
    assert "30분 동안" in gone.text and password not in gone.text


def test_one_time_passwords_are_kept_for_half_an_hour_only(client, installer, monkeypatch):
    office = factories.office("hanbit-gu", name="한빛구청")
    good = SimpleUploadedFile("staff.csv", "이름,아이디\n김민원,kim.minwon\n".encode())
    password = client.post(reverse("setup:officers", args=[office.pk]), {"csv_file": good}).context["rows"][0][
        "password"
    ]
    # Another office's download link leaves them where they are.
    elsewhere = factories.office("banpo1-dong", name="반포1동")
    assert client.get(reverse("setup:passwords_csv", args=[elsewhere.pk])).status_code == 302
    later = time.time() + 29 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert password in client.get(reverse("setup:passwords_csv", args=[office.pk])).content.decode()
    later += 2 * 60
    response = client.get(reverse("setup:passwords_pdf", args=[office.pk]))
    assert response.status_code == 302 and PASSWORDS_SESSION_KEY not in client.session


def test_steps_three_to_five_pack_forms_and_posters(client, installer):
    office = factories.office("hanbit-gu", name="한빛구청", counters=2)
    broken = SimpleUploadedFile("pack.json", b'{"format": "minwon-form-pack", "forms": [{}]}')
    response = client.post(reverse("setup:pack", args=[office.pk]), {"pack": broken})
    assert response.status_code == 400 and "data-pack-problems" in response.text
    assert "아무것도 가져오지 않았습니다" in response.text
    not_json = SimpleUploadedFile("pack.json", b"PK\x03\x04")
    assert "JSON 형식이 아닙니다" in client.post(reverse("setup:pack", args=[office.pk]), {"pack": not_json}).text

    pack = {
        "format": "minwon-form-pack",
        "format_version": 1,
        "forms": [
            {"code": code, "title": code, "versions": [{"number": 1, "schema": factories.SCHEMA}]}
            for code in ("form-a", "form-b")
        ],
    }
    upload = SimpleUploadedFile("pack.json", json.dumps(pack).encode())
    assert client.post(reverse("setup:pack", args=[office.pk]), {"pack": upload}).status_code == 302
    assert FormTemplate.objects.count() == 2

    chosen = FormTemplate.objects.get(code="form-b")
    client.post(reverse("setup:forms", args=[office.pk]), {"forms": [str(chosen.pk)]})
    assert list(office.forms.all()) == [chosen]
    client.post(reverse("setup:forms", args=[office.pk]), {"all": "1"})
    assert office.forms.count() == 2

    page = client.get(reverse("setup:office", args=[office.pk])).text
    assert "http://testserver/q/" in page and "data-qr-origin-warning" in page
    posters = client.get(reverse("setup:posters", args=[office.pk]))
    # Its two counters, then the office-wide link for filling at home and the lobby's arrival code.
    assert len(PdfReader(io.BytesIO(posters.content)).pages) == 2 + 2
    page = client.get(reverse("setup:office", args=[office.pk])).text
    assert page.count('data-done="1"') == 4  # no officers yet

    # The lobby TV's address, to open on the TV, which has no log-in.
    tv = re.search(r'href="http://testserver(/console/lobby/[^"]+/)" data-lobby-tv', page)
    assert tv is not None
    assert "호출을 기다리고 있습니다" in Client().get(tv.group(1)).text


def test_resident_page_shows_logo_hours_and_notice(client):
    office = factories.office("hanbit-gu", name="한빛구청")
    office.notice = "주차장은 지하 2층"
    office.open_days = "1234567"
    office.hours_note = "공휴일 휴무"
    office.save()
    page = client.get(reverse("intake:office", args=["hanbit-gu"])).text
    assert "오늘 09:00–18:00" in page and "공휴일 휴무" in page and "주차장은 지하 2층" in page
    assert "office-logo" not in page
    office.open_days = ""
    office.save()
    page = client.get(reverse("intake:office", args=["hanbit-gu"])).text
    assert "오늘은 쉬는 날입니다" in page and "월·화·수·목·금·토·일 휴무" in page
    assert client.get(reverse("intake:office_logo", args=["hanbit-gu"])).status_code == 404


def test_office_admin_checks_the_logo_too(client, installer):
    office = factories.office("hanbit-gu", name="한빛구청")
    url = reverse("admin:intake_office_change", args=[office.pk])
    data = {k: v for k, v in _office_form().items() if k != "counters"}
    management = {
        "counters-TOTAL_FORMS": "0",
        "counters-INITIAL_FORMS": "0",
        "counters-MIN_NUM_FORMS": "0",
        "counters-MAX_NUM_FORMS": "1000",
    }
    fake = SimpleUploadedFile("logo.jpg", b"GIF89a....", content_type="image/jpeg")
    response = client.post(url, {**data, **management, "logo_upload": fake})
    assert response.status_code == 200 and "PNG나 JPG 그림 파일만" in response.text
    client.post(url, {**data, **management, "logo_upload": _png()})
    office.refresh_from_db()
    assert office.logo.name.endswith(".png")
