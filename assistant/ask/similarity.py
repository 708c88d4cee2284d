"""How close a candidate answer is in meaning to the question, by the index's multilingual embedder.

This is the signal that carries a Chinese question to an English sentence (and back) without a word list: the
question is embedded as a query, each candidate as a passage (with its document title and its row's header or
section heading, so "| Number of Layers | 61 |" is read as a fact about the model the document is about).

Embedding is the expensive part (the small e5 model does some fifty short texts a second on two cores), so only a
bounded shortlist of candidates is embedded per question, and every vector is kept in the index's embedding cache
by the hash of its text: a candidate seen once costs a lookup from then on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

import numpy as np

from assistant.index.base import EmbeddingRetriever, Retriever

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    """The cache key of an embedded text (the same key the ingest pipeline uses for chunk texts)."""
    return hashlib.sha1(text.encode()).hexdigest()


def similarities(retriever: Retriever, question: str, texts: Sequence[str]) -> list[float] | None:
    """Cosine similarity of ``question`` (as a query) to each of ``texts`` (as passages); None when the
    retriever has no embedder to ask."""
    if not texts or not isinstance(retriever, EmbeddingRetriever):
        return None
    if retriever.embedder.name.startswith("hash"):
        return None  # a hashing embedder (tests, no model) places texts by their words, not their meaning
    try:
        query = np.asarray(retriever.embedder.embed_query(question), dtype=np.float32)
        vectors = _vectors(retriever, list(texts))
    except Exception:  # similarity sharpens the choice; answering goes on without it
        log.warning("candidate similarity unavailable", exc_info=True)
        return None
    return [float(np.dot(query, v)) for v in vectors]


def _vectors(retriever: EmbeddingRetriever, texts: list[str]) -> list[np.ndarray]:
    hashes = [text_hash(t) for t in texts]
    unique = list(dict.fromkeys(hashes))
    cached = retriever.registry.cached_vectors(unique)
    missing = [h for h in unique if h not in cached]
    if missing:
        text_of = dict(zip(hashes, texts, strict=True))
        fresh = retriever.embedder.embed_passages([text_of[h] for h in missing])
        cached.update(zip(missing, fresh, strict=True))
        try:
            retriever.registry.cache_vectors(list(zip(missing, fresh, strict=True)))
        except Exception:  # a busy or read-only index: the vectors are simply computed again next time
            log.debug("could not cache %d candidate vectors", len(missing), exc_info=True)
    return [cached[h] for h in hashes]


def question_spread(retriever: Retriever, question: str) -> dict[str, tuple[float, float]] | None:
    """Per document language, the mean and standard deviation of the question's cosine to the index's chunks
    (``"*"``: all of them); None when the retriever cannot say (no embedder, a hashing one, no dense copy)."""
    if not isinstance(retriever, EmbeddingRetriever) or retriever.embedder.name.startswith("hash"):
        return None
    spread = getattr(retriever, "question_spread", None)
    if spread is None:
        return None
    try:
        return dict(spread(question)) or None
    except Exception:  # the yardstick sharpens the gate; answering goes on without it
        log.warning("question spread unavailable", exc_info=True)
        return None
