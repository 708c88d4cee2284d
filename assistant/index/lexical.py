"""An in-memory BM25 index over pre-tokenised chunks, updated per document.

Kept in memory and rebuilt from the registry's stored tokens when a process opens the index; later
changes (this process's ingests or another process's) are applied per document, so no query pays for a
rebuild. Scoring is Okapi BM25 (k1=1.2, b=0.75), vectorised per query term with numpy.

Each chunk carries its document's language, so the index can also say how much of a query its words could ever
match in the chunks of one language (``coverage``): a Chinese question's words are mostly absent from English
chunks, and an English question's content words from Chinese ones; hybrid search leans on the dense side there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

K1 = 1.2
B = 0.75


class LexicalIndex:
    """BM25 over chunk token lists. Not thread-safe for writes: the owner serialises updates."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._doc_of: list[str] = []
        self._lengths: list[int] = []
        self._alive: list[bool] = []
        self._terms_of: list[tuple[str, ...]] = []
        self._postings: dict[str, tuple[list[int], list[int]]] = {}
        self._df: Counter[str] = Counter()
        self._by_doc: dict[str, list[int]] = {}
        self._total_len = 0
        self._live = 0
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._len_arr: np.ndarray | None = None
        self._alive_arr: np.ndarray | None = None
        # the language of each slot's document, as a code into ``_languages``
        self._languages: list[str] = []
        self._lang_of: list[int] = []
        self._lang_arr: np.ndarray | None = None
        self._df_lang: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self._live

    @property
    def doc_ids(self) -> set[str]:
        return set(self._by_doc)

    def add_document(
        self, doc_id: str, chunks: Sequence[tuple[str, Sequence[str]]], language: str = "unknown"
    ) -> None:
        """Add (or replace) the chunks of one document: (chunk id, tokens) pairs, in the document's language."""
        if doc_id in self._by_doc:
            self.remove_document(doc_id)
        if language not in self._languages:
            self._languages.append(language)
        code = self._languages.index(language)
        slots = []
        for chunk_id, tokens in chunks:
            idx = len(self._ids)
            self._ids.append(chunk_id)
            self._doc_of.append(doc_id)
            self._lengths.append(len(tokens))
            self._lang_of.append(code)
            self._alive.append(True)
            self._total_len += len(tokens)
            self._live += 1
            counts = Counter(tokens)
            self._terms_of.append(tuple(counts))
            for term, tf in counts.items():
                posting = self._postings.get(term)
                if posting is None:
                    posting = self._postings[term] = ([], [])
                posting[0].append(idx)
                posting[1].append(tf)
                self._df[term] += 1
                self._cache.pop(term, None)
            slots.append(idx)
        self._by_doc[doc_id] = slots
        self._len_arr = self._alive_arr = self._lang_arr = None
        self._df_lang.clear()

    def remove_document(self, doc_id: str) -> None:
        slots = self._by_doc.pop(doc_id, [])
        if not slots:
            return
        # df counts only live chunks; postings keep dead slots until compaction (masked at query time)
        for idx in slots:
            self._alive[idx] = False
            self._total_len -= self._lengths[idx]
            self._live -= 1
            for term in self._terms_of[idx]:
                self._df[term] -= 1
        self._len_arr = self._alive_arr = self._lang_arr = None
        self._df_lang.clear()
        if self._live < len(self._ids) // 2:
            self._compact()

    def _compact(self) -> None:
        keep = [(self._ids[i], self._doc_of[i]) for i in range(len(self._ids)) if self._alive[i]]
        old_postings = self._postings
        remap = {}
        for new, old in enumerate(i for i in range(len(self._ids)) if self._alive[i]):
            remap[old] = new
        self._ids = [k[0] for k in keep]
        self._doc_of = [k[1] for k in keep]
        self._lengths = [self._lengths[old] for old in sorted(remap)]
        self._lang_of = [self._lang_of[old] for old in sorted(remap)]
        self._terms_of = [self._terms_of[old] for old in sorted(remap)]
        self._alive = [True] * len(self._ids)
        self._postings = {}
        for term, (idxs, tfs) in old_postings.items():
            pairs = [(remap[i], tf) for i, tf in zip(idxs, tfs, strict=True) if i in remap]
            if pairs:
                self._postings[term] = ([p[0] for p in pairs], [p[1] for p in pairs])
        self._by_doc = {}
        for i, doc in enumerate(self._doc_of):
            self._by_doc.setdefault(doc, []).append(i)
        self._df = Counter({t: len(p[0]) for t, p in self._postings.items()})
        self._cache.clear()
        self._df_lang.clear()
        self._len_arr = self._alive_arr = self._lang_arr = None

    def idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1 + (self._live - df + 0.5) / (df + 0.5))

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._len_arr is None or self._alive_arr is None or self._lang_arr is None:
            self._len_arr = np.asarray(self._lengths, dtype=np.float32)
            self._alive_arr = np.asarray(self._alive, dtype=bool)
            self._lang_arr = np.asarray(self._lang_of, dtype=np.int64)
        return self._len_arr, self._alive_arr, self._lang_arr

    def _postings_of(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        cached = self._cache.get(term)
        if cached is None:
            idxs, tfs = self._postings[term]
            cached = (np.asarray(idxs, dtype=np.int64), np.asarray(tfs, dtype=np.float32))
            self._cache[term] = cached
        return cached

    def coverage(self, tokens: Iterable[str]) -> dict[str, float]:
        """For each language of the indexed chunks, the share of the query's weight (IDF) its words carry in
        that language: a word counts fully when chunks of the language hold it at least as often as the index
        does overall, partly when less often, not at all when none does. 1.0 everywhere for a query of no
        indexed word."""
        _, alive, langs = self._arrays()
        n_lang = np.bincount(langs[alive], minlength=len(self._languages)).astype(np.float64)
        total = weight = 0.0
        covered = np.zeros(len(self._languages), dtype=np.float64)
        for term in set(tokens):
            df = self._df.get(term, 0)
            if df <= 0 or term not in self._postings:
                continue
            by_lang = self._df_lang.get(term)
            if by_lang is None:
                idx_arr, _ = self._postings_of(term)
                live = idx_arr[alive[idx_arr]]
                by_lang = np.bincount(langs[live], minlength=len(self._languages)).astype(np.float64)
                self._df_lang[term] = by_lang
            weight = self.idf(term)
            total += weight
            share = np.divide(by_lang, n_lang, out=np.zeros_like(by_lang), where=n_lang > 0) * (self._live / df)
            covered += weight * np.minimum(share, 1.0)
        if total <= 0:
            return {lang: 1.0 for lang in self._languages}
        return {lang: float(covered[i] / total) for i, lang in enumerate(self._languages)}

    def search(
        self, tokens: Iterable[str], k: int, allowed_docs: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, BM25 score) for the query tokens, optionally within ``allowed_docs``."""
        if self._live == 0:
            return []
        lengths, alive, _ = self._arrays()
        avgdl = max(self._total_len / self._live, 1.0)
        scores = np.zeros(len(self._ids), dtype=np.float32)
        for term in set(tokens):
            if term not in self._postings or self._df.get(term, 0) == 0:
                continue
            idx_arr, tf_arr = self._postings_of(term)
            norm = K1 * (1 - B + B * lengths[idx_arr] / avgdl)
            scores[idx_arr] += self.idf(term) * tf_arr * (K1 + 1) / (tf_arr + norm)
        scores[~alive] = 0
        if allowed_docs is not None:
            mask = np.fromiter((d in allowed_docs for d in self._doc_of), dtype=bool, count=len(self._doc_of))
            scores[~mask] = 0
        nonzero = int(np.count_nonzero(scores))
        if nonzero == 0:
            return []
        k = min(k, nonzero)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top]
