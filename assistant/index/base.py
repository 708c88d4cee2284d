"""Protocols the rest of the library programs against, so tests can pass small fakes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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
