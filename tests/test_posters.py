import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

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
    assert len(reader.pages) == len(counters) == 2
    for page, counter in zip(reader.pages, counters, strict=True):
        text = page.extract_text()
        assert f"{counter.number}번 창구" in text and office.name in text
        assert "QR 코드를 찍어" in text and "Scan the QR code" in text
        assert f"https://minwon.example.go.kr/q/{counter.qr_token}/" in text.replace("\n", "")
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_posters_are_for_that_offices_staff(client, office, other_office):
    client.force_login(factories.officer(other_office, "stranger"))
    assert client.get(reverse("officer_console:posters", args=[office.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("officer_console:posters", args=[office.pk])).status_code == 302
