"""The FastAPI face: build the app, open one Assistant in the lifespan, serve the API and the static page.

uvicorn.run(create_app(settings), host="127.0.0.1", port=8000)
uvicorn --factory assistant.server.app:app_factory --workers 2     # Settings from ASSISTANT_* env vars
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse
from starlette.staticfiles import StaticFiles

from assistant import Assistant
from assistant.server.handlers import install_error_handlers
from assistant.server.middleware import BearerTokenMiddleware, BodyLimitMiddleware, SecurityHeadersMiddleware
from assistant.server.routes import ask, documents, export, health, jobs, tools
from assistant.server.state import ServerState, start_seeding
from assistant.server.uploads import UploadStore
from assistant.settings import Settings

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
UPLOAD_PATH = "/api/documents"
# Room for the multipart envelope around the file; the file itself is held to max_upload_bytes exactly.
MULTIPART_SLACK = 64 * 1024
SEED_JOIN_S = 5.0


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The app. With ``assistant`` given the caller owns it (tests); otherwise one is opened in the lifespan,
    closed at shutdown, and an empty index is seeded from the bundled corpus in the background.
    """
    state = ServerState(
        settings=settings,
        uploads=UploadStore(settings.data_dir / "uploads", settings.max_upload_bytes),
        assistant=assistant,
        owns_assistant=assistant is None,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if state.owns_assistant:
            state.assistant = await run_in_threadpool(Assistant.open, settings=settings)
            start_seeding(state)
        try:
            yield
        finally:
            _shutdown(state)

    app = FastAPI(
        title="AI research assistant",
        version="0.1.0",
        summary="Cited answers, draft checking and calculators over AI-industry documents.",
        description=_DESCRIPTION,
        lifespan=lifespan,
        # Swagger UI and ReDoc load scripts from a CDN and need inline script: neither fits an offline page
        # with a strict CSP. /openapi.json stays.
        docs_url=None,
        redoc_url=None,
    )
    app.state.server = state
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(jobs.router)
    app.include_router(export.router)
    app.include_router(tools.build_router())

    def limit_for(method: str, path: str) -> int:
        if method == "POST" and path.rstrip("/") == UPLOAD_PATH:
            return settings.max_upload_bytes + MULTIPART_SLACK
        return settings.max_body_bytes

    # Added innermost first: the token is checked before any body is read, and CORS headers reach 401s too.
    app.add_middleware(BodyLimitMiddleware, limit_for=limit_for)
    if settings.api_token is not None:
        app.add_middleware(BearerTokenMiddleware, token=settings.api_token.get_secret_value())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeadersMiddleware)

    _serve_page(app)
    return app


def _serve_page(app: FastAPI) -> None:
    """The page at ``/`` and its files under ``/static/``. Not a mount at ``/``: that would swallow the API's
    405s and turn every unknown ``/api`` path into a static-file lookup.
    """
    index = WEB_DIR / "index.html"
    if not index.is_file():
        log.warning("no web/ folder next to the package; serving the API only")
        return
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def app_factory() -> FastAPI:
    """For ``uvicorn --factory assistant.server.app:app_factory``: Settings from the environment."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(Settings())


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema plus the SSE event models, which no route returns as JSON."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        # FastAPI adds a plain string schema to any streamed response; the event stream's itemSchema says more.
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                for response in operation.get("responses", {}).values():
                    stream = response.get("content", {}).get("text/event-stream")
                    if stream and "itemSchema" in stream:
                        stream.pop("schema", None)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in ask.STREAM_EVENT_MODELS:
            components.setdefault(
                model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}")
            )
        app.openapi_schema = schema
    return app.openapi_schema


def _shutdown(state: ServerState) -> None:
    if not state.owns_assistant or state.assistant is None:
        return
    thread = state.seed_thread
    if thread is not None and thread.is_alive():
        thread.join(SEED_JOIN_S)
        if thread.is_alive():
            # Closing the index under a running ingest would corrupt it; the process exit ends the thread.
            log.warning("seed ingest still running at shutdown; leaving the index open")
            return
    state.assistant.close()
    state.assistant = None


_DESCRIPTION = """
Every error has the shape `{"error": {"type": "...", "message": "...", "details": [{"loc": "...", "msg": "..."}]}}`
(`details` only for validation errors). Types: `validation_error` 422, `invalid_input` 422, `not_found` 404,
`too_large` 413, `unsupported_type` 415, `index_mismatch` 409, `unauthorized` 401, `internal_error` 500.

When the server has an API token, every `/api/` route needs `Authorization: Bearer TOKEN`; `/healthz`, the page
and this schema stay open.
"""
