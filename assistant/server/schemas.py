"""Wire shapes of the HTTP API: what clients send and receive.

Stored records (``Document``) are kept apart from what the API shows (``DocumentInfo``): the registry's absolute
paths and hashes are the server's business, and uploaded files show their original name instead of the generated one.
Results that are already wire-friendly (``Answer``, ``CheckReport``, ``DocumentText``, ``IngestReport``) are
returned as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.ask.followup import MAX_ANSWER_CHARS, MAX_TURNS
from assistant.models import DocumentKind, IngestReport, Language, SearchFilters

ALLOWED_UPLOAD_SUFFIXES: tuple[str, ...] = (".pdf", ".html", ".htm", ".md", ".markdown", ".txt", ".csv")


class ErrorBody(BaseModel):
    """What went wrong, in words a person can act on. Never a stack trace."""

    type: str = Field(
        description="Stable machine-readable kind, e.g. 'validation_error', 'not_found', 'too_large'."
    )
    message: str = Field(description="Human-readable explanation.")
    details: list[ErrorDetail] = Field(
        default_factory=list, description="Per-field problems for validation errors."
    )


class ErrorDetail(BaseModel):
    """One field that failed validation."""

    loc: str = Field(description="Where the problem is, e.g. 'body.question' or 'query.start'.")
    msg: str


class ErrorResponse(BaseModel):
    """Every non-2xx response of the API has this shape."""

    error: ErrorBody


ErrorBody.model_rebuild()


class HistoryTurn(BaseModel):
    """One earlier turn of the conversation: the question asked and the answer's text."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="The earlier question as asked.")
    answer: str = Field("", max_length=MAX_ANSWER_CHARS, description="The earlier answer's text.")


class AskRequest(BaseModel):
    """A question, optionally narrowed to some documents, optionally following earlier turns of a conversation."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="The question, in Chinese or English.")
    filters: SearchFilters | None = Field(None, description="Optional metadata filters for retrieval.")
    history: list[HistoryTurn] = Field(
        default_factory=list,
        max_length=MAX_TURNS,
        description="Earlier turns, oldest first: a follow-up ('And Qwen3?') is read with them "
        "(see Answer.read_as).",
    )


class CheckRequest(BaseModel):
    """A draft whose figures should be checked against the sources."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The draft text (plain text or Markdown).")


Stage = Literal["accepted", "reading", "searching", "found", "writing", "done"]


class StageEvent(BaseModel):
    """SSE ``stage`` event: where the answer is, with the time spent so far.

    ``reading`` carries the question as read (``read_as``, set when a follow-up was rewritten), ``found`` the
    number of passages a search returned (``passages``).
    """

    stage: Stage
    elapsed_ms: float
    read_as: str | None = None
    passages: int | None = None


class DeltaEvent(BaseModel):
    """SSE ``delta`` event: the next piece of the answer text. Concatenated deltas equal ``Answer.text``."""

    text: str


class DocumentInfo(BaseModel):
    """A document as the API shows it."""

    id: str
    title: str
    source: str = Field(description="The URL, the path relative to the corpus, or the uploaded file's name.")
    kind: DocumentKind
    language: Language
    date: str | None = None
    pages: int | None = None
    chunks: int
    chars: int
    ingested_at: datetime
    uploaded_name: str | None = Field(None, description="Original file name when the document was uploaded.")


class DocumentList(BaseModel):
    """Every indexed document."""

    documents: list[DocumentInfo]


class UploadResponse(BaseModel):
    """What happened to an uploaded file."""

    document: DocumentInfo | None = Field(
        description="The indexed document; null if its content was already known."
    )
    report: IngestReport


class ToolInfo(BaseModel):
    """A calculator the API exposes at ``POST /api/tools/{name}``."""

    name: str
    description: str
    parameters: dict[str, Any] = Field(description="JSON schema of the request body.")


class ToolList(BaseModel):
    """Every calculator."""

    tools: list[ToolInfo]


class ToolResponse(BaseModel):
    """A calculator's result: the structured result, its formula and sources, and the result in words."""

    name: str
    result: dict[str, Any] = Field(description="The calculator's result model as JSON.")
    text_en: str = ""
    text_zh: str = ""


class Health(BaseModel):
    """Liveness and a little state."""

    status: Literal["ok", "starting"]
    documents: int | None = Field(None, description="Indexed documents; null while the index is opening.")
    seeding: bool = Field(description="True while the bundled corpus is being ingested on first start.")
