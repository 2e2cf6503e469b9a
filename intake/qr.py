import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Counter, Office


def counter_url(request: HttpRequest | None, counter: Counter) -> str:
    return absolute_url(request, reverse("intake:counter_entry", args=[counter.qr_token]))


def home_url(request: HttpRequest | None, office: Office) -> str:
    """The office-wide link for filling a form before the visit (posters, the office page)."""
    return absolute_url(request, reverse("intake:office_home", args=[office.slug]))


def lobby_token(office: Office) -> str:
    # Fixed per office and site secret, like a printed counter code: a phone
    # scanning it says it is at the office.
    return salted_hmac("intake.lobby_entry", str(office.pk)).hexdigest()[:16]


def lobby_token_matches(office: Office, token: str) -> bool:
    return constant_time_compare(lobby_token(office), token)


def lobby_url(request: HttpRequest | None, office: Office) -> str:
    """The lobby's arrival code: checks in what the phone filled at home, no counter chosen."""
    return absolute_url(request, reverse("intake:lobby_entry", args=[office.slug, lobby_token(office)]))


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """A path as the full address a phone's camera opens (PUBLIC_BASE_URL behind a proxy)."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    if request is None:
        raise ValueError("PUBLIC_BASE_URL is needed to make a QR code outside a request.")
    return request.build_absolute_uri(path)


def _qr(url: str) -> qrcode.QRCode:
    # Level M survives a scuffed or partly covered poster at a busy counter.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def svg(url: str) -> bytes:
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def data_uri(url: str) -> str:
    """The QR code as an inline SVG image (a page or PDF with no further request)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(url)).decode()


def png(url: str) -> bytes:
    image = _qr(url).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
