"""The alert SMS carries the ticket's address, and from there the 접수증 is one tap away."""

import pytest
from django.urls import reverse

from intake import alerts
from officer_console.console import services as staff

from . import factories, test_alerts

pytestmark = pytest.mark.django_db
fake_solapi = test_alerts.fake_solapi


def test_the_alert_links_the_ticket_which_links_the_receipt(client, settings, office, version, officer, fake_solapi):
    settings.PUBLIC_BASE_URL = "https://minwon.example.go.kr"
    submission = factories.submitted(office, version)
    alerts.register_phone(submission, "01098765432")
    staff.call(submission.pk, officer, office.counters.first())
    assert test_alerts._run_alert_tasks() == ["sent"]
    text = fake_solapi[0]["body"]["messages"][0]["text"]
    link = f"https://minwon.example.go.kr/t/{submission.public_token}/"
    assert text.endswith(" " + link)
    ticket = client.get(link.removeprefix("https://minwon.example.go.kr")).content.decode()
    receipt = reverse("pdfgen:receipt", args=[submission.public_token])
    assert f'href="{receipt}"' in ticket
    assert submission.reference in client.get(receipt).content.decode()
