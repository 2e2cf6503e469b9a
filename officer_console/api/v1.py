"""/api/v1/: the back office's view of one office, with django-ninja.

ninja turns the typed signatures and pydantic schemas below into the OpenAPI
schema (`/api/v1/openapi.json`) and its docs page (`/api/v1/docs`), so the
schema cannot drift from the code; schemathesis tests the served schema
against the running views (tests/test_api_schema.py, `make api-fuzz`).

Every operation takes a bearer token (auth.py); which office and which
submission it may see is decided in officer_console/access.py, what it may do
by the token's scopes. Status changes go through the same staff services and
lifecycle as the console, so they reach the console and the phone live.
"""

import datetime
import functools
import hashlib
import inspect
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from forms_catalog.models import FormTemplate
from intake.crypto import DecryptionError
from pdfgen import storage as archive_storage
from pdfgen.models import ArchivedDocument

from .. import access
from ..console import services as staff
from ..models import AccessLog
from . import errors, readers
from .auth import TokenAuth, require, token_of
from .errors import ApiError, ErrorOut
from .models import Scope
from .schemas import (
    ArchiveOut,
    Day,
    FormDetail,
    FormOut,
    OfficeOut,
    RejectIn,
    Status,
    StatusIn,
    SubmissionOut,
    SubmissionPage,
    SubmissionSummary,
    VersionOut,
)

DESCRIPTION = """민원 처리 현황과 신청 내용을 행정시스템(새올 등)으로 넘기는 API입니다.
The back-office API of one office: its forms, its submissions, status changes and archived PDFs.

Send the token as `Authorization: Bearer mwk_…`. Errors are JSON `{"code", "message"}` with a
stable `code` (docs/API.md). A token is limited to API_RATE_LIMIT requests per window; a 429
says when to try again in `Retry-After`."""


class Utf8Renderer(JSONRenderer):
    # Korean as Korean, not \uXXXX escapes: the body is UTF-8 (Content-Type says so).
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="종이 없는 민원실 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Swagger(settings={"persistAuthorization": False}),
    renderer=Utf8Renderer(),
)
errors.install(api)

ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
BIGINT = 2**63 - 1
FORM_CODE = r"^[-a-zA-Z0-9_]{1,64}$"
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The archived PDF/A-3b; `X-Archive-SHA256` is its SHA-256",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def strict_query(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse query parameters the operation does not take: a back office sending `stauts=called`
    must hear of its typo, not get every submission back."""
    known = set(inspect.signature(view).parameters) - {"request", "body"}

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise ApiError(422, "invalid_request", f"알 수 없는 쿼리 매개변수입니다: {', '.join(unknown)}")
        return view(request, *args, **kwargs)

    return checked


# --- offices and forms ----------------------------------------------------------


@api.get("/offices", response={200: list[OfficeOut], **ERRORS}, tags=["offices"], summary="The token's office")
@strict_query
def list_offices(request: HttpRequest) -> list[OfficeOut]:
    return [readers.office(token_of(request).account.office)]


@api.get("/offices/{office_id}", response={200: OfficeOut, **ERRORS}, tags=["offices"])
@strict_query
def get_office(request: HttpRequest, office_id: int = Path(..., ge=1, le=BIGINT)) -> OfficeOut:
    return readers.office(access.get_office_for_token(token_of(request), office_id))


@api.get("/forms", response={200: list[FormOut], **ERRORS}, tags=["forms"], summary="Forms the office offers")
@strict_query
def list_forms(request: HttpRequest) -> list[FormOut]:
    office = token_of(request).account.office
    return [readers.form(t) for t in office.forms.order_by("code")]


def _form(request: HttpRequest, code: str) -> FormTemplate:
    template = token_of(request).account.office.forms.filter(code=code).first()
    if template is None:
        raise ApiError(404, "not_found", f"이 기관에서 제공하지 않는 서식입니다: {code}")
    return template


@api.get("/forms/{code}", response={200: FormDetail, **ERRORS}, tags=["forms"])
@strict_query
def get_form(request: HttpRequest, code: str = Path(..., pattern=FORM_CODE)) -> FormDetail:
    return readers.form_detail(_form(request, code))


@api.get("/forms/{code}/versions/{number}", response={200: VersionOut, **ERRORS}, tags=["forms"])
@strict_query
def get_form_version(
    request: HttpRequest, code: str = Path(..., pattern=FORM_CODE), number: int = Path(..., ge=1, le=2**31 - 1)
) -> VersionOut:
    version = readers.issued_versions(_form(request, code)).filter(number=number).first()
    if version is None:
        raise ApiError(404, "not_found", f"{code} 서식에 버전 {number}이(가) 없습니다.")
    return readers.version(version)


# --- submissions -----------------------------------------------------------------


def _narrowest(pick: Callable[..., datetime.date], *days: datetime.date | None) -> datetime.date | None:
    given = [d for d in days if d]
    return pick(given) if given else None


@api.get("/submissions", response={200: SubmissionPage, **ERRORS}, tags=["submissions"])
@strict_query
def list_submissions(
    request: HttpRequest,
    office_id: int | None = Query(None, ge=1, le=BIGINT),
    status: Status | None = None,
    date: Day | None = Query(None, description="service day (Korea), YYYY-MM-DD"),
    date_from: Day | None = None,
    date_to: Day | None = None,
    form: str | None = Query(None, pattern=FORM_CODE, description="form code"),
    cursor: int | None = Query(None, ge=0, le=BIGINT, description="`next_cursor` of the page before"),
    limit: int = Query(50, ge=1, le=200),
) -> SubmissionPage:
    """The office's submissions, oldest first, `limit` at a time (cursor pagination: new
    submissions never shift a page already read)."""
    token = require(request, Scope.READ_QUEUE)
    office = access.get_office_for_token(token, office_id) if office_id else token.account.office
    qs = staff.search(
        office.pk,
        status=status or "",
        form_code=form or "",
        # `date` is one service day, date_from/date_to a range: each narrows the other.
        date_from=_narrowest(max, date, date_from),
        date_to=_narrowest(min, date, date_to),
    )
    if cursor is not None:
        qs = qs.filter(pk__gt=cursor)
    page = list(qs.order_by("pk")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    # Keyset pagination on the id: a page read stays as read while new submissions arrive.
    next_cursor = page[-1].pk if more else None
    return SubmissionPage(items=[readers.summary(s) for s in page], next_cursor=next_cursor)


@api.get("/submissions/{submission_id}", response={200: SubmissionOut, **ERRORS}, tags=["submissions"])
@strict_query
def get_submission(request: HttpRequest, submission_id: int = Path(..., ge=1, le=BIGINT)) -> SubmissionOut:
    """One submission's data: personal numbers masked unless the token has `read_personal`.
    Every read is in the office's access log under the token's name."""
    token = require(request, Scope.READ_SUBMISSION)
    submission = access.get_submission_for_token(token, submission_id)
    unmasked = token.allows(Scope.READ_PERSONAL)
    readers.log(
        token,
        request,
        AccessLog.Action.UNMASK if unmasked else AccessLog.Action.VIEW,
        submission,
        "API read_personal" if unmasked else "API",
    )
    return readers.detail(submission, unmasked=unmasked)


@api.post(
    "/submissions/{submission_id}/status",
    response={200: SubmissionSummary, 400: ErrorOut, 409: ErrorOut, **ERRORS},
    tags=["submissions"],
)
@strict_query
def change_status(
    request: HttpRequest, body: StatusIn, submission_id: int = Path(..., ge=1, le=BIGINT)
) -> SubmissionSummary:
    """처리중 (`processing`, from called), 완료 (`completed`) or 반려 (`rejected`, with `reason`):
    the same lifecycle moves as the console, shown live on the console and the resident's phone.
    A move the state does not allow is 409 with the lifecycle's code."""
    token = require(request, Scope.CHANGE_STATUS)
    submission = access.get_submission_for_token(token, submission_id)
    actor = token.account.user
    if isinstance(body, RejectIn):
        staff.reject(submission.pk, actor, body.reason)
    elif body.status == "processing":
        staff.take_for_processing(submission.pk, actor)
    else:
        staff.complete(submission.pk, actor)
    return readers.summary(access.get_submission_for_token(token, submission_id))


def _archive(request: HttpRequest, submission_id: int) -> ArchivedDocument:
    token = require(request, Scope.DOWNLOAD_ARCHIVE)
    submission = access.get_submission_for_token(token, submission_id)
    doc = ArchivedDocument.objects.filter(submission=submission).first()
    if doc is None:
        raise ApiError(404, "not_found", "이 신청의 보관 PDF가 아직 없습니다.")
    return doc


@api.get("/submissions/{submission_id}/archive", response={200: ArchiveOut, **ERRORS}, tags=["archive"])
@strict_query
def get_archive(request: HttpRequest, submission_id: int = Path(..., ge=1, le=BIGINT)) -> ArchiveOut:
    doc = _archive(request, submission_id)
    done = doc.status == ArchivedDocument.Status.DONE and bool(doc.file.name)
    return ArchiveOut(
        status=doc.status,  # type: ignore[arg-type]
        sha256=doc.sha256 or None,
        size=doc.size or None,
        rendered_revision=doc.rendered_revision,
        rendered_at=doc.rendered_at,
        download_url=reverse("api:archive_pdf", kwargs={"submission_id": submission_id}) if done else None,
    )


@api.get(
    "/submissions/{submission_id}/archive.pdf",
    response={409: ErrorOut, **ERRORS},
    tags=["archive"],
    url_name="archive_pdf",
    openapi_extra=PDF_RESPONSE,
)
@strict_query
def get_archive_pdf(request: HttpRequest, submission_id: int = Path(..., ge=1, le=BIGINT)) -> HttpResponse:
    """The archived PDF, which prints the 주민등록번호 like the paper it replaces: each download
    is in the access log under the token's name."""
    doc = _archive(request, submission_id)
    if doc.status != ArchivedDocument.Status.DONE or not doc.file.name:
        raise ApiError(409, "archive_not_ready", "보관 PDF를 만드는 중입니다. 잠시 뒤에 다시 받아 주세요.")
    try:
        pdf = archive_storage.read_pdf(doc)
    except (DecryptionError, OSError):
        pdf = b""
    if hashlib.sha256(pdf).hexdigest() != doc.sha256:
        raise ApiError(409, "archive_altered", "보관 PDF가 기록된 SHA-256과 다릅니다. 관리자에게 알려 주세요.")
    token = token_of(request)
    readers.log(token, request, AccessLog.Action.DOWNLOAD, doc.submission, "API download_archive")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.submission.reference}.pdf"'
    response["X-Archive-SHA256"] = doc.sha256
    return response
