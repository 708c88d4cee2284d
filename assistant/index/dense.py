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
# A language with fewer chunks than this gives no yardstick of closeness of its own (the whole index's is used).
MIN_SPREAD_CHUNKS = 20
ALL_LANGUAGES = "*"


class DenseIndex:
    """Chunk vectors by document, searched by exact cosine. The owner serialises updates."""

    def __init__(self, dim: int, *, prior_chunks: float = PRIOR_CHUNKS) -> None:
        self.dim = dim
        self.prior_chunks = prior_chunks
        self._docs: dict[str, tuple[list[str], np.ndarray, str]] = {}
        self._matrix: np.ndarray | None = None
        self._ids: list[str] = []
        self._doc_of: list[str] = []
        self._codes: list[str] = []
        self._code_of: np.ndarray = np.zeros(0, dtype=np.int64)
        self._rows_of: list[np.ndarray] = []
        self._row: dict[str, int] = {}
        self._means: dict[str, np.ndarray] = {}
        self._overall: np.ndarray = np.zeros(dim, dtype=np.float32)
        self._shifted: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        if self._matrix is not None:
            return len(self._matrix)
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
        langs = [lang for _, ids, _, lang in parts for _ in ids]
        self._codes = sorted(set(langs))
        code = {lang: i for i, lang in enumerate(self._codes)}
        self._code_of = np.asarray([code[lang] for lang in langs], dtype=np.int64)
        self._rows_of = [np.flatnonzero(self._code_of == i) for i in range(len(self._codes))]
        self._row = {c: i for i, c in enumerate(self._ids)}
        matrix = np.vstack([m for _, _, m, _ in parts]) if parts else np.zeros((0, self.dim), dtype=np.float32)
        # each document's rows become a view into the one matrix, so the vectors are held once, not twice
        at = 0
        for d, ids, _, lang in parts:
            self._docs[d] = (ids, matrix[at : at + len(ids)], lang)
            at += len(ids)
        self._overall = matrix.mean(axis=0) if len(matrix) else np.zeros(self.dim, dtype=np.float32)
        self._means, self._shifted = {}, {}
        for i, lang in enumerate(self._codes):
            rows = matrix[self._rows_of[i]]
            prior = self.prior_chunks
            self._means[lang] = (rows.sum(axis=0) + prior * self._overall) / (len(rows) + prior)
        self._matrix = matrix
        return matrix

    def _lengths(self, home: str) -> np.ndarray:
        """The length of every row once moved into ``home``'s region (1 for the rows of ``home`` itself)."""
        hit = self._shifted.get(home)
        if hit is None:
            matrix = self._build()
            hit = np.ones(len(matrix), dtype=np.float32)
            for code, lang in enumerate(self._codes):
                if lang != home:
                    rows = self._rows_of[code]
                    hit[rows] = np.linalg.norm(matrix[rows] + (self._means[home] - self._means[lang]), axis=1)
            hit[hit == 0] = 1.0
            self._shifted[home] = hit
        return hit

    def languages(self) -> list[str]:
        """The languages of the indexed chunks."""
        self._build()
        return list(self._codes)

    def probe(self, vector: np.ndarray, language: str, target: str) -> np.ndarray:
        """A query vector in ``language`` moved into ``target``'s region (unit length): the chunks of ``target`` it
        is nearest to are those nearest once moved, for an index that cannot move the chunks."""
        self._build()
        if language not in self._means or target not in self._means or language == target:
            return np.asarray(vector, dtype=np.float32)
        moved = np.asarray(vector, dtype=np.float32) + (self._means[target] - self._means[language])
        norm = float(np.linalg.norm(moved))
        return moved / norm if norm else np.asarray(vector, dtype=np.float32)

    def language_mean(self, language: str) -> np.ndarray:
        """The mean chunk vector of ``language`` (drawn towards the overall mean); the overall mean when the index
        holds no chunk of it."""
        self._build()
        return self._means.get(language, self._overall)

    def spread(self, vector: np.ndarray) -> dict[str, tuple[float, float]]:
        """For each language, the mean and standard deviation of the cosine of ``vector`` to its chunks, as they
        are (not moved): how close any text of that language comes to the vector, the yardstick a candidate's
        own closeness is read against."""
        matrix = self._build()
        if not len(matrix):
            return {}
        scores = np.einsum("ij,j->i", matrix, np.asarray(vector, dtype=np.float32))
        out = {}
        for code, lang in enumerate(self._codes):
            got = scores[self._rows_of[code]]
            if len(got) >= MIN_SPREAD_CHUNKS:
                out[lang] = (float(got.mean()), float(got.std()))
        if len(scores) >= MIN_SPREAD_CHUNKS:
            out[ALL_LANGUAGES] = (float(scores.mean()), float(scores.std()))
        return out

    def search(
        self,
        vector: np.ndarray,
        language: str,
        k: int,
        allowed_docs: set[str] | None = None,
        among: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, cosine) for a query vector in ``language``; chunks of other languages are first
        moved by the difference of the two languages' mean vectors. ``among`` limits the search to those chunk
        ids (candidates found by an approximate index)."""
        matrix = self._build()
        if not len(matrix) or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        if among is None:
            rows = None
            # numpy's own loop, not BLAS: beside the embedder's OpenMP threads, OpenBLAS's threads turned this
            # 0.4 ms product into 8-20 ms on two cores
            scores = np.einsum("ij,j->i", matrix, query)
        else:
            rows = np.fromiter(
                dict.fromkeys(self._row[c] for c in among if c in self._row), dtype=np.int64
            )
            scores = np.einsum("ij,j->i", matrix[rows], query)
        if language in self._means:  # a question of no known language is compared with every chunk as it is
            # (x + shift) . q / |x + shift|, from the plain products x . q
            offsets = np.asarray(
                [float((self._means[language] - self._means[lang]) @ query) for lang in self._codes],
                dtype=np.float32,
            )
            codes = self._code_of if rows is None else self._code_of[rows]
            lengths = self._lengths(language) if rows is None else self._lengths(language)[rows]
            scores = (scores + offsets[codes]) / lengths
        doc_of = self._doc_of if rows is None else [self._doc_of[i] for i in rows]
        if allowed_docs is not None:
            mask = np.fromiter((d in allowed_docs for d in doc_of), dtype=bool, count=len(doc_of))
            if not mask.any():
                return []
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        ids = self._ids if rows is None else [self._ids[i] for i in rows]
        return [(ids[i], float(scores[i])) for i in top]
