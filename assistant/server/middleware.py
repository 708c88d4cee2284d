"""Plain ASGI middleware: security headers, request body limits and the optional bearer token.

They are plain ASGI (not ``BaseHTTPMiddleware``) so streaming responses pass through untouched and a request is
refused before its body is read.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The page loads only its own files; inline script is refused, so injected markup could not run even if it
# reached the DOM.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


async def send_json_error(
    send: Send, status: int, type_: str, message: str, headers: dict[str, str] | None = None
):
    """Send a complete JSON error response in the API's error shape."""
    body = json.dumps({"error": {"type": type_, "message": message, "details": []}}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds CSP and friends to every response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body grows past its limit; the API's handlers turn it into a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"request body is larger than the limit of {limit} bytes")


class BodyLimitMiddleware:
    """Refuses request bodies over a limit chosen per request (uploads get a larger one than JSON).

    A declared Content-Length over the limit is refused before the app runs; a body without one (chunked) is
    counted as it arrives, and ``BodyTooLarge`` stops the read.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await send_json_error(send, 400, "bad_request", "Content-Length is not a number")
                return
            if too_big:
                await send_json_error(send, 413, "too_large", BodyTooLarge(limit).detail)
                return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            # Normally the API's exception handlers answer; this covers reads outside a route.
            if started:
                raise
            await send_json_error(send, 413, "too_large", exc.detail)


class BearerTokenMiddleware:
    """When a token is configured, ``/api/`` requires ``Authorization: Bearer TOKEN``.

    The check runs before the body is read, so an unauthenticated client cannot make the server buffer an upload.
    Static files, ``/healthz`` and ``/openapi.json`` stay open; CORS preflight requests pass.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/") or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        scheme, _, given = Headers(scope=scope).get("authorization", "").partition(" ")
        # compare_digest keeps the comparison time independent of where the strings differ.
        ok = hmac.compare_digest(given.strip().encode("utf-8", "replace"), self.expected)
        if scheme.lower() != "bearer" or not ok:
            await send_json_error(
                send, 401, "unauthorized", "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
            )
            return
        await self.app(scope, receive, send)
