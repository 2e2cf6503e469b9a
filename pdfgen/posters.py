"""A4 QR posters for an office's counters, one page per counter."""

import base64

from django.http import HttpRequest
from django.template.loader import render_to_string

from intake import qr
from intake.models import Office

from .render import render_plain_pdf


def posters_pdf(request: HttpRequest | None, office: Office) -> bytes:
    pages = []
    for counter in office.counters.order_by("number"):
        url = qr.counter_url(request, counter)
        svg = base64.b64encode(qr.svg(url)).decode()
        pages.append({"counter": counter, "url": url, "qr": f"data:image/svg+xml;base64,{svg}"})
    logo = ""
    if office.logo:
        with office.logo.open("rb") as f:
            logo = f"data:{office.logo_content_type};base64,{base64.b64encode(f.read()).decode()}"
    context = {"office": office, "pages": pages, "logo": logo}
    return render_plain_pdf(render_to_string("pdfgen/posters.html", context))
