"""Signals that a source sentence states the claim's quantity, drawn from the index itself so they hold for any
corpus: the claim's rare names (rare by the BM25 index's document frequencies) found in the source sentence, its
table row and header, or its document's title; and the multilingual embedder's similarity between the claim
sentence and the source sentence, which works across languages where character overlap cannot.

Vectors are cached by a hash of their text for the whole check, and each claim embeds at most ``budget`` new
source sentences, so a long draft stays fast.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from assistant.check.lexicon import find_concepts
from assistant.text import name_like, title_words, tokenize

log = logging.getLogger(__name__)

# A term is rare when its BM25 idf is at least this share of the idf of an unseen term: roughly, it occurs in
# fewer chunks than the square root of their number.
_RARE_SHARE = 0.5
_UNSEEN = "\u2063unseen\u2063"
_PREFIX = "passage: "


class Aligner:
    """Rare names and sentence similarity for one check (see module doc). Either signal may be missing: a
    retriever without an embedder or idf simply yields none."""

    def __init__(
        self,
        *,
        embed: Callable[[Sequence[str]], np.ndarray] | None = None,
        idf: Callable[[list[str]], dict[str, float]] | None = None,
        documents: Callable[[], Sequence[Any]] | None = None,
        budget: int = 12,
    ) -> None:
        self._embed = embed
        self._idf = idf
        self._documents = documents
        self._title_words: frozenset[str] | None = None
        self._named: tuple[Mapping[str, tuple[int, ...]], list[str]] | None = None
        self.budget = budget
        self._vectors: dict[str, np.ndarray] = {}
        self._rare: dict[str, list[str]] = {}
        self._weights: dict[str, float] = {}
        self._max_idf: float | None = None
        self.embedded = 0

    @classmethod
    def for_retriever(cls, retriever: Any, *, budget: int = 6) -> Aligner:
        """Signals from a retriever that offers them (the ``Index``: ``embedder`` and ``term_idf``)."""
        embedder = getattr(retriever, "embedder", None)
        idf = getattr(retriever, "term_idf", None)
        documents = getattr(retriever, "documents", None)
        return cls(
            embed=getattr(embedder, "embed_passages", None),
            idf=idf if callable(idf) else None,
            documents=documents if callable(documents) else None,
            budget=budget,
        )

    # --- rare names ---------------------------------------------------------------------------------
    def rare_names(self, text: str) -> list[str]:
        """The claim's words that are rare in the index (names of models, benchmarks, firms, people)."""
        if text in self._rare:
            return self._rare[text]
        names: list[str] = []
        if self._idf is not None:
            words = [t for t in dict.fromkeys(tokenize(text)) if name_like(t)]
            try:
                if self._max_idf is None:
                    self._max_idf = self._idf([_UNSEEN]).get(_UNSEEN, 0.0)
                scores = self._idf(words) if words else {}
            except Exception:  # a failing index must not sink the check
                log.exception("idf lookup failed")
                scores = {}
            top = self._max_idf or 0.0
            names = [w for w in words if top > 0 and scores.get(w, 0.0) >= _RARE_SHARE * top]
        self._rare[text] = names
        return names

    def index_names(self, text: str) -> list[str]:
        """The rare names of ``text`` that name an indexed document: words of a document's title or file name
        ("dbrx" for "DBRX_news_en.md"), written as a name (a capital or a digit in Latin script). Whose figure a
        claim states, for models and firms no vocabulary lists."""
        titles = self.title_words()
        if not titles:
            return []
        out = []
        for name in self.rare_names(text):
            if name not in titles:
                continue
            if name.isascii() and not any(_written_as_name(m.group()) for m in _find_word(name, text)):
                continue
            if not name.isascii() and len(name) < 2:
                continue  # one Chinese character ("下") is a word of many titles, no name
            if name in find_concepts(name).values():
                continue  # a word of what is measured ("收入" of a headline's "年内收入有望近 10 亿元"), no name
            out.append(name)
        if any(n.isascii() for n in out):
            # Chinese has no capitals to tell a name from a word: a title's "系列" or "报道" is as rare in a
            # mostly English index as "百川"; beside a name written as one ("Gemma"), they only add noise
            out = [n for n in out if n.isascii()]
        return out

    def title_words(self) -> frozenset[str]:
        """The index's words of document titles and file names, read once per check."""
        if self._title_words is None:
            self._title_words = frozenset(self._titles()[0])
        return self._title_words

    def documents_named(self, text: str, names: Sequence[str] = (), *, most: int = 3) -> list[str]:
        """The ids of the documents whose title or file name holds a name of ``text`` ("Kuaishou" for
        "Kuaishou_2025Q2_news_zh.md"), a name naming at most ``most`` documents: the documents a claim is about,
        whatever language their text is in. A name is a word written as one (a capital or a digit in Latin
        script), or a word of the claim's own ``names`` (its subjects: Chinese has no capitals)."""
        named, ids = self._titles()
        own = {t for n in names for t in _tokens(n)}
        out: list[str] = []
        for word in dict.fromkeys(tokenize(text)):
            where = named.get(word, ())
            if not where or len(where) > most or not name_like(word):
                continue
            if word.isascii():
                if not any(_written_as_name(m.group()) for m in _find_word(word, text)) or word.isdigit():
                    continue
            elif word not in own or len(word) < 2:
                continue
            out += [ids[i] for i in where if ids[i] not in out]
        return out

    def _titles(self) -> tuple[Mapping[str, tuple[int, ...]], list[str]]:
        if self._named is None:
            docs: Sequence[Any] = []
            if self._documents is not None:
                try:
                    docs = self._documents()
                except Exception:  # a failing registry must not sink the check
                    log.exception("listing documents failed")
            pairs = tuple((getattr(d, "title", ""), str(getattr(d, "source_path", ""))) for d in docs)
            self._named = (title_words(pairs), [str(getattr(d, "id", "")) for d in docs])
        return self._named

    def weights(self, words: Sequence[str]) -> dict[str, float]:
        """BM25 idf of each word (1.0 each without an index)."""
        if self._idf is None or not words:
            return dict.fromkeys(words, 1.0)
        todo = [w for w in words if w not in self._weights]
        if todo:
            try:
                self._weights.update({w: max(v, 0.1) for w, v in self._idf(todo).items()})
            except Exception:
                log.exception("idf lookup failed")
                self._weights.update(dict.fromkeys(todo, 1.0))
        return {w: self._weights.get(w, 1.0) for w in words}

    def label_overlap(self, claim_words: Sequence[str], source_label: str) -> float:
        """How much of what the claim says about its figure (its words, weighted by rarity) the source's label
        of its figure (the words before it, or its table row and header) repeats: "embedding size" in "Grok-1
        has an embedding size of 4,096" against "Embedding Size: 6,144"."""
        if not claim_words or not source_label:
            return 0.0
        label = set(_tokens(source_label))
        weights = self.weights(claim_words)
        total = sum(weights.values())
        found = sum(w for word, w in weights.items() if word in label)
        return found / total if total else 0.0

    @staticmethod
    def names_found(names: Sequence[str], where: str) -> float:
        """Share of ``names`` that occur in ``where`` (case-insensitive); 0 when there are no names."""
        if not names:
            return 0.0
        hay = where.casefold()
        return sum(1 for n in names if n in hay) / len(names)

    # --- similarity ---------------------------------------------------------------------------------
    def similarities(self, claim: str, sources: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of ``claim`` with each of ``sources`` (at most ``budget`` not yet embedded)."""
        if self._embed is None or not sources:
            return {}
        todo = [t for t in dict.fromkeys([claim, *sources]) if _key(t) not in self._vectors]
        fresh = todo[: self.budget + (1 if claim in todo else 0)]
        if fresh:
            try:
                matrix = self._embed([_PREFIX + t for t in fresh])
            except Exception:
                log.exception("embedding failed")
                return {}
            self.embedded += len(fresh)
            for t, v in zip(fresh, matrix, strict=True):
                self._vectors[_key(t)] = np.asarray(v, dtype=np.float32)
        c = self._vectors.get(_key(claim))
        if c is None:
            return {}
        out = {}
        for s in sources:
            v = self._vectors.get(_key(s))
            if v is not None:
                out[s] = float(c @ v)
        return out


def label_words(text: str, exclude: Sequence[str] = ()) -> list[str]:
    """The content words of ``text`` (no numbers, no names in ``exclude``), as the index tokenises them."""
    drop = {t for name in exclude for t in _tokens(name)}
    return [
        t
        for t in dict.fromkeys(_tokens(text))
        if name_like(t) and t not in drop and not any(t.startswith(d) and len(d) > 3 for d in drop)
    ]


def naming_words(text: str, exclude: Sequence[str] = ()) -> list[str]:
    """``label_words`` of a source label when they can name what is measured: several words ("supports text
    sequences up to"), or one written as a name ("GSM8K", "MMLU", or Chinese). A lone verb before a figure
    ("... 2B IT scored 1126") is said by any sentence using it and names nothing."""
    words = label_words(text, exclude)
    if len(words) >= 2:
        return words
    return [w for w in words if not w.isascii() or any(_written_as_name(m.group()) for m in _find_word(w, text))]


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    """The index's tokens of ``text``; many source labels repeat across the claims of one draft."""
    return tuple(tokenize(text))


def _find_word(word: str, text: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text, re.IGNORECASE))


def _written_as_name(surface: str) -> bool:
    """ "DBRX", "Gemma", "Yi-34B", "internlm2": a capital or a digit; "model", "notes" are words."""
    return any(ch.isupper() or ch.isdigit() for ch in surface)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def semantic_align(cosine: float) -> float:
    """Map the embedder's cosine onto the alignment scale of ``match.alignment`` (0.55 = the same sentence).

    multilingual-e5 puts unrelated sentences of one field near 0.78 and a sentence and its translation with one
    figure masked near 0.88; the line between is steep on purpose.
    """
    return float(np.clip(0.35 + (cosine - 0.83) * 5.0, 0.0, 0.8))
