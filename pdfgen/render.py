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
  flattens it to a small grey-level image at print resolution first;
- the document's own style sheets: WeasyPrint parses every <style> of every
  document, ~15 ms for the archive's; a sheet it has parsed once is kept
  (_find_stylesheets), so only the few per-record rules are parsed each time.
"""

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint.css
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


# Parsed <style> sheets by (text, base URL, media type, font configuration): the
# archive's shared rules, and each custom layout's (pdfgen.models.PdfLayout).
_PARSED_STYLES: OrderedDict[tuple[str, str | None, str, int], tuple[Any, CSS]] = OrderedDict()
_PARSED_STYLES_MAX = 32
_parsed_styles_lock = threading.Lock()
_weasyprint_find_stylesheets = weasyprint.css.find_stylesheets


# At-rules that write into the document being rendered (@counter-style, @color-profile,
# @layer) or fetch files (@font-face, @import): a sheet with one is parsed per document.
_DOCUMENT_AT_RULES = ("@counter-style", "@color-profile", "@layer", "@font-face", "@import")


def _parse_alone(source: dict[str, Any]) -> CSS | None:
    """The sheet parsed into containers of its own, or None when it has rules that need the document's."""
    if any(rule in source["string"].lower() for rule in _DOCUMENT_AT_RULES):
        return None
    own_counters: dict[str, Any] = {}
    own_profiles: dict[str, Any] = {}
    sheet = CSS(**source, counter_style=own_counters, color_profiles=own_profiles)
    # Written some other way (a CSS escape): parsed again as WeasyPrint would.
    return None if own_counters or own_profiles or sheet.layers else sheet


def _kept_sheet(source: dict[str, Any]) -> CSS | None:
    """The sheet parsed earlier for the same text, base URL, media and fonts; else parsed now and kept if it may be."""
    key = (source["string"], source["base_url"], source["media_type"], id(source["font_config"]))
    with _parsed_styles_lock:
        kept = _PARSED_STYLES.get(key)
        if kept is not None and kept[0] is source["font_config"]:
            _PARSED_STYLES.move_to_end(key)
            return kept[1]
    sheet = _parse_alone(source)
    if sheet is not None:
        with _parsed_styles_lock:
            _PARSED_STYLES[key] = (source["font_config"], sheet)
            while len(_PARSED_STYLES) > _PARSED_STYLES_MAX:
                _PARSED_STYLES.popitem(last=False)
    return sheet


def _find_stylesheets(*args: Any) -> Iterator[CSS]:
    """weasyprint.css.find_stylesheets, with each <style> sheet parsed once per worker.

    A parsed sheet is read-only when documents are laid out (WeasyPrint reuses
    the ones passed as `stylesheets` the same way). A kept sheet has its @page
    rules in its own list instead of the document's shared one, which WeasyPrint
    reads sheet by sheet in order: the cascade is the same. Documents with a
    <link> sheet, and sheets with rules that need the document (_parse_alone),
    go through WeasyPrint's own code.
    """
    from weasyprint.css import get_child_text, media_queries

    wrapper_element, media_type, url_fetcher, base_url, font_config, counters, profiles, page_rules, layers = args
    if wrapper_element.query("link") is not None:
        yield from _weasyprint_find_stylesheets(*args)
        return
    for wrapper in wrapper_element.query_all("style"):
        element = wrapper.etree_element
        # As WeasyPrint: only text/css, only for the media being rendered.
        if element.get("type", "text/css").split(";", 1)[0].strip() != "text/css":
            continue
        media = [medium.strip() for medium in (element.get("media", "").strip() or "all").split(",")]
        if not media_queries.evaluate_media_query(media, media_type):
            continue
        source = {
            "string": get_child_text(element),
            "base_url": base_url,
            "url_fetcher": url_fetcher,
            "media_type": media_type,
            "font_config": font_config,
        }
        yield _kept_sheet(source) or CSS(
            **source, counter_style=counters, page_rules=page_rules, color_profiles=profiles, layers=layers
        )


# get_all_computed_styles looks the function up in its module at every render.
weasyprint.css.find_stylesheets = _find_stylesheets


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
