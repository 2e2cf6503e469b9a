import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .models import Counter


def counter_url(request: HttpRequest | None, counter: Counter) -> str:
    return absolute_url(request, reverse("intake:counter_entry", args=[counter.qr_token]))


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


def png(url: str) -> bytes:
    image = _qr(url).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
