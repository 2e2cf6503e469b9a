"""CSV downloads that Excel on Korean Windows opens correctly."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse


def excel_csv(rows: Iterable[Sequence[object]], filename: str) -> HttpResponse:
    # Without the BOM Excel reads the file as CP949 and the Korean is garbled.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv.writer(response).writerows(rows)
    return response
