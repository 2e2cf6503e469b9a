"""HTML → PDF/A-3b with WeasyPrint.

Where the time goes, measured with bench/pdf_bench.py and cProfile:
- font set-up (fontconfig + @font-face parsing): done once per worker here;
- font subsetting: HarfBuzz when libharfbuzz-subset0 is installed (the
  Makefile installs it), otherwise fontTools at ~7x the cost;
- table layout: an automatic table measures the min-content width of every
  cell, and Korean text may break after any syllable, so that is one text
  shaping pass per syllable. The templates use fixed table layout with
  explicit column widths,
  which removes that pass entirely;
- images: a phone signature canvas is a large RGBA PNG; images.print_image
  flattens it to a small grey-level image at print resolution first.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "submission.json"


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str


FONT_SETS = {
    # Nanum Gothic: a Korean-only TrueType font, ~17x smaller in the PDF than Noto Sans CJK.
    "korean": FontSet("NanumGothic.ttf", "NanumGothicBold.ttf"),
    # Used by the benchmark as the Latin baseline.
    "latin": FontSet("../liberation/LiberationSans-Regular.ttf", "../liberation/LiberationSans-Bold.ttf"),
}


@lru_cache(maxsize=1)
def _allowed_roots() -> tuple[Path, ...]:
    """Folders a document may read from: the project's static files and the PDF fonts."""
    roots = [Path(settings.PDF_FONT_DIR), Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    roots += [Path(app.path) / "static" for app in apps.get_app_configs()]
    roots += [
        (Path(settings.PDF_FONT_DIR) / f).resolve().parent for fs in FONT_SETS.values() for f in (fs.regular, fs.bold)
    ]
    return tuple(root.resolve() for root in roots)


class LocalFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to data: URLs and files under _allowed_roots().

    A PDF layout is a template that a form administrator writes. Without this,
    `<a rel="attachment" href="file:///etc/passwd">` embedded any file the
    worker can read in the archive, and `<img src="http://…">` made the
    server send requests to other hosts. Anything else is refused (WeasyPrint
    then leaves the image or attachment out) and logged.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in _allowed_roots()):
                return super().fetch(url, headers)
        logger.warning("A PDF document asked for %.200s: refused (only static files, fonts and data: URLs)", url)
        raise ValueError(f"not allowed in a PDF: {url[:200]}")


@lru_cache(maxsize=4)
def _fonts(font_set: str = "korean") -> tuple[FontConfiguration, CSS]:
    """Font set-up is costly and the same for every document: do it once per worker."""
    fonts = FONT_SETS[font_set]
    font_dir = Path(settings.PDF_FONT_DIR)
    regular = (font_dir / fonts.regular).resolve()
    bold = (font_dir / fonts.bold).resolve()
    config = FontConfiguration()
    css = CSS(
        string=(
            f"@font-face {{ font-family: 'Archive'; src: url('{regular.as_uri()}'); font-weight: normal; }}"
            f"@font-face {{ font-family: 'Archive'; src: url('{bold.as_uri()}'); font-weight: bold; }}"
        ),
        font_config=config,
        url_fetcher=LocalFetcher(),
    )
    return config, css


def render_pdf(
    html: str,
    data_for_attachment: dict[str, Any],
    *,
    font_set: str = "korean",
    files: Sequence[tuple[str, bytes]] = (),
) -> bytes:
    """The archive PDF/A-3b: the data as submission.json, and `files` (the resident's uploads) embedded as filed."""
    config, font_css = _fonts(font_set)
    attachment = Attachment(
        string=json.dumps(data_for_attachment, ensure_ascii=False, indent=2, sort_keys=True),
        name=ATTACHMENT_NAME,
        description="민원 신청 원본 데이터 (submission data)",
        relationship="Source",
    )
    uploads = [
        # PDF/A-3 allows any file embedded; the type comes from the name's extension.
        Attachment(string=content, name=name, description="민원인 첨부 서류 원본", relationship="Source")
        for name, content in files
    ]
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalFetcher()).render(
        stylesheets=[font_css], font_config=config
    )
    pdf: bytes = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=[attachment, *uploads],
        custom_metadata=True,
        pdf_tags=True,
        optimize_images=True,
    )
    return pdf


def render_plain_pdf(html: str) -> bytes:
    """A printable document that is not an archive record (posters, reports): no PDF/A, no attachment."""
    config, font_css = _fonts("korean")
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalFetcher()).render(
        stylesheets=[font_css], font_config=config
    )
    pdf: bytes = document.write_pdf(optimize_images=True)
    return pdf
