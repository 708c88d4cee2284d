"""The scale curve: synthetic indexes of N chunks, built and measured each in its own process.

Embedding 100k chunks is out of reach on this machine, so the benchmark makes them: perturbed copies of the
real chunks of a built index. Each copy keeps its source's text, takes the cached vector plus a little Gaussian
noise (renormalised), and the source's BM25 tokens with a few dropped, a few swapped and one synthetic id token
appended, so both the dense and the lexical index see N distinct but realistic entries. The copies go straight
through the registry's write protocol and the Chroma store, in documents of ``DOC_CHUNKS`` chunks.

Building and measuring run in separate subprocesses, so each size's peak resident memory is its own:
``python bench/bench.py --_scale-worker build|serve --pool DIR --out DIR --n N --result FILE``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from assistant.index.registry import Registry
from assistant.models import Chunk, Document

if TYPE_CHECKING:
    from assistant.index.vector import ChromaStore

    # a document ready to write: record, text, chunks, their tokens, their vectors
    Pending = tuple[Document, str, list[Chunk], list[str], np.ndarray]

DOC_CHUNKS = 100
NOISE_SIGMA = 0.02  # per component; for 384-d unit vectors a copy keeps a cosine of about 0.93 to its source
DROP_SHARE = 0.1
SWAPS = 3
WRITE_DOCS = 10  # documents per Chroma upsert: fewer, larger calls
BENCH_PY = Path(__file__).resolve().parent / "bench.py"


class Latency(BaseModel):
    """Percentiles of a list of milliseconds."""

    n: int
    p50: float
    p95: float
    p99: float
    max: float


def latency_summary(values_ms: list[float]) -> Latency:
    """p50 / p95 / p99 / max of ``values_ms`` (linear interpolation; zeros for an empty list)."""
    if not values_ms:
        return Latency(n=0, p50=0.0, p95=0.0, p99=0.0, max=0.0)
    p50, p95, p99 = np.percentile(np.asarray(values_ms, dtype=float), [50, 95, 99])
    return Latency(
        n=len(values_ms), p50=float(p50), p95=float(p95), p99=float(p99), max=float(max(values_ms))
    )


class ScaleResult(BaseModel):
    """One size of the scale curve."""

    chunks: int
    documents: int
    build_seconds: float
    build_peak_rss_mb: float
    open_seconds: float = Field(description="Index.open plus the first sync (loading the BM25 index).")
    search: Latency = Field(description="Index.search wall time per question.")
    stages_p50_ms: dict[str, float] = Field(default_factory=dict)
    stages_p95_ms: dict[str, float] = Field(default_factory=dict)
    disk_mb: float
    serve_peak_rss_mb: float
    k: int


# --- the pool of real chunks ------------------------------------------------------------------------------


class DenseChunk(BaseModel):
    """A chunk that has a vector, with the exact text its vector was computed from."""

    chunk: Chunk
    tokens: str
    document: Document
    embedded_text: str


def dense_chunks(registry: Registry) -> list[DenseChunk]:
    """Every dense chunk of the registry, in document order, with the text the embedder saw.

    The pipeline embeds ``title + "\\n" + text``; indexes built before it did embedded the bare text. Whichever
    form finds more vectors in the embed cache is taken, so the cache is reused either way.
    """
    from assistant.ingest.pipeline import _text_hash  # the key of the embed cache

    docs = {d.id: d for d in registry.documents()}
    dense = [(c, t) for c, t in registry.chunks_for(sorted(docs)) if c.dense]
    rows: dict[str, Chunk] = {}
    for i in range(0, len(dense), 500):
        rows.update(registry.chunk_rows(c.id for c, _ in dense[i : i + 500]))
    titled = [f"{docs[c.doc_id].title}\n{rows[c.id].text}" for c, _ in dense]
    bare = [rows[c.id].text for c, _ in dense]
    sample = slice(0, 400)
    hits = [len(registry.cached_vectors([_text_hash(t) for t in form[sample]])) for form in (titled, bare)]
    texts = bare if hits[1] > hits[0] else titled
    return [
        DenseChunk(chunk=rows[c.id], tokens=tokens, document=docs[c.doc_id], embedded_text=text)
        for (c, tokens), text in zip(dense, texts, strict=True)
    ]


def extract_pool(data_dir: Path, out: Path) -> int:
    """Write the dense chunks of the index in ``data_dir`` (text, tokens, cached vector) to ``out``.

    Returns the number of chunks with a cached vector; chunks without one (never embedded) are left out.
    """
    from assistant.ingest.pipeline import _text_hash

    registry = Registry(data_dir / "registry.sqlite3")
    try:
        dense = dense_chunks(registry)
        hashes = [_text_hash(d.embedded_text) for d in dense]
        cached = registry.cached_vectors(list(dict.fromkeys(hashes)))
        items, vectors = [], []
        for d, h in zip(dense, hashes, strict=True):
            if h in cached:
                doc = d.document
                items.append(
                    {"text": d.chunk.text, "tokens": d.tokens, "title": doc.title, "language": doc.language}
                )
                vectors.append(cached[h])
        meta = {"embedder": registry.get_meta("embedder"), "dim": int(registry.get_meta("dim") or 0)}
    finally:
        registry.close()
    if not items:
        raise SystemExit(f"no cached vectors in {data_dir}: build the index first")
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "vectors.npy", np.vstack(vectors).astype(np.float32))
    (out / "chunks.json").write_text(json.dumps({"meta": meta, "chunks": items}, ensure_ascii=False), "utf-8")
    return len(items)


def _load_pool(pool: Path) -> tuple[dict, list[dict], np.ndarray]:
    data = json.loads((pool / "chunks.json").read_text("utf-8"))
    return data["meta"], data["chunks"], np.load(pool / "vectors.npy")


def _perturb_tokens(tokens: str, tag: str, rng: np.random.Generator) -> str:
    toks = tokens.split(" ") if tokens else []
    kept = [t for t in toks if rng.random() >= DROP_SHARE] or toks[:1]
    for _ in range(min(SWAPS, max(len(kept) - 1, 0))):
        i = int(rng.integers(0, len(kept) - 1))
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return " ".join([*kept, tag])


# --- building -----------------------------------------------------------------------------------------------


def build_synthetic(pool: Path, out: Path, n: int, embedder_spec: str, seed: int = 7) -> int:
    """Write an index of exactly ``n`` synthetic chunks into ``out``; returns the number of documents."""
    from assistant.index.vector import ChromaStore
    from assistant.settings import Settings

    meta, items, vectors = _load_pool(pool)
    rng = np.random.default_rng(seed)
    settings = Settings(data_dir=out, embedder=embedder_spec)
    out.mkdir(parents=True, exist_ok=True)
    registry = Registry(out / "registry.sqlite3")
    registry.set_meta("embedder", meta["embedder"])
    registry.set_meta("dim", str(meta["dim"]))
    store = ChromaStore(settings, embedder_name=meta["embedder"], dim=meta["dim"])
    n_docs = math.ceil(n / DOC_CHUNKS)
    batch: list[Pending] = []
    for j in range(n_docs):
        size = min(DOC_CHUNKS, n - j * DOC_CHUNKS)
        picks = [(j * DOC_CHUNKS + i) % len(items) for i in range(size)]
        doc_id = hashlib.sha1(f"synthetic-{n}-{j}".encode()).hexdigest()[:16]
        parts, chunks, tokens = [], [], []
        offset = 0
        for i, p in enumerate(picks):
            text = items[p]["text"]
            chunks.append(
                Chunk(
                    id=f"{doc_id}-{i:03d}",
                    doc_id=doc_id,
                    ordinal=i,
                    text=text,
                    start=offset,
                    end=offset + len(text),
                )
            )
            tokens.append(_perturb_tokens(items[p]["tokens"], f"syn{j}x{i}", rng))
            parts.append(text)
            offset += len(text) + 2
        body = "\n\n".join(parts)
        noisy = vectors[picks] + rng.normal(0.0, NOISE_SIGMA, size=(size, vectors.shape[1])).astype(
            np.float32
        )
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        language = Counter(items[p]["language"] for p in picks).most_common(1)[0][0]
        doc = Document(
            id=doc_id,
            title=f"{items[picks[0]]['title']} (synthetic copy {j})",
            source_path=f"synthetic/{j:06d}.txt",
            kind="text",
            language=language,
            chunks=size,
            chars=len(body),
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            ingested_at=datetime.now(UTC),
        )
        batch.append((doc, body, chunks, tokens, noisy))
        if len(batch) >= WRITE_DOCS or j == n_docs - 1:
            _write(registry, store, batch)
            batch = []
    registry.close()
    return n_docs


def _write(registry: Registry, store: ChromaStore, batch: list[Pending]) -> None:
    # the pipeline's protocol: pending ids, then vectors, then one commit per document
    for doc, _body, chunks, _tokens, _vecs in batch:
        registry.begin_document(doc.id, [c.id for c in chunks])
    ids = [c.id for _d, _b, chunks, _t, _v in batch for c in chunks]
    metas = [
        {"doc_id": d.id, "language": d.language, "kind": d.kind}
        for d, _b, chunks, _t, _v in batch
        for _ in chunks
    ]
    store.upsert(ids, np.vstack([v for *_rest, v in batch]), metas)
    for doc, body, chunks, tokens, _vecs in batch:
        registry.commit_document(doc, body, chunks, tokens, len(body.encode()), 0)


# --- measuring ----------------------------------------------------------------------------------------------


def disk_bytes(path: Path) -> int:
    """Bytes allocated on disk under ``path`` (what ``du`` reports)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                continue
    return total


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    ``/proc/self/status`` VmHWM first: it covers only this program's own address space. ``ru_maxrss`` is kept
    across ``exec``, so a worker forked from a parent holding the model would inherit the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_search(out: Path, embedder_spec: str, queries: list[str], k: int) -> dict:
    """Open the index in ``out``, warm up, and time ``Index.search`` and its stages for each query."""
    from assistant.index.store import Index
    from assistant.settings import Settings
    from assistant.text import detect_language, tokenize

    t0 = time.perf_counter()
    index = Index.open(Settings(data_dir=out, embedder=embedder_spec))
    index.sync()
    open_seconds = time.perf_counter() - t0
    for q in queries[:2]:
        index.search(q, k=k)
    totals: list[float] = []
    stages: dict[str, list[float]] = {"embed": [], "dense": [], "lexical": [], "fuse": [], "index": []}
    depth = max(4 * k, 40)  # as Index.search
    for q in queries:
        t = time.perf_counter()
        index.search(q, k=k)
        totals.append((time.perf_counter() - t) * 1e3)
        # the same work step by step, to say which part grows with the index
        t = time.perf_counter()
        vec = index.embedder.embed_query(q)
        t1 = time.perf_counter()
        dense = index.dense.search(vec, detect_language(q), depth)
        t2 = time.perf_counter()
        lexical = index.lexical.search(tokenize(q), depth)
        t3 = time.perf_counter()
        index.fuse(dense, lexical, k)
        t4 = time.perf_counter()
        # "index": everything but the query embedding, i.e. the part that grows with N
        for name, a, b in (
            ("embed", t, t1),
            ("dense", t1, t2),
            ("lexical", t2, t3),
            ("fuse", t3, t4),
            ("index", t1, t4),
        ):
            stages[name].append((b - a) * 1e3)
    index.close()
    return {
        "open_seconds": open_seconds,
        "search": latency_summary(totals).model_dump(),
        "stages_p50_ms": {s: float(np.percentile(v, 50)) for s, v in stages.items() if v},
        "stages_p95_ms": {s: float(np.percentile(v, 95)) for s, v in stages.items() if v},
        "disk_bytes": disk_bytes(out),
    }


def worker_main(argv: list[str]) -> None:
    """Entry point of one subprocess: ``build`` an index of N chunks or ``serve`` (measure) it."""
    parser = argparse.ArgumentParser(prog="bench.py --_scale-worker")
    parser.add_argument("mode", choices=["build", "serve"])
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--embedder", required=True)
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.mode == "build":
        docs = build_synthetic(args.pool, args.out, args.n, args.embedder)
        result: dict = {"documents": docs, "build_seconds": time.perf_counter() - t0}
    else:
        queries = json.loads((args.pool / "queries.json").read_text("utf-8"))
        result = measure_search(args.out, args.embedder, queries, args.k)
    result["peak_rss_mb"] = peak_rss_mb()
    args.result.write_text(json.dumps(result), "utf-8")


def _run_worker(mode: str, pool: Path, out: Path, n: int, embedder_spec: str, k: int) -> dict:
    result = out.parent / f"{out.name}-{mode}.json"
    cmd = [sys.executable, str(BENCH_PY), "--_scale-worker", mode, "--pool", str(pool), "--out", str(out)]
    cmd += ["--n", str(n), "--embedder", embedder_spec, "--k", str(k), "--result", str(result)]
    subprocess.run(cmd, check=True)
    return json.loads(result.read_text("utf-8"))


def scale_section(
    source_dir: Path,
    sizes: list[int],
    embedder_spec: str,
    queries: list[str],
    work_dir: Path,
    *,
    k: int = 16,
    keep: bool = False,
) -> list[ScaleResult]:
    """Build and measure one synthetic index per size, each in fresh subprocesses; return the curve."""
    import shutil

    pool = work_dir / "pool"
    extract_pool(source_dir, pool)
    (pool / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    results = []
    for n in sizes:
        out = work_dir / f"scale-{n}"
        built = _run_worker("build", pool, out, n, embedder_spec, k)
        served = _run_worker("serve", pool, out, n, embedder_spec, k)
        results.append(
            ScaleResult(
                chunks=n,
                documents=built["documents"],
                build_seconds=built["build_seconds"],
                build_peak_rss_mb=built["peak_rss_mb"],
                open_seconds=served["open_seconds"],
                search=Latency.model_validate(served["search"]),
                stages_p50_ms=served["stages_p50_ms"],
                stages_p95_ms=served["stages_p95_ms"],
                disk_mb=served["disk_bytes"] / 2**20,
                serve_peak_rss_mb=served["peak_rss_mb"],
                k=k,
            )
        )
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    return results
