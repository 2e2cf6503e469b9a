"""A4 QR posters for an office: one page per counter, one for filling at home, one for the lobby."""

import base64

from django.http import HttpRequest
from django.template.loader import render_to_string

from intake import qr
from intake.models import Office

from .render import render_plain_pdf


def _qr_image(url: str) -> dict[str, str]:
    return {"url": url, "qr": qr.data_uri(url)}


def posters_pdf(request: HttpRequest | None, office: Office) -> bytes:
    """A page per counter, then the office-wide link for filling at home and the lobby's arrival code."""
    pages = [{"counter": c, **_qr_image(qr.counter_url(request, c))} for c in office.counters.order_by("number")]
    logo = ""
    if office.logo:
        with office.logo.open("rb") as f:
            logo = f"data:{office.logo_content_type};base64,{base64.b64encode(f.read()).decode()}"
    context = {
        "office": office,
        "pages": pages,
        "logo": logo,
        "before_visit": _qr_image(qr.home_url(request, office)),
        "lobby": _qr_image(qr.lobby_url(request, office)),
    }
    return render_plain_pdf(render_to_string("pdfgen/posters.html", context))
