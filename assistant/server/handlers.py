"""Turn every failure into the API's one error shape: ``{"error": {"type", "message", "details"}}``.

The library's ``InputError`` family carries its own HTTP status; anything else is a failure while working: it is
logged with its traceback and the client gets a plain 500 without one.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assistant.errors import (
    IndexMismatchError,
    InputError,
    NotFoundError,
    TooLargeError,
    UnsupportedTypeError,
)
from assistant.server.schemas import ErrorResponse

log = logging.getLogger(__name__)

_TYPE_BY_CLASS: list[tuple[type[InputError], str]] = [
    (NotFoundError, "not_found"),
    (TooLargeError, "too_large"),
    (UnsupportedTypeError, "unsupported_type"),
    (IndexMismatchError, "index_mismatch"),
    (InputError, "invalid_input"),
]

_TYPE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_type",
    422: "validation_error",
    503: "unavailable",
}

# Documented on every route so /openapi.json names the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": desc}
    for code, desc in [
        (400, "Malformed request: a body that cannot be decoded, or a bad Content-Length."),
        (401, "Missing or wrong bearer token (only when the server has a token)."),
        (413, "Body or text over the configured limit."),
        (422, "Invalid request; `error.details` names each bad field."),
        (500, "Failure while working (logged on the server)."),
    ]
}


def error_json(
    status: int, type_: str, message: str, details: list[dict[str, str]] | None = None, **kw
) -> JSONResponse:
    """A JSON response in the API's error shape."""
    body = {"error": {"type": type_, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status, **kw)


def error_type(exc: InputError) -> str:
    """The error ``type`` string of a library input error."""
    return next(name for cls, name in _TYPE_BY_CLASS if isinstance(exc, cls))


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape."""

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Only location and message: echoing the input back could return megabytes of someone's text.
        details = [{"loc": _loc(e.get("loc", ())), "msg": str(e.get("msg", "invalid"))} for e in exc.errors()]
        message = "; ".join(f"{d['loc']}: {d['msg']}" for d in details[:5]) or "invalid request"
        if len(details) > 5:
            message += f" (and {len(details) - 5} more)"
        return error_json(422, "validation_error", message, details)

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        type_ = error_type(exc)
        return error_json(exc.status_code, type_, str(exc) or type_.replace("_", " "))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        type_ = _TYPE_BY_STATUS.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else type_.replace("_", " ")
        return error_json(exc.status_code, type_, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_json(500, "internal_error", "the server failed while working; the error was logged")
