"""The baseline: the plain LangChain + Chroma recipe a user would write, with our embedder and our chunks.

Both sides see the same embedded texts (every dense chunk as the pipeline embedded it, title first) and the
same vectors: the wrapper looks each text up in the built index's embedding cache, embedding only what is missing.
So the comparison isolates retrieval (dense-only top 5 against our hybrid search), not the model.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import BaseModel
from scale import Latency, dense_chunks, latency_summary

from assistant.index.base import Embedder
from assistant.index.registry import Registry
from assistant.index.store import Index
from assistant.models import Passage


class CachedEmbeddings(Embeddings):
    """A LangChain ``Embeddings`` over our embedder, reading passage vectors from the index's cache first."""

    def __init__(self, embedder: Embedder, registry: Registry) -> None:
        self.embedder = embedder
        self.registry = registry
        self.cache_hits = 0
        self.computed = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from assistant.ingest.pipeline import _text_hash  # the key of the embed cache

        hashes = [_text_hash(t) for t in texts]
        found = self.registry.cached_vectors(list(dict.fromkeys(hashes)))
        missing = [t for t, h in zip(texts, hashes, strict=True) if h not in found]
        if missing:
            fresh = self.embedder.embed_passages(missing)
            found.update({_text_hash(t): v for t, v in zip(missing, fresh, strict=True)})
        self.cache_hits += len(texts) - len(missing)
        self.computed += len(missing)
        return [found[h].tolist() for h in hashes]

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


class RetrievalSide(BaseModel):
    """One retriever's latency and hit@k per question set."""

    latency: Latency
    hits: dict[str, int]
    cases: dict[str, int]


class BaselineResult(BaseModel):
    chunks: int
    build_seconds: float
    cache_hits: int
    computed: int
    k: int
    baseline: RetrievalSide
    ours: RetrievalSide


def baseline_section(index: Index, cases: list[tuple[str, dict]], *, k: int = 5) -> BaselineResult:
    """Build the LangChain Chroma baseline over ``index``'s dense chunks; compare it with ``index.search``.

    ``cases`` are (question-set label, lookup case) pairs; a hit is judged by ``retrieval_eval.is_hit``.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from retrieval_eval import is_hit

    index.sync()
    documents = [
        LCDocument(
            page_content=d.embedded_text,
            metadata={"chunk_id": d.chunk.id, "source": d.document.source_path, "title": d.document.title},
        )
        for d in dense_chunks(index.registry)
    ]
    embeddings = CachedEmbeddings(index.embedder, index.registry)
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        t0 = time.perf_counter()
        store = Chroma.from_documents(
            documents, embedding=embeddings, client=client, collection_name="baseline"
        )
        build_seconds = time.perf_counter() - t0

        def baseline_search(question: str) -> list[Passage]:
            found = store.similarity_search(question, k=k)
            return _passages(index, [d.metadata["chunk_id"] for d in found])

        def ours_search(question: str) -> list[Passage]:
            return index.search(question, k=k)

        for q in [c["question"] for _label, c in cases[:2]]:  # warm both up (HNSW load, model caches)
            baseline_search(q)
            ours_search(q)
        baseline = _measure(baseline_search, cases, is_hit)
        ours = _measure(ours_search, cases, is_hit)
    return BaselineResult(
        chunks=len(documents),
        build_seconds=build_seconds,
        cache_hits=embeddings.cache_hits,
        computed=embeddings.computed,
        k=k,
        baseline=baseline,
        ours=ours,
    )


def _passages(index: Index, chunk_ids: list[str]) -> list[Passage]:
    """Map the baseline's hits back to our records, so ``is_hit`` judges both sides alike."""
    rows = index.registry.chunk_rows(chunk_ids)
    return [
        Passage(chunk=rows[c], document=index.document(rows[c].doc_id), score=0.0)
        for c in chunk_ids
        if c in rows
    ]


def _measure(search: Any, cases: list[tuple[str, dict]], is_hit: Any) -> RetrievalSide:
    latencies: list[float] = []
    hits: dict[str, int] = {}
    counts: dict[str, int] = {}
    for label, case in cases:
        t0 = time.perf_counter()
        passages = search(case["question"])
        latencies.append((time.perf_counter() - t0) * 1e3)
        counts[label] = counts.get(label, 0) + 1
        hits[label] = hits.get(label, 0) + int(is_hit(passages, case))
    return RetrievalSide(latency=latency_summary(latencies), hits=hits, cases=counts)


def lookup_cases(files: list[Path]) -> list[tuple[str, dict]]:
    """(file stem, case) for every lookup question with an expected source, as ``retrieval_eval`` selects them."""
    import json

    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else None
            if case and case.get("kind") == "lookup" and case.get("source"):
                out.append((path.stem, case))
    return out
