"""Every error leaves the server as JSON `{"error": <message>, "code": <code>}`.

Services raise `ApiError`; the handlers here translate it and every framework error
(validation, unknown route, database down, bugs) into that one shape.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.services import activity
from terrain_protocol.errors import ErrorBody, ErrorCode, ErrorDetail
from terrain_protocol.wire import printable

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal the client can understand: an HTTP status, a code and a human message."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        details: list[ErrorDetail] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers


def error_response(
    status: int,
    code: ErrorCode,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    # Messages may echo input (a key, a tag): spell out what JSON could not encode.
    shown = [
        ErrorDetail(path=printable(d.path), message=printable(d.message)) for d in details or ()
    ]
    body = ErrorBody(error=printable(message), code=code, details=shown or None)
    return JSONResponse(
        status_code=status, content=body.model_dump(mode="json", exclude_none=True), headers=headers
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, ErrorCode.INVALID_JSON, "The request body is not valid JSON.")
    details = [
        ErrorDetail(path=_location(e["loc"]), message=str(e["msg"]).removeprefix("Value error, "))
        for e in errors
    ]
    first = details[0] if details else ErrorDetail(path="", message="invalid")
    message = f"Invalid request: {first.path}: {first.message}"
    return error_response(422, ErrorCode.VALIDATION_ERROR, message, details)


_HTTP_CODES = {
    404: (ErrorCode.NOT_FOUND, "Not found."),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed."),
    413: (ErrorCode.PAYLOAD_TOO_LARGE, "The request is too large."),
}


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_CODES.get(exc.status_code, (ErrorCode.VALIDATION_ERROR, str(exc.detail)))
    if exc.status_code == 413 and exc.detail:
        message = str(exc.detail)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, code, message, headers=headers)


async def _database_down(_: Request, exc: Exception) -> JSONResponse:
    """Connection failures, lock and statement timeouts: temporary, nothing was applied."""
    log.warning("database unavailable: %s", exc)
    return error_response(
        503,
        ErrorCode.DATABASE_UNAVAILABLE,
        "The database is unavailable or busy; nothing was changed. Try again shortly.",
        headers={"Retry-After": "2"},
    )


async def _unstorable(_: Request, exc: Exception) -> JSONResponse:
    """A value the database refused as data (out of range, unrepresentable): the caller's."""
    log.warning("data refused by the database: %s", exc)
    return error_response(
        422, ErrorCode.VALIDATION_ERROR, "The request holds a value that cannot be stored."
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    sessions = getattr(request.app.state, "sessionmaker", None)
    if sessions is not None:  # for the activity log's count of server errors
        route = getattr(request.scope.get("route"), "path", "unmatched")
        address = request.client.host if request.client else None
        error = type(exc).__name__
        await run_in_threadpool(
            activity.server_error, sessions, request.method, route, error, address
        )
    return error_response(500, ErrorCode.INTERNAL_ERROR, "Something went wrong on the server.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(DBAPIError, _unexpected)
    app.add_exception_handler(Exception, _unexpected)
