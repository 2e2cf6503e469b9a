"""Every API error as JSON with a stable `code` and a Korean message that says how to go on.

| status | codes |
| --- | --- |
| 400 | `invalid_json` (a body that is not JSON) |
| 401 | `unauthorized`, `invalid_token`, `token_revoked` |
| 403 | `scope_missing` |
| 404 | `not_found` |
| 409 | `conflict`, `fee_unsettled`, … (the lifecycle's refusals) |
| 422 | `invalid_request` (with `errors`: where and what) |
| 429 | `rate_limited` (with `Retry-After`) |
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from intake.errors import ActionRefused

from .tokens import TokenRefused


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict[str, Any]] | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


# Lifecycle refusals for a missing input are the caller's to fix (422); the rest is the state (409).
INPUT_CODES = {"reason_required", "fields_required", "target_required", "outcome_required"}

UNAUTHORIZED = "Authorization: Bearer <토큰> 헤더로 API 토큰을 보내 주세요."


def _json(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    response = api.create_response(request, {"code": code, "message": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="minwon"'
    return response


def install(api: NinjaAPI) -> None:
    """Replace ninja's error bodies with ours."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = _json(api, request, exc.status, exc.code, exc.message)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(TokenRefused)
    def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
        return _json(api, request, 401, exc.code, exc.message)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _json(api, request, 401, "unauthorized", UNAUTHORIZED)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) for part in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors
        ]
        return _json(
            api,
            request,
            422,
            "invalid_request",
            "요청 값이 맞지 않습니다. errors의 loc를 확인해 주세요.",
            errors=errors,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, 404, "not_found", "찾는 대상이 없거나 이 토큰으로 볼 수 없습니다.")

    @api.exception_handler(ActionRefused)
    def refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
        return _json(api, request, 422 if exc.code in INPUT_CODES else 409, exc.code, exc.message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own (a body that is not JSON, a method not allowed…).
        code = {400: "invalid_json", 405: "method_not_allowed"}.get(exc.status_code, "error")
        return _json(api, request, exc.status_code, code, str(exc))
