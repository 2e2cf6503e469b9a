"""Bar charts as inline SVG, drawn on the server.

The same markup goes into the web page and into the PDF (WeasyPrint draws
inline SVG), so a printed report shows exactly what the screen showed. Each
chart names itself (title/desc for screen readers); the page puts the data
table beside it.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 52
PRIMARY, REFERENCE, GRID, TEXT = "#256EF4", "#DE3412", "#DFE2E5", "#1E2124"
FONT = "'Archive', 'Pretendard GOV', 'NanumGothic', sans-serif"


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


def nice_ceiling(value: float) -> float:
    """Smallest 1, 2, 2.5 or 5 × 10^k at or above value: round axis maxima."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    decimals: int = 0,
    reference: Reference | None = None,
) -> SafeString:
    """A vertical bar chart; None values are gaps (no data), not zeros."""
    known = [v for v in values if v is not None]
    top = nice_ceiling(max([*known, reference.value if reference else 0, 0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(values), 1)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    parts = _grid(top, y) + _bars(labels, values, unit, decimals, band, y)
    if reference is not None:
        parts.append(_reference_line(reference, decimals, y))
    parts.append(f'<text x="{LEFT}" y="{TOP - 10}" text-anchor="start">({escape(unit)})</text>')
    desc = _describe(labels, values, unit, decimals, reference)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="12" '
        'fill="{text}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        font=FONT,
        text=TEXT,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),  # noqa: S308 (every piece of text above is escaped)
    )


def _grid(top: float, y: Callable[[float], float]) -> list[str]:
    parts = []
    for tick in range(5):
        v = top * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_number(v, 0 if v == int(v) else 1)}</text>'
        )
    return parts


def _bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    decimals: int,
    band: float,
    y: Callable[[float], float],
) -> list[str]:
    parts = []
    plot_bottom = HEIGHT - BOTTOM
    every = max(1, math.ceil(len(labels) / 12))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        cx = LEFT + band * (i + 0.5)
        if value is not None:
            bar_w = band * 0.7
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y(value):.1f}" width="{bar_w:.1f}" '
                f'height="{plot_bottom - y(value):.1f}" fill="{PRIMARY}"><title>{escape(label)}: '
                f"{_number(value, decimals)} {escape(unit)}</title></rect>"
            )
            if len(values) <= 12:
                parts.append(
                    f'<text x="{cx:.1f}" y="{y(value) - 4:.1f}" text-anchor="middle">{_number(value, decimals)}</text>'
                )
        if i % every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{plot_bottom + 18}" text-anchor="middle">{escape(label)}</text>')
    return parts


def _reference_line(reference: Reference, decimals: int, y: Callable[[float], float]) -> str:
    ry = y(reference.value)
    return (
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ry:.1f}" y2="{ry:.1f}" stroke="{REFERENCE}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{WIDTH - RIGHT}" y="{ry - 6:.1f}" text-anchor="end" fill="{REFERENCE}">'
        f"{escape(reference.label)}: {_number(reference.value, decimals)}</text>"
    )


def _describe(
    labels: Sequence[str], values: Sequence[float | None], unit: str, decimals: int, reference: Reference | None
) -> str:
    """One sentence for screen readers; the full figures are in the table beside the chart."""
    pairs = [(label, v) for label, v in zip(labels, values, strict=True) if v is not None]
    if not pairs:
        return "자료가 없습니다. (No data.)"
    high = max(pairs, key=lambda p: p[1])
    low = min(pairs, key=lambda p: p[1])
    text = (
        f"{len(pairs)}개 항목. 가장 높은 값 {high[0]} {_number(high[1], decimals)} {unit}, "
        f"가장 낮은 값 {low[0]} {_number(low[1], decimals)} {unit}."
    )
    if reference is not None:
        text += f" 기준선 {reference.label} {_number(reference.value, decimals)} {unit}."
    return text
