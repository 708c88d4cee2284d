"""Listing, reading and uploading documents."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile, status

from assistant import Assistant
from assistant.errors import InputError
from assistant.models import DocumentText
from assistant.server.handlers import ERROR_RESPONSES
from assistant.server.present import document_info, text_view
from assistant.server.schemas import ALLOWED_UPLOAD_SUFFIXES, DocumentList, ErrorResponse, UploadResponse
from assistant.server.state import ServerState, get_assistant, get_state

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
    if start is not None or end is not None:
        # An empty slice costs nothing and tells the length, so a window around a citation never overruns.
        total = assistant.document_text(doc_id, 0, 0).total_chars
        end = total if end is None else min(end, total)
        start = min(start or 0, end)
    return text_view(assistant.document_text(doc_id, start, end), state.uploads)


@router.post(
    "",
    response_model=UploadResponse,
    status_code=status.HTTP_201_CREATED,
    responses={415: {"model": ErrorResponse, "description": "File type not accepted."}},
    summary="Upload a file and index it",
)
def upload_document(
    assistant: AssistantDep,
    state: StateDep,
    file: Annotated[UploadFile, File(description=f"One file: {', '.join(ALLOWED_UPLOAD_SUFFIXES)}.")],
) -> UploadResponse:
    """Save the file under a generated name inside the data folder and ingest it. The original name is kept only
    as a label. Refused: other types (415), files over the upload limit (413), files that cannot be read (422).
    """
    saved = state.uploads.save(file.file, file.filename)
    try:
        with state.ingest_lock:
            report = assistant.ingest([saved])
    except BaseException:
        state.uploads.discard(saved)
        raise
    if report.failed:
        state.uploads.discard(saved)
        reason = report.failed[0].error
        raise InputError(f"the file could not be read: {reason}")
    doc = next((d for d in assistant.documents() if Path(d.source_path).name == saved.name), None)
    if doc is None:
        # Same content as a document already indexed: nothing new, so the copy is not kept.
        state.uploads.discard(saved)
    log.info("upload %s: %s", saved.name, report.model_dump(exclude={"failed"}))
    return UploadResponse(document=document_info(doc, state.uploads) if doc else None, report=report)
