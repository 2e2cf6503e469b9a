"""CSV downloads that Excel on Korean Windows opens correctly, and safely.

Every CSV the project writes goes through here. A cell that starts with
= + - @ (or a tab or carriage return, which Excel skips before looking) is
read by spreadsheet programs as a formula: an unmask reason typed as
`=HYPERLINK("http://…", "열기")` would become a live link in the
access-log export. Such text cells get a leading apostrophe, which shows the
text as typed and is never evaluated (OWASP "CSV injection"). Numbers are
left alone, negative ones included.
"""

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as a spreadsheet will show it, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Sequence[object]]) -> Iterable[list[Any]]:
    return ([cell(v) for v in row] for row in rows)


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """A csv.DictWriter row (the archive bundle's manifest), never a formula."""
    return {k: cell(v) for k, v in row.items()}


def excel_csv(rows: Iterable[Sequence[object]], filename: str) -> HttpResponse:
    # Without the BOM Excel reads the file as CP949 and the Korean is garbled.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv.writer(response).writerows(safe_rows(rows))
    return response
