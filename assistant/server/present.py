"""Turn stored records into what the API shows: uploaded files appear under their original names."""

from __future__ import annotations

from pathlib import Path

from assistant.models import Answer, CheckReport, Citation, Document, DocumentText
from assistant.server.schemas import DocumentInfo
from assistant.server.uploads import UploadStore


def _label(title: str, source: str, uploads: UploadStore) -> tuple[str, str]:
    """(title, source) to show; an upload's generated file name is replaced by the name the user gave it."""
    meta = uploads.meta_for(source)
    if meta is None:
        return title, source
    # A loader falls back to the file stem for a title; that stem is our generated name, meaningless to a reader.
    if title.strip() in {"", Path(source).stem, Path(source).name}:
        title = meta.original_name
    return title, meta.original_name


def document_info(doc: Document, uploads: UploadStore) -> DocumentInfo:
    """The API's view of a registry document."""
    title, source = _label(doc.title, doc.url or doc.source_path, uploads)
    meta = uploads.meta_for(doc.source_path)
    return DocumentInfo(
        id=doc.id,
        title=title,
        source=source,
        kind=doc.kind,
        language=doc.language,
        date=doc.date,
        pages=doc.pages,
        chunks=doc.chunks,
        chars=doc.chars,
        ingested_at=doc.ingested_at,
        uploaded_name=meta.original_name if meta else None,
    )


def _citation(c: Citation, uploads: UploadStore) -> Citation:
    title, source = _label(c.title, c.source, uploads)
    if (title, source) == (c.title, c.source):
        return c
    return c.model_copy(update={"title": title, "source": source})


def answer_view(answer: Answer, uploads: UploadStore, indexing: str | None = None) -> Answer:
    """An answer with upload names in its citations, marked as given from a partial index when ``indexing``
    (the progress of an ingest still running) is set."""
    return answer.model_copy(
        update={
            "citations": [_citation(c, uploads) for c in answer.citations],
            "related": [_citation(c, uploads) for c in answer.related],
            "indexing": indexing,
        }
    )


def check_view(report: CheckReport, uploads: UploadStore) -> CheckReport:
    """A check report with upload names in its evidence."""
    claims = [
        claim.model_copy(update={"evidence": [_citation(c, uploads) for c in claim.evidence]})
        for claim in report.claims
    ]
    return report.model_copy(update={"claims": claims})


def text_view(text: DocumentText, uploads: UploadStore) -> DocumentText:
    """A text slice with the upload's name as title and source."""
    title, source = _label(text.title, text.source, uploads)
    return text.model_copy(update={"title": title, "source": source})
