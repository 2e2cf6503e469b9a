"""Attachments (file and seal fields): checked by content, never by name.

Images are decoded with Pillow (refusing decompression bombs) and re-encoded,
which drops EXIF metadata such as the GPS position of the phone's photo.
"""

import hashlib
import io
import uuid
from typing import Any

import pypdfium2 as pdfium
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from forms_catalog.schema import Field
from forms_catalog.schema.validators import (
    DEFAULT_MAX_SIZE_MB,
    SEAL_CONTENT_TYPES,
    FieldError,
    accepted_types,
    type_names,
)

from . import sealed

# Decoding and re-encoding cost grows with the pixels and, for PNG, with the
# rows: a 76 KB PNG of 1 x 39 M pixels took 3 s of CPU. Both are read from the
# header and checked before a byte is decoded; at these bounds the worst image
# costs about 0.6 s. A phone photo at the camera's default size (12-24 MP,
# 4000-6000 px on the long side) passes.
MAX_PIXELS = 25_000_000
MAX_SIDE = 10_000


def _sniff(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


def _clean_image(data: bytes, content_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
                raise FieldError(_("사진이 너무 큽니다. 휴대전화 카메라의 기본 크기로 다시 찍어 주세요."))
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/jpeg":
                upright.convert("RGB").save(out, "JPEG", quality=88)
            else:
                upright.save(out, "PNG", optimize=True)
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FieldError(_("사진이 너무 큽니다. 휴대전화 카메라의 기본 크기로 다시 찍어 주세요.")) from None
    except (OSError, ValueError, SyntaxError):
        raise FieldError(_("사진 파일을 열 수 없습니다. 다른 사진을 골라 주세요.")) from None


LOGO_MAX_SIDE = 800


def clean_logo(upload: UploadedFile) -> tuple[bytes, str]:
    """An office logo checked by content like any upload, shrunk for screens and posters: (PNG/JPEG bytes, extension)."""
    if (upload.size or 0) > 5 * 1024 * 1024:
        raise FieldError("로고 파일이 너무 큽니다. 5MB 이하의 PNG나 JPG로 올려 주세요.")
    data = upload.read()
    content_type = _sniff(data[:16])
    if content_type not in SEAL_CONTENT_TYPES:
        raise FieldError("로고는 PNG나 JPG 그림 파일만 올릴 수 있습니다. 파일 형식을 확인해 주세요.")
    data = _clean_image(data, content_type)
    with Image.open(io.BytesIO(data)) as image:
        if max(image.size) > LOGO_MAX_SIDE:
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "PNG" if content_type == "image/png" else "JPEG", optimize=True)
            data = out.getvalue()
    return data, "png" if content_type == "image/png" else "jpg"


def pdf_pages(data: bytes) -> int:
    """Pages of an uploaded PDF: the photocopies the paper process would have made."""
    try:
        return max(1, len(PdfReader(io.BytesIO(data)).pages))
    except (PdfReadError, ValueError, OSError):
        raise FieldError(_("PDF 파일을 열 수 없습니다. 파일이 손상되지 않았는지 확인하고 다시 올려 주세요.")) from None


def pdf_page_png(data: bytes, index: int, width: int = 1400) -> bytes:
    """Page `index` (from 0) of a stored PDF as a PNG `width` pixels wide, for screens and the archive.

    Rendered with PDFium (Chromium's PDF engine) on the server: the browser
    gets a plain image, whatever the PDF holds (scripts, forms, links).
    """
    document = pdfium.PdfDocument(data)
    try:
        page = document[index]
        try:
            bitmap = page.render(scale=width / max(1.0, page.get_width()))
            out = io.BytesIO()
            bitmap.to_pil().convert("RGB").save(out, "PNG")
            return out.getvalue()
        finally:
            page.close()
    finally:
        document.close()


def store(field: Field, upload: UploadedFile) -> dict[str, Any]:
    """Check and store one upload; return the metadata kept in the form data."""
    max_mb = field.max_size_mb if field.max_size_mb is not None else float(DEFAULT_MAX_SIZE_MB)
    size = upload.size or 0
    if size > max_mb * 1024 * 1024:
        raise FieldError(
            _("파일이 너무 큽니다. %(max)sMB 이하로 올려 주세요. (지금 %(size)sMB)")
            % {"max": f"{max_mb:g}", "size": f"{size / 1048576:.1f}"}
        )
    data = upload.read()
    accept = accepted_types(field)
    content_type = _sniff(data[:16])
    if not content_type or content_type not in accept:
        raise FieldError(
            _("올릴 수 없는 파일 형식입니다. %(kinds)s 파일을 올려 주세요.") % {"kinds": type_names(accept)}
        )
    pages = 1
    if content_type.startswith("image/"):
        data = _clean_image(data, content_type)
    else:
        pages = pdf_pages(data)
    ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[content_type]
    # Sealed at rest: an ID copy is as personal as the number on it.
    name = sealed.save(f"uploads/{uuid.uuid4().hex}.{ext}", data)
    original = (upload.name or f"file.{ext}")[-100:]
    return {
        "file": name,
        "name": original,
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "pages": pages,
    }
