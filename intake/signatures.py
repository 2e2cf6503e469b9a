"""Signatures made on the server: a typed name drawn as an image."""

import base64
import io
from pathlib import Path

from django.conf import settings

TYPED_SIGNATURE_MAX = 30
# A PNG text chunk marks a typed signature, so the archive can say how each was made.
METHOD_KEY = "signature-method"


def typed_signature(name: str) -> str:
    """A typed name drawn as a signature image (PNG data URL, like the finger pad's).

    The keyboard and no-JavaScript alternative to drawing: under the
    전자서명법 (2020) an electronic signature need not be handwritten, only
    attached by the signer to show they sign; the resident is identified at
    the counter anyway. The image says it was typed, so nobody mistakes it
    for a drawn one.
    """
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    text = " ".join(name.split())[:TYPED_SIGNATURE_MAX]
    font_dir = Path(settings.PDF_FONT_DIR)
    image = Image.new("LA", (600, 220), (255, 0))
    draw = ImageDraw.Draw(image)
    draw.text((30, 50), text, font=ImageFont.truetype(str(font_dir / "NanumGothicBold.ttf"), 72), fill=(17, 255))
    draw.text(
        (30, 170),
        "(입력 서명 · typed signature)",
        font=ImageFont.truetype(str(font_dir / "NanumGothic.ttf"), 24),
        fill=(80, 255),
    )
    buffer = io.BytesIO()
    info = PngInfo()
    info.add_text(METHOD_KEY, "typed")
    image.save(buffer, format="PNG", optimize=True, pnginfo=info)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def method_of(data_url: str) -> str:
    """ "typed" for a signature drawn by typed_signature, else "drawn" (the finger pad's)."""
    from PIL import Image, UnidentifiedImageError

    _, _, payload = str(data_url).partition(",")
    try:
        with Image.open(io.BytesIO(base64.b64decode(payload))) as image:
            return "typed" if getattr(image, "text", {}).get(METHOD_KEY) == "typed" else "drawn"
    except (ValueError, UnidentifiedImageError):
        return "drawn"
