"""Signature and seal images prepared for print (kept out of render.py so the
web process never imports WeasyPrint)."""

import base64
import io

from PIL import Image

# 60 mm wide at 250 dpi is plenty for a signature on paper.
PRINT_IMAGE_BOX = (600, 240)


def print_image(data: bytes) -> str:
    """A signature or seal image as a small grey-level PNG data URI for print.

    Phone canvases give 1-3 MP RGBA PNGs of mostly transparent pixels. Flattened
    on white, scaled to the printed size and made bi-level (ink or paper, as a
    fax or a seal scanner would), a signature weighs about 1-2 KB in the PDF
    instead of 10-20 KB; at 250 dpi the edges still print smooth.
    """
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgba = image.convert("RGBA")
    page = Image.new("RGBA", rgba.size, "white")
    page.alpha_composite(rgba)
    grey = page.convert("L")
    grey.thumbnail(PRINT_IMAGE_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No optimize=True: WeasyPrint decodes this PNG and compresses the pixels again for the
    # PDF, so squeezing this intermediate file cost 5 ms per image and changed no byte of the archive.
    grey.point(lambda v: 255 if v > 170 else 0).convert("1").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def data_url_bytes(value: str) -> bytes:
    _, _, payload = value.partition(",")
    return base64.b64decode(payload)


# An attachment page printed on A4 at about 150 dpi: sharp enough to read an ID card or a letter.
APPENDIX_IMAGE_BOX = (1240, 1754)


def appendix_image(data: bytes) -> str:
    """An uploaded photo or a rendered PDF page as a JPEG data URI for the archive's 첨부 서류 pages.

    The original file is embedded in the PDF as well (exact bytes); this is the
    copy any viewer shows, so it only needs to read well on paper.
    """
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgb = image.convert("RGB")
    rgb.thumbnail(APPENDIX_IMAGE_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=80, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()
