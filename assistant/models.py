"""The typed records that flow through the pipeline.

Document -> Chunk -> Passage (score) -> Citation -> Answer / CheckReport.
Stored shapes live here; the server's request/response shapes live in ``assistant.server.schemas``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

DocumentKind = Literal["pdf", "html", "markdown", "text", "csv"]
Language = Literal["zh", "en", "mixed", "unknown"]


class PageSpan(BaseModel):
    """Where one PDF page lies in the document's extracted text (character offsets, end exclusive)."""

    page: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class RowSpan(BaseModel):
    """Where one CSV row's record lies in the document's extracted text."""

    row: int = Field(ge=1, description="1-based data row number (header excluded).")
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class LoadedDocument(BaseModel):
    """What a loader extracts from one file, before chunking."""

    text: str
    kind: DocumentKind
    title: str
    language: Language = "unknown"
    date: str | None = Field(None, description="Publication date as ISO 'YYYY-MM-DD' (or 'YYYY-MM') when known.")
    url: str | None = None
    pages: list[PageSpan] = Field(default_factory=list)
    rows: list[RowSpan] = Field(default_factory=list)


class Document(BaseModel):
    """A document in the registry."""

    id: str
    title: str
    source_path: str
    url: str | None = None
    kind: DocumentKind
    language: Language
    date: str | None = None
    pages: int | None = None
    chunks: int
    chars: int
    content_hash: str
    ingested_at: datetime


class Chunk(BaseModel):
    """A span of a document's extracted text. Invariant: ``text == document_text[start:end]``."""

    id: str
    doc_id: str
    ordinal: int = Field(ge=0)
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = None
    row: int | None = None
    dense: bool = True


class SearchFilters(BaseModel):
    """Metadata filters for retrieval. All given fields must match."""

    model_config = {"extra": "forbid"}

    source: str | None = Field(None, description="Substring of the source path, title or URL.")
    language: Language | None = None
    kind: DocumentKind | None = None
    date_from: str | None = Field(None, description="Inclusive ISO date prefix, e.g. '2025-01'.")
    date_to: str | None = None
    doc_ids: list[str] | None = None
    exclude_doc_ids: list[str] | None = Field(None, description="Documents to leave out (e.g. the draft itself).")


class Passage(BaseModel):
    """A retrieved chunk with its document and scores."""

    chunk: Chunk
    document: Document
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = Field(None, description="Cosine similarity of the query and chunk vectors.")
    lexical_score: float | None = Field(None, description="BM25 score of the chunk for the query.")


class Citation(BaseModel):
    """A quoted span of a source. ``quote == document_text[start:end]``; the UI highlights exactly that."""

    number: int = Field(ge=1)
    doc_id: str
    title: str
    source: str = Field(description="Source path or URL.")
    page: int | None = None
    row: int | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str

    @classmethod
    def quoting(
        cls, number: int, doc: Document, text: str, start: int, end: int, *, page: int | None = None,
        row: int | None = None,
    ) -> Citation:
        """The citation of ``text[start:end]``, ``text`` being the whole extracted text of ``doc``."""
        return cls(
            number=number, doc_id=doc.id, title=doc.title, source=doc.url or doc.source_path, page=page, row=row,
            start=start, end=end, quote=text[start:end],
        )


class ToolCall(BaseModel):
    """One calculator call made while answering: name, arguments and the result model as JSON."""

    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    text: str = Field("", description="The result rendered in the question's language.")
    citations: list[int] = Field(default_factory=list, description="Citation numbers backing tool inputs.")


class Answer(BaseModel):
    """The answer to one question."""

    question: str
    status: Literal["answered", "not_found"]
    route: Literal["retrieval", "tool"]
    text: str
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Closest passages when not found.")
    tool_calls: list[ToolCall] = Field(default_factory=list)
    language: Language
    timings_ms: dict[str, float] = Field(default_factory=dict)
    read_as: str | None = Field(
        None, description="How a follow-up question was read with the conversation's earlier turns (None: as asked)."
    )
    indexing: str | None = Field(
        None,
        description="Set when documents were still being indexed as the question was answered (how far it had got, "
        "e.g. 'embed 120/900'): the answer, a not_found above all, may change once indexing finishes.",
    )


class IngestFailure(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    """What one ingest run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[IngestFailure] = Field(default_factory=list)
    chunks_added: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0


class DocumentText(BaseModel):
    """A slice of a document's extracted text (for showing a citation in context)."""

    doc_id: str
    title: str
    source: str
    start: int
    end: int
    text: str
    total_chars: int


class StatedFigure(BaseModel):
    """A figure as written in a text, with its normalised value."""

    text: str
    value: float
    unit: str | None = None
    start: int
    end: int
    hedge: str | None = Field(None, description="about / more than / less than / up to, when the text hedges.")


class Claim(BaseModel):
    """One checkable figure in a draft and its verdict."""

    text: str = Field(description="The sentence holding the figure.")
    start: int
    end: int
    figure: StatedFigure
    subject: str = Field(description="What is measured, as found in the sentence.")
    verdict: Literal["supported", "contradicted", "unverifiable"]
    source_figure: StatedFigure | None = Field(None, description="The source's figure when contradicted.")
    evidence: list[Citation] = Field(default_factory=list)
    reason: str = ""


class ArithmeticCheck(BaseModel):
    """A relation the draft implies between its own figures, or a calculation it writes out, recomputed."""

    text: str
    start: int
    end: int
    relation: Literal["product", "sum", "ratio", "percentage_change", "speedup", "restatement", "written"] = Field(
        description="restatement: the draft states one quantity twice with values that disagree; written: a "
        'calculation written out in the draft ("2048 × 60 × 24 = 2,949,120").'
    )
    stated: float
    computed: float
    consistent: bool
    explanation: str
    expression: str = Field("", description="The calculation as written (relation 'written').")
    stated_text: str = Field("", description="The result the draft gives, as written (relation 'written').")
    computed_text: str = Field("", description="The recomputed result, written like the stated one.")


class CheckReport(BaseModel):
    """The result of checking a draft."""

    claims: list[Claim] = Field(default_factory=list)
    arithmetic: list[ArithmeticCheck] = Field(default_factory=list)
    language: Language = "unknown"
    timings_ms: dict[str, float] = Field(default_factory=dict)

    @property
    def overall(self) -> Literal["supported", "contradicted", "unverifiable"]:
        """The draft's verdict: contradicted if any claim is, else supported if any claim is, else unverifiable."""
        verdicts = {c.verdict for c in self.claims}
        if "contradicted" in verdicts:
            return "contradicted"
        return "supported" if "supported" in verdicts else "unverifiable"
