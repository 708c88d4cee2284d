"""Checks shared by several test files (import them; fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any


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
