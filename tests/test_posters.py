import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake import qr
from intake.models import Counter

from . import factories

pytestmark = pytest.mark.django_db


def test_posters_one_a4_page_per_counter_with_its_qr_url(client, officer, office, settings):
    settings.PUBLIC_BASE_URL = "https://minwon.example.go.kr"
    client.force_login(officer)
    response = client.get(reverse("officer_console:posters", args=[office.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    counters = list(Counter.objects.filter(office=office).order_by("number"))
    # A page per counter, then the office-wide link for filling at home and the lobby's arrival code.
    assert len(reader.pages) == len(counters) + 2 == 4
    for page, counter in zip(reader.pages[:2], counters, strict=True):
        text = page.extract_text()
        assert f"{counter.number}번 창구" in text and office.name in text
        assert "QR 코드를 찍어" in text and "Scan the QR code" in text
        assert f"https://minwon.example.go.kr/q/{counter.qr_token}/" in text.replace("\n", "")
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    before_visit, lobby = (p.extract_text().replace("\n", "") for p in reader.pages[2:])
    assert (
        "방문 전 작성" in before_visit and f"https://minwon.example.go.kr/o/{office.slug}/before-visit/" in before_visit
    )
    assert (
        "도착 확인" in lobby
        and f"https://minwon.example.go.kr/o/{office.slug}/arrive/{qr.lobby_token(office)}/" in lobby
    )


def test_posters_are_for_that_offices_staff(client, office, other_office):
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.get(reverse("officer_console:posters", args=[office.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("officer_console:posters", args=[office.pk])).status_code == 302
