"""What the API answers with: typed, so the OpenAPI schema follows from the code."""

import datetime
import re
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field


def _iso_day(value: Any) -> Any:
    # pydantic alone reads "0" or "1700000000" as a date (seconds since 1970); a day here is YYYY-MM-DD.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("YYYY-MM-DD 형식으로 적어 주세요.")
    return value


Day = Annotated[datetime.date, BeforeValidator(_iso_day)]
# Opening times as the office's wall clock ("09:00"), not a time of day with a zone.
Clock = Annotated[str, Field(pattern=r"^\d{2}:\d{2}$")]

Status = Literal[
    "submitted", "called", "correction", "completed", "rejected", "no_show", "withdrawn", "processing", "expired"
]


class OfficeOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str
    kind: str
    opens_at: Clock
    closes_at: Clock
    open_days: str = Field(description="ISO weekdays it opens, 1 = Monday … 7 = Sunday")
    counters: list[int]


class BackofficeField(Schema):
    code: str
    field: str
    label: str = ""


class FormOut(Schema):
    code: str
    title: str
    title_en: str
    category: str
    legal_basis: str
    retention_years: int
    published_version: int | None
    service_terms: dict[str, Any] = Field(description="처리기간 and 수수료 of the published version")
    backoffice_fields: list[BackofficeField]


class VersionSummary(Schema):
    number: int
    status: Literal["draft", "published", "retired"]
    published_at: datetime.datetime | None
    retired_at: datetime.datetime | None


class FormDetail(FormOut):
    versions: list[VersionSummary]


class VersionOut(VersionSummary):
    form: str
    paper_sheets: int
    service_terms: dict[str, Any]
    form_schema: dict[str, Any] = Field(description="The version's fields (docs/FORM_PACKS.md)")


class SubmissionSummary(Schema):
    id: int
    reference: str
    office_id: int
    form: str
    form_version: int
    status: Status
    status_label: str
    revision: int
    ticket: int
    service_date: datetime.date
    submitted_at: datetime.datetime
    called_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    due_at: datetime.datetime | None
    counter: int | None


class SubmissionPage(Schema):
    items: list[SubmissionSummary]
    next_cursor: int | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class FieldOut(Schema):
    key: str
    section: str
    label: str
    type: str
    value: str | None
    masked: bool


class BackofficeValue(Schema):
    code: str
    label: str
    value: str
    masked: bool


class SubmissionOut(SubmissionSummary):
    masked: bool = Field(description="true: personal numbers are masked (the token lacks read_personal)")
    status_note: str
    fields: list[FieldOut]
    backoffice: list[BackofficeValue]


class MoveIn(Schema):
    status: Literal["processing", "completed"]


class RejectIn(Schema):
    status: Literal["rejected"]
    # Some text, and no NUL (PostgreSQL cannot store it in a text column).
    reason: str = Field(
        min_length=1,
        max_length=1000,
        pattern=r"^[^\x00]*[^\x00\s][^\x00]*$",
        description="반려 사유 (shown to the resident)",
    )


# 처리중 or 완료; or 반려 with its reason.
StatusIn = Annotated[MoveIn | RejectIn, Field(discriminator="status")]


class ArchiveOut(Schema):
    status: Literal["pending", "done", "failed"]
    sha256: str | None
    size: int | None
    rendered_revision: int
    rendered_at: datetime.datetime | None
    download_url: str | None
