"""Listing, reading and uploading documents."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status
from fastapi import Path as PathParam

from assistant import Assistant
from assistant.errors import InputError, NotFoundError, UnsupportedTypeError
from assistant.models import Document, DocumentText, IngestReport
from assistant.server.handlers import ERROR_RESPONSES
from assistant.server.pages import check_span, etag
from assistant.server.present import document_info, text_view
from assistant.server.schemas import ALLOWED_UPLOAD_SUFFIXES, DocumentList, ErrorResponse, UploadResponse
from assistant.server.state import ServerState, get_assistant, get_state
from assistant.server.uploads import file_sha256

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/documents", tags=["documents"], responses=ERROR_RESPONSES)

AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StateDep = Annotated[ServerState, Depends(get_state)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No document with that id."}
}


@router.get("", response_model=DocumentList, summary="List the indexed documents")
def list_documents(assistant: AssistantDep, state: StateDep) -> DocumentList:
    """Every indexed document, with its title, source, kind, language, date and size."""
    docs = sorted(assistant.documents(), key=lambda d: (d.title.casefold(), d.id))
    return DocumentList(documents=[document_info(d, state.uploads) for d in docs])


@router.get(
    "/{doc_id}/text",
    response_model=DocumentText,
    responses=NOT_FOUND,
    summary="Read a document's text (around a citation)",
)
def document_text(
    doc_id: str,
    assistant: AssistantDep,
    state: StateDep,
    start: Annotated[int | None, Query(ge=0, description="First character (inclusive); default 0.")] = None,
    end: Annotated[
        int | None, Query(ge=0, description="Last character (exclusive); default the end.")
    ] = None,
) -> DocumentText:
    """A slice of the document's extracted text. Citations carry ``start``/``end`` in the same coordinates, so a
    client asks for a window around them and highlights ``[citation.start - slice.start, citation.end -
    slice.start)``. Bounds past the end of the text are clamped to it (the client need not know its length).
    """
    if start is not None and end is not None and end < start:
        raise InputError(f"end ({end}) is before start ({start})")
    return text_view(assistant.document_text(doc_id, start, end), state.uploads)


PNG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}}, "description": "The page as printed, the span marked when asked."},
    404: {"model": ErrorResponse, "description": "No document with that id, or no such page."},
    415: {"model": ErrorResponse, "description": "The document is not a PDF."},
}


@router.get(
    "/{doc_id}/pages/{page}",
    response_class=Response,
    responses=PNG_RESPONSES,
    summary="A PDF page as an image, with a quoted span marked",
)
def document_page(
    doc_id: str,
    page: Annotated[int, PathParam(ge=1, le=100_000, description="1-based page number.")],
    assistant: AssistantDep,
    state: StateDep,
    request: Request,
    start: Annotated[
        int | None, Query(ge=0, description="First character of the span to mark (document offsets).")
    ] = None,
    end: Annotated[int | None, Query(ge=0, description="Last character of the span (exclusive).")] = None,
) -> Response:
    """PNG of one page of a PDF document. With ``start``/``end`` (the offsets of a citation, in the document's
    extracted text) the quoted characters are marked on the page. Renders are cached; the response carries an
    ``ETag`` and may be cached by the client.
    """
    doc = next((d for d in assistant.documents() if d.id == doc_id), None)
    if doc is None:
        raise NotFoundError(f"no document with id {doc_id!r}")
    if doc.kind != "pdf":
        raise UnsupportedTypeError(f"document {doc_id} is {doc.kind}, not a PDF: it has no printed pages")
    if doc.pages is not None and page > doc.pages:
        raise NotFoundError(f"page {page} is not in this document (it has {doc.pages} pages)")
    check_span(start, end, doc.chars)
    tag = etag(doc.content_hash, page, start, end)
    headers = {"Cache-Control": "private, max-age=3600", "ETag": tag}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    quote = assistant.document_text(doc_id, start, end).text if start is not None else None
    png = state.page_renders.png(Path(doc.source_path), doc.content_hash, page, quote)
    return Response(content=png, media_type="image/png", headers=headers)


@router.post(
    "",
    response_model=UploadResponse,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": UploadResponse, "description": "The same bytes are already indexed; that document."},
        415: {"model": ErrorResponse, "description": "File type not accepted."},
    },
    summary="Upload a file and index it",
)
def upload_document(
    assistant: AssistantDep,
    state: StateDep,
    response: Response,
    file: Annotated[UploadFile, File(description=f"One file: {', '.join(ALLOWED_UPLOAD_SUFFIXES)}.")],
) -> UploadResponse:
    """Save the file under a generated name inside the data folder and ingest it. The original name is kept only
    as a label. Refused: other types (415), files over the upload limit (413), files that cannot be read (422).

    Uploading bytes that are already indexed (by anyone, under any name) adds nothing: the answer is 200 with the
    existing document and ``report.unchanged == 1``. Two clients sending the same file at once get the same
    document: the lookup and the ingest run under one lock.
    """
    if state.settings.uses_database_server:  # several processes: the upload becomes an ingest job
        from assistant.server.routes.jobs import upload_as_job

        return upload_as_job(assistant, state, response, file)
    saved = state.uploads.save(file.file, file.filename)
    digest = file_sha256(saved)
    known: Document | None = None
    try:
        with state.uploads.exclusive(), state.ingest_lock:
            known = next((d for d in assistant.documents() if d.content_hash == digest), None)
            if known is None:
                report = assistant.ingest([saved])
    except BaseException:
        state.uploads.discard(saved)
        raise
    if known is not None:
        state.uploads.discard(saved)
        response.status_code = status.HTTP_200_OK
        log.info("upload %s: same content as document %s", saved.name, known.id)
        return UploadResponse(document=document_info(known, state.uploads), report=IngestReport(unchanged=1))
    if report.failed:
        state.uploads.discard(saved)
        reason = report.failed[0].error
        raise InputError(f"the file could not be read: {reason}")
    doc = next((d for d in assistant.documents() if Path(d.source_path).name == saved.name), None)
    if doc is None:
        # Nothing was indexed from it (the ingest found no change), so the copy is not kept.
        state.uploads.discard(saved)
    log.info("upload %s: %s", saved.name, report.model_dump(exclude={"failed"}))
    return UploadResponse(document=document_info(doc, state.uploads) if doc else None, report=report)
