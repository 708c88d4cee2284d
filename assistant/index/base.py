"""Protocols the rest of the library programs against, so tests can pass small fakes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.models import Document, Passage, SearchFilters


class Embedder(Protocol):
    """Turns text into unit-length vectors; queries and passages may be encoded differently (e5 prefixes)."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class Retriever(Protocol):
    """What answering and checking need from the index."""

    def search(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]: ...

    def document(self, doc_id: str) -> Document: ...

    def document_text(self, doc_id: str) -> str: ...

    def documents(self) -> list[Document]: ...


@runtime_checkable
class LexicalSearch(Protocol):
    """A retriever that also searches by BM25 alone (no query embedding)."""

    def search_lexical(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]: ...


@runtime_checkable
class TermStatistics(Protocol):
    """A retriever that tells the index's inverse document frequency of terms."""

    def term_idf(self, terms: list[str]) -> dict[str, float]: ...


class VectorCache(Protocol):
    """Vectors stored by text hash (the registry's embedding cache)."""

    def cached_vectors(self, text_hashes: list[str]) -> dict[str, np.ndarray]: ...

    def cache_vectors(self, items: list[tuple[str, np.ndarray]]) -> None: ...


@runtime_checkable
class EmbeddingRetriever(Retriever, Protocol):
    """A retriever whose embedder (and its cache) can embed short texts beside the stored chunks."""

    embedder: Embedder
    registry: VectorCache
