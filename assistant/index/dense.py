"""Exact dense search in memory, with the languages' offset taken out of cross-language scores.

A multilingual embedder places every text of one language in its own region of the space: a Chinese question
sits closer to any Chinese passage than to the English passage that answers it, so in a corpus of both, a
Chinese question about an English document finds Chinese passages on other subjects first. The offset between
two languages' regions is estimated from the index itself, as the difference of the mean vectors of its chunks
in each language; a chunk in another language than the question is moved by that difference into the
question's region before it is compared. Chunks in the question's own language are compared as they are, so a
corpus of one language ranks exactly as a plain cosine search would.

The vectors live in the dense store (Chroma); each process keeps a copy here, like the lexical index, applied
per document when the registry's generation moves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# The mean of a language with few chunks is mostly their subjects, not their language: it is drawn towards the
# mean of all chunks as if this many chunks of the whole index were added to it.
PRIOR_CHUNKS = 50.0


class DenseIndex:
    """Chunk vectors by document, searched by exact cosine. The owner serialises updates."""

    def __init__(self, dim: int, *, prior_chunks: float = PRIOR_CHUNKS) -> None:
        self.dim = dim
        self.prior_chunks = prior_chunks
        self._docs: dict[str, tuple[list[str], np.ndarray, str]] = {}
        self._matrix: np.ndarray | None = None
        self._ids: list[str] = []
        self._doc_of: list[str] = []
        self._langs: np.ndarray = np.zeros(0, dtype=object)
        self._means: dict[str, np.ndarray] = {}
        self._overall: np.ndarray = np.zeros(dim, dtype=np.float32)
        self._shifted: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return sum(len(ids) for ids, _, _ in self._docs.values())

    def add_document(self, doc_id: str, chunk_ids: Sequence[str], vectors: np.ndarray, language: str) -> None:
        """Add (or replace) one document's chunk vectors (unit length, one row per id)."""
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(chunk_ids), self.dim)
        self._docs[doc_id] = (list(chunk_ids), matrix, language or "unknown")
        self._matrix = None

    def remove_document(self, doc_id: str) -> None:
        if self._docs.pop(doc_id, None) is not None:
            self._matrix = None

    def _build(self) -> np.ndarray:
        if self._matrix is not None:
            return self._matrix
        parts = [(d, ids, m, lang) for d, (ids, m, lang) in self._docs.items() if ids]
        self._ids = [c for _, ids, _, _ in parts for c in ids]
        self._doc_of = [d for d, ids, _, _ in parts for _ in ids]
        self._langs = np.asarray([lang for _, ids, _, lang in parts for _ in ids], dtype=object)
        matrix = np.vstack([m for _, _, m, _ in parts]) if parts else np.zeros((0, self.dim), dtype=np.float32)
        # each document's rows become a view into the one matrix, so the vectors are held once, not twice
        at = 0
        for d, ids, _, lang in parts:
            self._docs[d] = (ids, matrix[at : at + len(ids)], lang)
            at += len(ids)
        self._overall = matrix.mean(axis=0) if len(matrix) else np.zeros(self.dim, dtype=np.float32)
        self._means, self._shifted = {}, {}
        for lang in set(self._langs.tolist()):
            rows = matrix[self._langs == lang]
            prior = self.prior_chunks
            self._means[lang] = (rows.sum(axis=0) + prior * self._overall) / (len(rows) + prior)
        self._matrix = matrix
        return matrix

    def _moved(self, lang: str, home: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of ``lang``, the shift taking them to ``home``'s region, and the lengths of the shifted rows."""
        hit = self._shifted.get((lang, home))
        if hit is None:
            matrix = self._build()
            rows = np.flatnonzero(self._langs == lang)
            shift = (self._means[home] - self._means[lang]).astype(np.float32)
            norms = np.linalg.norm(matrix[rows] + shift, axis=1)
            norms[norms == 0] = 1.0
            hit = self._shifted[(lang, home)] = (rows, shift, norms)
        return hit

    def language_mean(self, language: str) -> np.ndarray:
        """The mean chunk vector of ``language`` (drawn towards the overall mean); the overall mean when the index
        holds no chunk of it."""
        self._build()
        return self._means.get(language, self._overall)

    def search(
        self, vector: np.ndarray, language: str, k: int, allowed_docs: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, cosine) for a query vector in ``language``; chunks of other languages are first
        moved by the difference of the two languages' mean vectors."""
        matrix = self._build()
        if not len(matrix) or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        # numpy's own loop, not BLAS: beside the embedder's OpenMP threads, OpenBLAS's threads turned this 0.4 ms
        # product into 8-20 ms on two cores
        scores = np.einsum("ij,j->i", matrix, query)
        if language in self._means:  # a question of no known language is compared with every chunk as it is
            for lang in self._means:
                if lang != language:
                    # (x + shift) . q / |x + shift|, from the plain products x . q
                    rows, shift, norms = self._moved(lang, language)
                    scores[rows] = (scores[rows] + float(shift @ query)) / norms
        if allowed_docs is not None:
            mask = np.fromiter((d in allowed_docs for d in self._doc_of), dtype=bool, count=len(self._doc_of))
            if not mask.any():
                return []
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top]
