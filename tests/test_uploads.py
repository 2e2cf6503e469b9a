import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forms_catalog.schema import field_of
from forms_catalog.schema.validators import FieldError
from intake import uploads

FIELD = field_of({"key": "photo", "type": "file", "max_size_mb": 1})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(width: int, height: int, mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_size_limit_is_per_field_and_says_the_size():
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10), content_type="application/pdf")
    with pytest.raises(FieldError) as exc:
        uploads.store(FIELD, big)
    assert "1MB 이하로" in exc.value.message


@pytest.mark.parametrize("side", [7_000, 12_000])  # past our 40 Mpx limit; past Pillow's own
def test_an_image_bomb_is_refused_before_it_is_decoded(side):
    bomb = _png(side, side)  # tens of megapixels in a few hundred kilobytes
    assert len(bomb) < 1024 * 1024
    with pytest.raises(FieldError) as exc:
        uploads.store(FIELD, SimpleUploadedFile("photo.png", bomb))
    assert "너무 큽니다" in exc.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.jpg", b"MZ\x90\x00 a windows program"), ("doc.pdf", b"<html><script>alert(1)</script>"), ("x.png", b"")],
)
def test_type_is_read_from_the_content_not_the_name(name, content):
    with pytest.raises(FieldError) as exc:
        uploads.store(FIELD, SimpleUploadedFile(name, content, content_type="image/jpeg"))
    assert "올릴 수 없는 파일 형식" in exc.value.message


def test_a_broken_image_is_refused_with_a_clear_message():
    with pytest.raises(FieldError) as exc:
        uploads.store(FIELD, SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))
    assert "열 수 없습니다" in exc.value.message
