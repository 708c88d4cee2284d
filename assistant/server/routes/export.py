"""Taking results away: an answer or a check report as Markdown, the same text the CLI prints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from assistant.check.report import render_markdown
from assistant.markdown import answer_markdown
from assistant.models import Answer, CheckReport
from assistant.server.handlers import ERROR_RESPONSES

router = APIRouter(prefix="/api/export", tags=["export"])

# Errors are JSON; without saying so FastAPI would file them under the route's text/markdown.
MARKDOWN: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/markdown": {"schema": {"type": "string"}}}, "description": "Markdown text."},
    **{
        code: {
            "description": spec["description"],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
        }
        for code, spec in ERROR_RESPONSES.items()
    },
}


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


@router.post("/answer", response_class=MarkdownResponse, responses=MARKDOWN, summary="An answer as Markdown")
def export_answer(body: Answer) -> MarkdownResponse:
    """The answer (as returned by ``POST /api/ask``) as Markdown with numbered source notes: title, page or row,
    quote and source of each citation. Same text as ``assistant ask --markdown``."""
    return MarkdownResponse(answer_markdown(body))


@router.post("/check", response_class=MarkdownResponse, responses=MARKDOWN, summary="A check report as Markdown")
def export_check(body: CheckReport) -> MarkdownResponse:
    """The report (as returned by ``POST /api/check``) as Markdown: the claims table, the quotes, the arithmetic.
    Same text as ``assistant check --markdown``."""
    return MarkdownResponse(render_markdown(body))
