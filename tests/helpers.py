"""Checks shared by several test files (import them; fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest


def assert_consistent(assistant: Any) -> None:
    """Every document is whole: its registry chunk rows number ``doc.chunks`` and quote its text exactly; the
    vector store holds exactly the dense chunks; no ingest is left pending."""
    registry = assistant.index.registry
    dense = 0
    for doc in assistant.documents():
        text = assistant.index.document_text(doc.id)
        rows = registry.chunk_rows(c.id for c, _ in registry.chunks_for([doc.id]))
        assert len(rows) == doc.chunks, f"{doc.id}: {len(rows)} chunk rows, document says {doc.chunks}"
        for chunk in rows.values():
            assert chunk.text == text[chunk.start : chunk.end]
            dense += chunk.dense
    assert assistant.index.vectors.count() == dense
    assert registry.pending() == {}


def server_or_skip(env_var: str, what: str) -> str:
    """The URL of a test server from ``env_var``. Locally a missing server skips the test; in CI (``CI=true``),
    which starts the servers, it fails it, so the server tests cannot silently stop running."""
    url = os.environ.get(env_var)
    if not url:
        message = f"no {what} (set {env_var})"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}: CI must start it (.ci/run)")
        pytest.skip(message)
    return url


@contextlib.contextmanager
def fresh_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new, empty schema, dropped afterwards."""
    import psycopg

    base = server_or_skip("ASSISTANT_TEST_DATABASE_URL", "PostgreSQL server")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


class OneChunkRetriever:
    """A fake index of small documents, each one chunk: ``docs`` maps an id to (title, path, text). A search
    returns every document, best word overlap first (``char_overlap`` breaks ties by shared characters, for
    Chinese), honours ``doc_ids`` and ``exclude_doc_ids`` and records its queries. No embedder and no idf: only words decide."""

    def __init__(self, docs: dict[str, tuple[str, str, str]], *, char_overlap: bool = False) -> None:
        from datetime import datetime

        from assistant.models import Document

        self.texts = {did: text for did, (_, _, text) in docs.items()}
        self.char_overlap = char_overlap
        self.queries: list[str] = []
        self.docs = {
            did: Document(
                id=did, title=title, source_path=path, kind="text", language="en", chunks=1, chars=len(text),
                content_hash=did, ingested_at=datetime(2025, 1, 1),
            )
            for did, (title, path, text) in docs.items()
        }  # fmt: skip

    def search(self, query: str, *, k: int = 8, filters: Any = None) -> list[Any]:
        from assistant.models import Chunk, Passage

        within = set(filters.doc_ids) if filters is not None and filters.doc_ids is not None else None
        # a search inside named documents is another search than the same words over the whole index
        self.queries.append(query if within is None else f"{query} [in {' '.join(sorted(within))}]")
        excluded = set(filters.exclude_doc_ids or []) if filters else set()
        out = []
        for did, text in self.texts.items():
            if did in excluded or (within is not None and did not in within):
                continue
            chunk = Chunk(id=f"{did}#0", doc_id=did, ordinal=0, text=text, start=0, end=len(text))
            score = float(len(set(query.lower().split()) & set(text.lower().split())))
            if self.char_overlap:
                score += len(set(query) & set(text)) / 100
            out.append(Passage(chunk=chunk, document=self.docs[did], score=score))
        out.sort(key=lambda p: -p.score)
        return out[:k]

    def document(self, doc_id: str) -> Any:
        return self.docs[doc_id]

    def document_text(self, doc_id: str) -> str:
        return self.texts[doc_id]

    def documents(self) -> list[Any]:
        return list(self.docs.values())
