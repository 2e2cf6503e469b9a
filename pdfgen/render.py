"""HTML → PDF/A-3b with WeasyPrint."""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/a-3b"


@lru_cache(maxsize=1)
def _fonts() -> tuple[FontConfiguration, CSS]:
    """Font set-up is costly and the same for every document: do it once per worker."""
    font_dir = Path(settings.PDF_FONT_DIR)
    regular = font_dir / "NanumGothic.ttf"
    bold = font_dir / "NanumGothicBold.ttf"
    config = FontConfiguration()
    css = CSS(
        string=(
            f"@font-face {{ font-family: 'Archive'; src: url('{regular.as_uri()}'); font-weight: normal; }}"
            f"@font-face {{ font-family: 'Archive'; src: url('{bold.as_uri()}'); font-weight: bold; }}"
        ),
        font_config=config,
    )
    return config, css


def render_pdf(context: dict[str, Any], data_for_attachment: dict[str, Any]) -> bytes:
    html = render_to_string("pdfgen/submission.html", context)
    config, font_css = _fonts()
    attachment = Attachment(
        string=json.dumps(data_for_attachment, ensure_ascii=False, indent=2),
        name="submission.json",
        description="민원 신청 원본 데이터 (submission data)",
        relationship="Source",
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[font_css], font_config=config)
    pdf: bytes = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=[attachment],
        custom_metadata=True,
    )
    return pdf
