"""Ingest: files -> LoadedDocument -> Chunks -> vectors + tokens -> index, one document at a time.

Write protocol per document (so a kill -9 at any moment leaves every document whole or absent):
1. the registry records the new chunk ids as *pending*;
2. their vectors are upserted into Chroma (invisible to readers: no registry row points at them yet);
3. one SQLite transaction swaps the document's chunk rows and text to the new version, clears the pending
   mark and moves the old chunk ids to the trash;
4. the trash is deleted from Chroma.
On the next open (or ingest) the writer rolls back any pending vectors and empties the trash.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.errors import AssistantError, InputError
from assistant.index.store import Index
from assistant.models import Chunk, Document, IngestFailure, IngestReport, LoadedDocument
from assistant.settings import Settings

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


def document_id(path: Path) -> str:
    """Stable id of the document at ``path`` (derived from its resolved location)."""
    return hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def ingest_paths(
    index: Index, paths: list[Path], *, prune: bool = False, progress: ProgressFn | None = None
) -> IngestReport:
    """Ingest files and folders into ``index``; see ``Assistant.ingest``."""
    from assistant.ingest.ignore import iter_files
    from assistant.ingest.loaders import load_plugins
    from assistant.ingest.versions import already_read, outdated_kinds, record_read

    load_plugins(index.settings.loaders)
    started = time.perf_counter()
    report = IngestReport()
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            report.failed.append(IngestFailure(path=str(path), error="no such file or folder"))
            continue
        files.extend(iter_files([path]))
    files = list(dict.fromkeys(files))
    with index.writer() as _:
        index.recover()
        known = index.registry.state_by_path()
        reread = outdated_kinds(index)
        seen = already_read(index, reread)
        for i, path in enumerate(files, start=1):
            try:
                _ingest_one(index, path, known, report, reread=reread, seen=seen)
            except AssistantError as exc:
                report.failed.append(IngestFailure(path=str(path), error=str(exc)))
            except (OSError, UnicodeError, ValueError, RecursionError, MemoryError) as exc:
                log.exception("failed to ingest %s", path)
                report.failed.append(IngestFailure(path=str(path), error=f"{type(exc).__name__}: {exc}"))
            if progress:
                progress("documents", i, len(files))
        if prune:
            for source, (doc_id, *_rest) in known.items():
                if not Path(source).exists():
                    stale = index.registry.remove_document(doc_id)
                    index.vectors.delete(stale)
                    index.registry.empty_trash(stale)
                    report.removed += 1
        record_read(index, reread, seen)
    index.sync()
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(
    index: Index,
    path: Path,
    known: dict,
    report: IngestReport,
    *,
    reread: frozenset[str] | set[str] = frozenset(),
    seen: set[str] | None = None,
) -> None:
    """Ingest one file unless its bytes are unchanged. A file of a kind in ``reread`` (its loader or the chunker
    changed) is read again even then (unless its id is in ``seen``), and re-indexed when its text or chunks differ
    from the stored ones. Ids of documents read with the current code are added to ``seen``."""
    from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
    from assistant.ingest.versions import same_reading

    settings = index.settings
    resolved = path.resolve()
    stat = resolved.stat()
    if stat.st_size > settings.max_file_bytes:
        raise InputError(f"file is {stat.st_size} bytes; the limit is {settings.max_file_bytes}")
    seen = set() if seen is None else seen
    previous = known.get(str(resolved))
    again = (
        previous is not None and SUPPORTED_SUFFIXES.get(resolved.suffix.lower()) in reread and previous[0] not in seen
    )
    if previous is not None and previous[2] == stat.st_size and previous[3] == stat.st_mtime_ns and not again:
        report.unchanged += 1
        return
    content_hash = _hash_file(resolved)
    doc_id = document_id(resolved)
    loaded: LoadedDocument | None = None
    chunks: list[Chunk] = []
    if previous is not None and previous[1] == content_hash:
        if again:
            loaded = load_document(resolved, settings)
            chunks = _chunks(doc_id, content_hash, loaded, settings)
            again = not same_reading(index, previous[0], loaded, chunks, _chunk_tokens(loaded, chunks))
        if not again:
            index.registry.touch_document(previous[0], stat.st_size, stat.st_mtime_ns)
            seen.add(previous[0])
            report.unchanged += 1
            return
    if loaded is None:
        loaded = load_document(resolved, settings)
        chunks = _chunks(doc_id, content_hash, loaded, settings)
    if not chunks:
        raise InputError("no text to index")
    context = _table_contexts(loaded, chunks)
    tokens = _chunk_tokens(loaded, chunks, context)
    vectors, embed_seconds, embedded = _vectors_for(index, [c for c in chunks if c.dense], loaded.title, context)
    report.embed_seconds += embed_seconds
    report.chunks_embedded += embedded
    doc = Document(
        id=doc_id, title=loaded.title, source_path=str(resolved), url=loaded.url, kind=loaded.kind,
        language=loaded.language, date=loaded.date, pages=len(loaded.pages) or None, chunks=len(chunks),
        chars=len(loaded.text), content_hash=content_hash, ingested_at=datetime.now(UTC),
    )
    dense = [c for c in chunks if c.dense]
    index.registry.begin_document(doc_id, [c.id for c in dense])
    if dense:
        meta = [{"doc_id": doc_id, "language": loaded.language, "kind": loaded.kind} for _ in dense]
        index.vectors.upsert([c.id for c in dense], vectors, meta)
    stale = index.registry.commit_document(doc, loaded.text, chunks, tokens, stat.st_size, stat.st_mtime_ns)
    if stale:
        index.vectors.delete(stale)
        index.registry.empty_trash(stale)
    report.chunks_added += len(chunks)
    seen.add(doc_id)
    if previous is None:
        report.added += 1
    else:
        report.updated += 1


def _chunks(doc_id: str, content_hash: str, loaded: LoadedDocument, settings: Settings) -> list[Chunk]:
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.versions import reading_version

    # the reading version is part of the chunk ids: unchanged bytes read into other text must not reuse old ids
    return chunk_document(doc_id, f"{content_hash}:{reading_version(loaded.kind)}", loaded, settings)


def _table_contexts(loaded: LoadedDocument, chunks: list[Chunk]) -> dict[str, str]:
    """A table's header row and headings for each chunk starting inside a Markdown table, and its record's key
    field for each chunk cut from inside a CSV record, by chunk id."""
    from assistant.ingest.chunking import record_context, table_context

    read = record_context if loaded.kind == "csv" else table_context
    return {c.id: read(loaded.text, c.start) for c in chunks}


def _chunk_tokens(loaded: LoadedDocument, chunks: list[Chunk], context: dict[str, str] | None = None) -> list[str]:
    """The lexical tokens stored for each chunk. The title travels with every chunk into both representations:
    a table row or a paragraph deep in a report rarely names its subject ("Llama 4", "DeepSeek-V3") itself. So
    does a table's header row and headings, with a chunk of its rows (chunking.table_context)."""
    from assistant.text import tokenize

    context = _table_contexts(loaded, chunks) if context is None else context
    title_tokens = tokenize(loaded.title)
    return [" ".join(title_tokens + tokenize(context.get(c.id, "")) + tokenize(c.text)) for c in chunks]


def _vectors_for(
    index: Index, chunks: list[Chunk], title: str, context: dict[str, str] | None = None
) -> tuple[np.ndarray, float, int]:
    """Vectors for ``chunks`` (each embedded with the document title and its ``context`` by chunk id), computing
    only those not cached."""
    if not chunks:
        return np.zeros((0, index.embedder.dim), dtype=np.float32), 0.0, 0
    context = context or {}
    texts = [_embed_text(title, context.get(c.id, ""), c.text) for c in chunks]
    hashes = [_text_hash(t) for t in texts]
    cached = index.registry.cached_vectors(list(dict.fromkeys(hashes)))
    missing = list(dict.fromkeys(h for h in hashes if h not in cached))
    seconds = 0.0
    if missing:
        text_of = dict(zip(hashes, texts, strict=True))
        t0 = time.perf_counter()
        fresh = index.embedder.embed_passages([text_of[h] for h in missing])
        seconds = time.perf_counter() - t0
        index.registry.cache_vectors(list(zip(missing, fresh, strict=True)))
        cached.update(zip(missing, fresh, strict=True))
    return np.vstack([cached[h] for h in hashes]), seconds, len(missing)


def _embed_text(title: str, context: str, text: str) -> str:
    """What a chunk's vector is made from: the document's title, the chunk's context when it has one, its text."""
    return f"{title}\n{context}\n{text}" if context else f"{title}\n{text}"


def embed_ahead(index: Index, path: Path, *, batch: int = 32, progress: ProgressFn | None = None) -> int:
    """Embed the dense chunks of the file at ``path`` into the registry's embedding cache, without touching the
    index, and return how many were computed. Run outside the writer lock, this lets several ingest workers
    embed at once; the locked ingest that follows finds every vector cached. The cache is filled ``batch`` by
    ``batch``, so a worker that dies mid-document leaves its finished batches for the next one."""
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.loaders import load_document

    resolved = path.resolve()
    loaded = load_document(resolved, index.settings)
    chunks = [c for c in chunk_document(document_id(resolved), _hash_file(resolved), loaded, index.settings) if c.dense]
    context = _table_contexts(loaded, chunks)
    texts = [_embed_text(loaded.title, context.get(c.id, ""), c.text) for c in chunks]  # what _vectors_for embeds
    text_of = {_text_hash(t): t for t in texts}
    cached = index.registry.cached_vectors(list(text_of))
    missing = [h for h in text_of if h not in cached]
    done = len(text_of) - len(missing)
    if progress:
        progress("embedding", done, len(text_of))
    for i in range(0, len(missing), batch):
        part = missing[i : i + batch]
        vectors = index.embedder.embed_passages([text_of[h] for h in part])
        index.registry.cache_vectors(list(zip(part, vectors, strict=True)))
        done += len(part)
        if progress:
            progress("embedding", done, len(text_of))
    return len(missing)
