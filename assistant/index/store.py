"""The index: registry + dense store + lexical store + embedder, and hybrid search over them.

Readers see only documents committed as complete in the registry. Each process keeps the lexical index and a
copy of the chunk vectors in memory (the dense search runs on that copy: see ``assistant.index.dense``) and
applies other processes' changes lazily, by comparing the registry's generation counter.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from assistant.errors import IndexMismatchError, InputError, NotFoundError
from assistant.index.base import Embedder
from assistant.index.dense import DenseIndex
from assistant.index.embedders import make_embedder
from assistant.index.lexical import LexicalIndex
from assistant.index.registry import Registry
from assistant.index.registry_pg import PgRegistry
from assistant.index.vector import ChromaStore
from assistant.models import Chunk, Document, DocumentText, Passage, SearchFilters
from assistant.settings import Settings
from assistant.text import tokenize

log = logging.getLogger(__name__)

# Reciprocal-rank fusion, with the dense rank counting for more in a chunk the query's words could not reach
# because of its language: BM25 gives a Chinese question no evidence for an English passage (nor an English question
# for a Chinese one) beyond the names they share, so for a chunk absent from the lexical candidates the dense rank,
# which crosses languages, stands in for the missing lexical one in proportion to what the query's words could not
# match in the chunk's language (``LexicalIndex.coverage``). A chunk the words did reach, or one in a language they
# fully cover, is fused exactly as plain RRF would fuse it. Measured on all question sets in bench/ (plain search,
# the right figure among the top 8): 280 of 366 for plain RRF, 289 for the dense ranking alone, 297 for this.
RRF_K = 60
# Past the two rankings, a candidate is lifted by up to TITLE_WEIGHT times a first rank's RRF share
# (1 / (RRF_K + 1)) in proportion to how much of the query's weight (IDF) its document's title and file name carry:
# a question naming "Jamba" or "3FS" is about the document called so, whatever language its passages are in.
# And the first of each ranking always keeps a place in the top ``k``: a lexical first place (a rare name, a
# table row) is not pushed out by chunks both rankings put in the middle. Measured on the question sets in bench/
# (plain search, an expected figure from the expected source among the top 8): 349 of 432 before, 367 after.
# (A lift for chunks writing many numbers took it to 373, but the answers lost more than they gained: number-dense
# tables beside the passage that answers drew the selection away.)
TITLE_WEIGHT = 1.0
LEADERS = 1
# Up to this many chunks the in-memory dense copy is scanned whole (exact; about 0.5 ms for 4,000 chunks, 40-60 ms
# for 100,000 on two busy cores); above it, the dense store's approximate index proposes the candidates.
EXACT_CHUNKS = 30_000
TEXT_CACHE_DOCUMENTS = 64
# The rows of one CSV are short texts of one shape ("省份: 北京; 算力: 12.6; 增速: 38%"), so a query near one is near
# them all, and in another language than the query the dense rank alone decides: unthinned, one table's rows took
# several of the top 8 for unrelated questions. Past this many of its rows, a CSV's rows leave the dense ranking
# (its words still rank them lexically).
DENSE_ROWS_PER_DOCUMENT = 1


def open_registry(settings: Settings) -> Registry | PgRegistry:
    """PostgreSQL when ``settings.database_url`` is set, else the SQLite file in the data folder."""
    if settings.database_url is not None:
        return PgRegistry(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
    return Registry(settings.data_dir / "registry.sqlite3")


class Index:
    """Hybrid retrieval over one data folder. Implements the ``Retriever`` protocol."""

    def __init__(
        self, settings: Settings, *, registry: Registry | PgRegistry, vectors: ChromaStore, embedder: Embedder) -> None:
        self.settings = settings
        self.registry = registry
        self.vectors = vectors
        self.embedder = embedder
        self.lexical = LexicalIndex()
        self.dense = DenseIndex(embedder.dim)
        self._versions: dict[str, str] = {}
        self._docs: dict[str, Document] = {}
        self._generation = -1
        self._sync_lock = threading.RLock()
        # recently used document texts by id, dropped when the document changes (chunk text is sliced from them)
        self._texts: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._write_lock = threading.Lock()
        # title and file-name tokens by document id, with the version they were read from
        self._titles: dict[str, tuple[str, frozenset[str]]] = {}

    # --- opening ----------------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, *, embedder: Embedder | None = None, reindex: bool = False) -> Index:
        """Open (creating if needed) the index in ``settings.data_dir``; refuse one built by another embedder.

        With ``reindex`` the folder is emptied first and rebound to the configured embedder.
        """
        data_dir = settings.data_dir
        if data_dir.exists() and not data_dir.is_dir():
            raise InputError(f"data folder {data_dir} is a file")
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        registry = open_registry(settings)
        if embedder is None:
            embedder = make_embedder(settings.embedder, threads=settings.embed_threads, batch=settings.embed_batch)
        built_with = registry.get_meta("embedder")
        if reindex:
            vectors = ChromaStore(settings, embedder_name=embedder.name, dim=embedder.dim, check=False)
            index = cls(settings, registry=registry, vectors=vectors, embedder=embedder)
            with index.writer():
                index.reset()
            return index
        if built_with is None:
            registry.set_meta("embedder", embedder.name)
            registry.set_meta("dim", str(embedder.dim))
        elif built_with != embedder.name:
            raise IndexMismatchError(
                f"the index in {data_dir} was built with embedder {built_with!r}, but {embedder.name!r} is "
                f"configured; re-index with: assistant ingest PATH... --data-dir {data_dir} --reindex "
                f"(or set ASSISTANT_EMBEDDER back to the embedder that built it)"
            )
        vectors = ChromaStore(settings, embedder_name=embedder.name, dim=embedder.dim)
        index = cls(settings, registry=registry, vectors=vectors, embedder=embedder)
        with index.writer(blocking=False) as got_it:
            if got_it:
                index.recover()
        return index

    def close(self) -> None:
        self.registry.close()

    # --- writing: one writer at a time, across processes ------------------------------------------
    @contextmanager
    def writer(self, *, blocking: bool = True) -> Iterator[bool]:
        """Hold the writer lock: a thread lock, plus the registry's lock for other processes (an flock on the
        data folder, or an advisory lock in PostgreSQL for processes on any host)."""
        if not self._write_lock.acquire(blocking=blocking):
            yield False
            return
        try:
            with self.registry.writer_lock(blocking=blocking) as got_it:
                yield got_it
        finally:
            self._write_lock.release()

    def recover(self) -> None:
        """Undo what an interrupted ingest left behind (call while holding the writer lock)."""
        for doc_id, chunk_ids in self.registry.pending().items():
            live = self.registry.live_chunk_ids(chunk_ids)
            orphans = [c for c in chunk_ids if c not in live]
            log.warning("rolling back an interrupted ingest of %s (%d vectors)", doc_id, len(orphans))
            self.vectors.delete(orphans)
            self.registry.drop_pending(doc_id)
        trash = self.registry.trash()
        if trash:
            self.vectors.delete(trash)
            self.registry.empty_trash(trash)

    def reset(self) -> None:
        """Empty the index and rebind it to the configured embedder (for ``--reindex``)."""
        self.vectors.reset(embedder_name=self.embedder.name, dim=self.embedder.dim)
        self.registry.reset()
        self.registry.set_meta("embedder", self.embedder.name)
        self.registry.set_meta("dim", str(self.embedder.dim))
        with self._sync_lock:
            self.lexical = LexicalIndex()
            self.dense = DenseIndex(self.embedder.dim)
            self._versions, self._docs, self._generation = {}, {}, -1

    # --- keeping this process's view current --------------------------------------------------------
    def sync(self) -> None:
        """Apply documents added, changed or removed since this process last looked."""
        generation = self.registry.generation()
        if generation == self._generation:
            return
        with self._sync_lock:
            generation = self.registry.generation()
            if generation == self._generation:
                return
            versions = self.registry.doc_versions()
            gone = [d for d in self._versions if d not in versions]
            changed = [d for d, h in versions.items() if self._versions.get(d) != h]
            for doc_id in gone + changed:
                self._texts.pop(doc_id, None)
            for doc_id in gone:
                self.lexical.remove_document(doc_id)
                self.dense.remove_document(doc_id)
            by_doc: dict[str, list[tuple[str, list[str]]]] = {d: [] for d in changed}
            dense_ids: dict[str, list[str]] = {d: [] for d in changed}
            for chunk, tokens in self.registry.chunks_for(changed):
                by_doc[chunk.doc_id].append((chunk.id, tokens.split(" ") if tokens else []))
                if chunk.dense:
                    dense_ids[chunk.doc_id].append(chunk.id)
            self._docs = {d.id: d for d in self.registry.documents()}
            for doc_id, chunks in by_doc.items():
                doc = self._docs.get(doc_id)
                self.lexical.add_document(doc_id, chunks, doc.language if doc is not None else "unknown")
            self._load_vectors(dense_ids)
            self._versions = versions
            self._generation = generation

    def _load_vectors(self, dense_ids: dict[str, list[str]]) -> None:
        """Copy the changed documents' vectors from the dense store into this process's dense index."""
        wanted = [c for ids in dense_ids.values() for c in ids]
        stored = self.vectors.vectors_of(wanted) if wanted else {}
        for doc_id, ids in dense_ids.items():
            have = [c for c in ids if c in stored]
            doc = self._docs.get(doc_id)
            if not have or doc is None:
                self.dense.remove_document(doc_id)
                continue
            self.dense.add_document(doc_id, have, np.vstack([stored[c] for c in have]), doc.language)

    # --- reading ----------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        return self.registry.documents()

    def document(self, doc_id: str) -> Document:
        return self.registry.document(doc_id)

    def document_text(self, doc_id: str) -> str:
        return self._cached_text(doc_id)[0]

    def _cached_text(self, doc_id: str) -> tuple[str, str]:
        """(text, content hash) of a document, from the cache of recently used texts when there."""
        with self._sync_lock:
            hit = self._texts.get(doc_id)
            if hit is not None:
                self._texts.move_to_end(doc_id)
                return hit
        hit = self.registry.text_version(doc_id)
        with self._sync_lock:
            self._texts[doc_id] = hit
            while len(self._texts) > TEXT_CACHE_DOCUMENTS:
                self._texts.popitem(last=False)
        return hit

    def chunk_rows(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        """Complete chunks by id with their text, sliced from cached document texts of the same version."""

        def text_of(doc_id: str, content_hash: str) -> str | None:
            try:
                text, version = self._cached_text(doc_id)
            except NotFoundError:
                return None
            if version != content_hash:  # changed by another process since this one last synced
                with self._sync_lock:
                    self._texts.pop(doc_id, None)
                return None
            return text

        return self.registry.chunk_rows(chunk_ids, text_of)

    def text_slice(self, doc_id: str, start: int | None = None, end: int | None = None) -> DocumentText:
        doc = self.registry.document(doc_id)
        text = self.registry.text(doc_id)
        lo = 0 if start is None else min(max(start, 0), len(text))
        hi = len(text) if end is None else min(max(end, lo), len(text))
        return DocumentText(
            doc_id=doc_id, title=doc.title, source=doc.url or doc.source_path, start=lo, end=hi, text=text[lo:hi],
            total_chars=len(text),
        )

    def allowed_docs(self, filters: SearchFilters | None) -> set[str] | None:
        """Document ids passing ``filters`` (None: no filtering)."""
        if filters is None or not filters.model_dump(exclude_none=True):
            return None
        self.sync()
        out = set()
        needle = filters.source.casefold() if filters.source else None
        for doc in self._docs.values():
            if needle and not any(needle in (v or "").casefold() for v in (doc.source_path, doc.title, doc.url)):
                continue
            if filters.language and doc.language != filters.language:
                continue
            if filters.kind and doc.kind != filters.kind:
                continue
            if filters.date_from and (not doc.date or doc.date < filters.date_from):
                continue
            if filters.date_to and (not doc.date or doc.date[: len(filters.date_to)] > filters.date_to):
                continue
            if filters.doc_ids is not None and doc.id not in filters.doc_ids:
                continue
            out.add(doc.id)
        exclude = getattr(filters, "exclude_doc_ids", None)
        if exclude:
            out -= set(exclude)
        return out

    def search(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]:
        """Hybrid search: dense and BM25 candidates fused by reciprocal rank."""
        from assistant.text import detect_language, tokenize

        if not query.strip():
            raise InputError("empty query")
        self.sync()
        allowed = self.allowed_docs(filters)
        depth = max(4 * k, 40)
        t0 = time.perf_counter()
        vector = self.embedder.embed_query(query)
        t1 = time.perf_counter()
        tokens = tokenize(query)
        dense = self._dense(vector, detect_language(query), depth, allowed)
        with self._sync_lock:  # BM25 is updated in place by sync(); a reader must not see it half-changed
            lexical = self.lexical.search(tokens, depth, allowed)
            coverage = self.lexical.coverage(tokens)
        t2 = time.perf_counter()
        log.debug("search: embedding %.1f ms, dense + lexical %.1f ms", (t1 - t0) * 1e3, (t2 - t1) * 1e3)
        return self.fuse(dense, lexical, k, coverage=coverage, tokens=tokens)

    def question_spread(self, query: str) -> dict[str, tuple[float, float]]:
        """How close the chunks of each language come to ``query`` (mean, standard deviation of the cosine; key
        ``"*"``: all chunks), see ``DenseIndex.spread``."""
        self.sync()
        vector = self.embedder.embed_query(query)
        with self._sync_lock:
            return self.dense.spread(vector)

    def _dense(
        self, vector: np.ndarray, language: str, depth: int, allowed: set[str] | None
    ) -> list[tuple[str, float]]:
        """The ``depth`` nearest chunks (see ``DenseIndex.search``). A large index is not scanned whole: the dense
        store's approximate index proposes candidates, the query moved into each language's region once."""
        among: list[str] | None = None
        if len(self.dense) > EXACT_CHUNKS:
            doc_ids = None if allowed is None else sorted(allowed)
            among = []
            with self._sync_lock:
                probes = [self.dense.probe(vector, language, target) for target in self.dense.languages()]
            for probe in probes:
                among += [c for c, _ in self.vectors.query(probe, 2 * depth, doc_ids)]
        with self._sync_lock:  # the copy is updated in place by sync(); a reader must not see it half-changed
            return self.dense.search(vector, language, depth, allowed, among)

    def search_lexical(self, query: str, *, k: int = 8, filters: SearchFilters | None = None) -> list[Passage]:
        """BM25 only: no query embedding (for supporting queries whose exact words matter)."""
        from assistant.text import tokenize

        self.sync()
        allowed = self.allowed_docs(filters)
        tokens = tokenize(query)
        with self._sync_lock:
            hits = self.lexical.search(tokens, max(4 * k, 40), allowed)
        return self.fuse([], hits, k)

    def term_idf(self, terms: list[str]) -> dict[str, float]:
        """BM25 inverse document frequency of each term over the indexed chunks."""
        self.sync()
        with self._sync_lock:
            return {t: self.lexical.idf(t) for t in terms}

    def fuse(
        self,
        dense: list[tuple[str, float]],
        lexical: list[tuple[str, float]],
        k: int,
        *,
        coverage: dict[str, float] | None = None,
        tokens: list[str] | None = None,
    ) -> list[Passage]:
        """Reciprocal-rank fusion of the dense and lexical candidates into the top ``k`` passages; with the
        query's lexical ``coverage`` by language, the dense rank of a chunk without a lexical rank weighs
        ``2 - coverage`` of its chunk's language. With the query's ``tokens``, the title signal and the leaders'
        places (see ``TITLE_WEIGHT``) come in too."""
        chunks = self.chunk_rows([c for c, _ in dense] + [c for c, _ in lexical])
        dense = rows_thinned(dense, chunks)
        scores: dict[str, float] = {}
        dense_rank = {cid: r for r, (cid, _) in enumerate((d for d in dense if d[0] in chunks), start=1)}
        dense_score = dict(dense)
        lexical_rank = {cid: r for r, (cid, _) in enumerate((x for x in lexical if x[0] in chunks), start=1)}
        lexical_score = dict(lexical)
        for cid, rank in dense_rank.items():
            # a chunk the query's words did reach is fused as plain RRF fuses it
            weight = 1.0 if cid in lexical_rank else self._dense_weight(chunks[cid].doc_id, coverage)
            scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + rank)
        for cid, rank in lexical_rank.items():
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        if tokens is None:
            ranked = sorted(scores, key=lambda c: -scores[c])[:k]
        else:
            scores = self._lifted(scores, chunks, tokens)
            ranked = with_leaders(sorted(scores, key=lambda c: -scores[c]), [dense_rank, lexical_rank], k)
        out = []
        for cid in ranked:
            chunk = chunks[cid]
            doc = self._docs.get(chunk.doc_id) or self.registry.document(chunk.doc_id)
            out.append(
                Passage(
                    chunk=chunk, document=doc, score=scores[cid], dense_rank=dense_rank.get(cid),
                    lexical_rank=lexical_rank.get(cid), dense_score=dense_score.get(cid),
                    lexical_score=lexical_score.get(cid),
                )
            )
        return out

    def _lifted(self, scores: dict[str, float], chunks: dict[str, Chunk], tokens: list[str]) -> dict[str, float]:
        """``scores`` raised by the title signal (see ``TITLE_WEIGHT``)."""
        unit = 1.0 / (RRF_K + 1)
        with self._sync_lock:
            weights = {t: self.lexical.idf(t) for t in set(tokens)}
        total = sum(weights.values())
        titled: dict[str, float] = {}
        out = {}
        for cid, score in scores.items():
            doc_id = chunks[cid].doc_id
            share = titled.get(doc_id)
            if share is None:
                words = self._title_words(doc_id)
                share = titled[doc_id] = sum(w for t, w in weights.items() if t in words) / total if total else 0.0
            out[cid] = score + unit * TITLE_WEIGHT * share
        return out

    def _title_words(self, doc_id: str) -> frozenset[str]:
        """The tokens of a document's title and file name (cached until the document changes)."""
        version = self._versions.get(doc_id, "")
        hit = self._titles.get(doc_id)
        if hit is not None and hit[0] == version:
            return hit[1]
        doc = self._docs.get(doc_id)
        name = doc.source_path.replace("\\", "/").rsplit("/", 1)[-1] if doc is not None else ""
        words = frozenset(tokenize(f"{doc.title} {name}")) if doc is not None else frozenset()
        self._titles[doc_id] = (version, words)
        return words

    def _dense_weight(self, doc_id: str, coverage: dict[str, float] | None) -> float:
        if not coverage:
            return 1.0
        doc = self._docs.get(doc_id)
        reach = coverage.get(doc.language, 1.0) if doc is not None else 1.0
        return 2.0 - min(max(reach, 0.0), 1.0)

    def stats(self) -> dict[str, int]:
        self.sync()
        return {"documents": len(self._docs), "chunks": self.registry.chunk_count(), "vectors": self.vectors.count()}


def rows_thinned(
    dense: list[tuple[str, float]], chunks: dict[str, Chunk], per_document: int = DENSE_ROWS_PER_DOCUMENT
) -> list[tuple[str, float]]:
    """The dense candidates with at most ``per_document`` rows (CSV chunks) of each document, the nearest kept."""
    taken: dict[str, int] = {}
    out = []
    for cid, score in dense:
        chunk = chunks.get(cid)
        if chunk is not None and chunk.row is not None:
            n = taken[chunk.doc_id] = taken.get(chunk.doc_id, 0) + 1
            if n > per_document:
                continue
        out.append((cid, score))
    return out


def with_leaders(ranked: list[str], rankings: list[dict[str, int]], k: int, leaders: int = LEADERS) -> list[str]:
    """The first ``k`` of ``ranked``, except that the first ``leaders`` of each ranking (chunk id -> rank from 1)
    take the last places when they are not among them; the order of ``ranked`` is kept."""
    top = ranked[:k]
    wanted = [c for ranks in rankings for c, r in sorted(ranks.items(), key=lambda x: x[1]) if r <= leaders]
    missing = [c for c in dict.fromkeys(wanted) if c not in top][:k]
    if not missing:
        return top
    keep = set(top[: k - len(missing)]) | set(missing)
    return [c for c in ranked if c in keep]

