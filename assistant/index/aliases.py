"""Names written in two scripts ("Innolight" and 中际旭创, "OrionStar" and 猎户星空), learned from the indexed
documents themselves, so a question or a claim naming a firm in one script finds the documents writing it in the
other.

Two kinds of evidence, both in the documents:

- a pair written together: a Chinese name with its Latin name in brackets ("猎户星空（OrionStar）"), the other
  way round ("Moonshot AI（月之暗面）"), or both inside ("（元象 XVERSE）");
- a Chinese document's file name against its headline: the Latin word the file is named by that the text never
  writes ("Innolight" of ``Innolight_2024_results_news_zh.md``) is the Chinese name the headline opens with and
  the text repeats (中际旭创), when most of the index's mentions of that name are in this document.

Precision matters more than recall (a wrong alias makes wrong answers): a bracketed term ("混合专家（MoE）"),
a common word ("量化效果（Evaluation）"), a model's version ("通义千问（Qwen1.5-72B-Chat）") or a headline's
opening word the whole index writes ("中国") is no pair. When a file is named by several Latin words, the
embedder (multilingual e5) picks the one closest to the headline's name; alone it cannot tell a firm's two
names from unrelated words (short names all sit close together), so it never makes a pair by itself.

The names listed in ``assistant/check/data/entities.json`` are merged in as a seed. The table is computed from
the index on first use and cached, in memory and in the data folder, keyed by the index's documents and their
content hashes, so ingest does no extra work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath

import numpy as np

from assistant.index.base import Retriever
from assistant.models import Document
from assistant.text import CJK, has_cjk

log = logging.getLogger(__name__)

CACHE_FILE = "aliases.json"
# Kept in the cache file: a table mined by other rules is mined again.
VERSION = 2

# A name's longer spelling counts as the same name while it keeps this share of the shorter one's mentions
# ("猎户星空" keeps all of "星空"'s, "是猎户星空" one of five).
KEEP_SHARE = 0.75
# A Chinese name a pair is made of is written at least this often in the documents.
MIN_MENTIONS = 2
# A headline's name is its document's when the document holds at least this share of the index's mentions.
OWN_SHARE = 0.5
_MAX_CJK = 8
# Chinese particles and prepositions: a name cut from the characters before it starts after one of them.
PARTICLES = frozenset("的是由在和与及为了将把被对向从于即如称据")
# A firm's name is written in few documents: at most this many, or this share of them in a large index.
NAME_DOCUMENTS = 3
NAME_SHARE = 0.03

_OPEN = r"[（(]"
_CLOSE = r"[）)]"
_LATIN_NAME = r"[A-Za-z0-9][A-Za-z0-9.&'\-]*(?: [A-Za-z0-9][A-Za-z0-9.&'\-]*){0,3}"
_CJK_RUN = f"[{CJK}]"
_CJK_BEFORE = re.compile(rf"({_CJK_RUN}{{2,{_MAX_CJK + 6}}})\s*{_OPEN}\s*({_LATIN_NAME})\s*{_CLOSE}")
_LATIN_BEFORE = re.compile(
    rf"(?<![A-Za-z0-9.\-])((?:[A-Z][A-Za-z0-9.&\-]*)(?: [A-Z][A-Za-z0-9.&\-]*){{0,3}})\s*{_OPEN}\s*"
    rf"({_CJK_RUN}{{2,{_MAX_CJK}}})\s*{_CLOSE}"
)
_BOTH_INSIDE = re.compile(
    rf"{_OPEN}\s*(?:({_CJK_RUN}{{2,{_MAX_CJK}}})\s+({_LATIN_NAME})|({_LATIN_NAME})\s+({_CJK_RUN}{{2,{_MAX_CJK}}}))"
    rf"\s*{_CLOSE}"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# a word of prose: not part of a path, a web address or an identifier ("stepfun-ai/Step-3", "help.aliyun.com")
_PROSE_WORD = re.compile(r"(?<![\w./\-@])[A-Za-z][A-Za-z0-9]*(?![\w/@\-]|\.\w)")
_HEAD_CJK = re.compile(rf"^[#\s]*({_CJK_RUN}{{2,}})")
_STEM_SPLIT = re.compile(r"[\s_.\-]+")
# "Qwen1.5-72B", "Baize-v2-13B": a letter followed by digits is a model's version, no firm's name
_VERSIONED = re.compile(r"[A-Za-z][A-Za-z.\-]*\d")
_ACRONYM = re.compile(r"[A-Z]{1,4}s?")


def key(name: str) -> str:
    """The form a name is looked up by: lowered, without spaces, hyphens and underscores."""
    return re.sub(r"[\s\-_·]+", "", name.lower())


class AliasTable:
    """Other-script names by the key of a name (see ``key``)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._of: dict[str, set[str]] = {}
        self._pattern: re.Pattern[str] | None = None
        for a, b in pairs:
            self.add(a, b)

    def add(self, a: str, b: str) -> None:
        a, b = a.strip().lower(), b.strip().lower()
        if not a or not b or has_cjk(a) == has_cjk(b):
            return
        self._of.setdefault(key(a), set()).add(b)
        self._of.setdefault(key(b), set()).add(a)
        self._pattern = None

    def of(self, name: str) -> tuple[str, ...]:
        """The other-script names of ``name`` (none when it has none)."""
        return tuple(sorted(self._of.get(key(name), ())))

    def names(self) -> list[str]:
        """Every name the table holds (as keys)."""
        return sorted(self._of)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({tuple(sorted((k, o))) for k, others in self._of.items() for o in others})  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self._of)

    def pattern(self) -> re.Pattern[str]:
        """Any name of the table as written in a text (case-insensitive; a Latin name at word edges, its parts
        joined or not by spaces or hyphens: "Moore Threads", "MooreThreads")."""
        if self._pattern is None:
            alts = []
            for k in sorted(self._of, key=len, reverse=True):
                body = r"[\s\-_·]?".join(re.escape(ch) for ch in k)
                alts.append(body if has_cjk(k) else rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])")
            self._pattern = re.compile("|".join(alts) or r"(?!)", re.IGNORECASE)
        return self._pattern


# --- the seed ---------------------------------------------------------------------------------------------


def seed_pairs() -> list[tuple[str, str]]:
    """The cross-script pairs of the entity vocabulary: each Latin spelling of a company, organisation or model
    family with each of its Chinese ones."""
    from assistant.check.entities import vocabulary  # the vocabulary file is the check side's

    vocab = vocabulary()
    out: list[tuple[str, str]] = []
    for table in (vocab.companies, vocab.orgs, vocab.model_families):
        for names in table.values():
            latin = [n for n in names if not has_cjk(n)]
            cjk = [n for n in names if has_cjk(n)]
            out.extend((a, b) for a in latin for b in cjk)
    out.extend((b, a) for a, b in vocab.chip_aliases.items() if has_cjk(a) != has_cjk(b))
    return out


# --- mining -----------------------------------------------------------------------------------------------


class _Corpus:
    """The documents' texts with the counts mining asks of them, computed once."""

    def __init__(self, texts: Sequence[str]) -> None:
        # only the lines writing Chinese are looked at for pairs and Chinese counts (an English paper's few)
        self._cjk_texts = ["\n".join(line for line in t.split("\n") if has_cjk(line)) for t in texts if has_cjk(t)]
        self.texts = self._cjk_texts
        self.cjk = "\n".join(self._cjk_texts)
        cased: Counter[str] = Counter()
        self.latin_docs: Counter[str] = Counter()
        for t in texts:
            words = Counter(_PROSE_WORD.findall(t))
            cased.update(words)
            self.latin_docs.update({w.lower() for w in words})
        self.lower: Counter[str] = Counter()
        self.capitalised: Counter[str] = Counter()
        for w, n in cased.items():
            (self.lower if w.islower() else self.capitalised)[w.lower()] += n
        self.few_docs = max(NAME_DOCUMENTS, round(NAME_SHARE * len(texts)))
        self._counts: dict[str, int] = {}

    def count(self, cjk: str) -> int:
        """Mentions of a Chinese string in all documents."""
        if cjk not in self._counts:
            self._counts[cjk] = self.cjk.count(cjk)
        return self._counts[cjk]

    def common_word(self, word: str) -> bool:
        """Whether the documents write ``word`` in lower case, in prose, at least as often as capitalised (a word,
        not a name: "Evaluation", "Agent")."""
        low = word.lower()
        return self.lower[low] >= max(MIN_MENTIONS, self.capitalised[low])

    def rare_cjk(self, cjk: str) -> bool:
        """Whether few documents write ``cjk`` (a firm's name, not a word such as 模型 or 支出)."""
        return sum(cjk in t for t in self._cjk_texts) <= self.few_docs

    def rare_latin(self, latin: str) -> bool:
        """Whether some word of ``latin`` is written in few documents ("Base", "Chat", "MoE" are in many)."""
        words = [w.lower() for w in _LATIN_WORD.findall(latin)]
        return any(self.latin_docs[w] <= self.few_docs for w in words)


def _grow(run: str, count: Callable[[str], int], *, backwards: bool) -> str:
    """The name a run of Chinese characters starts (``backwards``: ends) with: grown one character at a time
    while the longer spelling keeps most mentions of the shorter."""
    piece = (lambda n: run[-n:]) if backwards else (lambda n: run[:n])
    n = 2
    while n < min(len(run), _MAX_CJK) and count(piece(n + 1)) >= max(MIN_MENTIONS, KEEP_SHARE * count(piece(n))):
        n += 1
    name = piece(n)
    return name if count(name) >= MIN_MENTIONS else ""


def _latin_name(text: str, corpus: _Corpus) -> str:
    """``text`` when it is written as a name: every word capitalised or with digits, no version of a model, not
    a bracketed abbreviation ("MoE", "SFT"), not made of common words only."""
    text = text.strip(" .-")
    words = [w for w in re.split(r"[\s\-]+", text) if w]
    if not words or len(words) > 4 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return ""
    if _VERSIONED.search(text) or (len(words) == 1 and _ACRONYM.fullmatch(text)):
        return ""
    if all(corpus.common_word(w) for w in words if w.isalpha()):
        return ""
    return text


def bracket_pairs(corpus: _Corpus) -> list[tuple[str, str]]:
    """Names written with their other-script name in brackets."""
    found = []
    for text in corpus.texts:
        for m in _CJK_BEFORE.finditer(text):
            latin = _latin_name(m.group(2), corpus)
            found.append((latin, _name_before(m.group(1), corpus) if latin else ""))
        for m in _LATIN_BEFORE.finditer(text):
            found.append((_latin_name(m.group(1), corpus), m.group(2)))
        for m in _BOTH_INSIDE.finditer(text):
            cjk, latin = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            found.append((_latin_name(latin, corpus), cjk))
    pairs = [(latin, cjk) for latin, cjk in dict.fromkeys(found) if latin and cjk and _names_a_firm(latin, cjk, corpus)]
    return one_to_one(pairs)


def one_to_one(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs whose Chinese side is bracketed with one Latin name only. A Chinese word written beside several
    ("（Llama 3 模型卡）", "（Llama 3.1 模型卡）") is a common noun the names share ("model card"), however rare the
    index makes it look: a small index cannot tell such a word from a name by its document frequency."""
    partners: dict[str, set[str]] = {}
    for latin, cjk in pairs:
        partners.setdefault(cjk, set()).add(key(latin))
    return [(latin, cjk) for latin, cjk in pairs if len(partners[cjk]) == 1]


def _name_before(run: str, corpus: _Corpus) -> str:
    """The name a run of Chinese characters ends with: the whole run, or its end after a particle ("是猎户星空",
    "加州大道的英伟达"); a name cut out of a longer phrase ("资本支出" -> "支出", "英雄广场" -> "广场") is a common
    noun's end, no name."""
    name = _grow(run, corpus.count, backwards=True)
    if not name or name == run[-len(name) :] == run or run[-len(name) - 1] in PARTICLES:
        return name
    return ""


def _names_a_firm(latin: str, cjk: str, corpus: _Corpus) -> bool:
    """Whether a bracketed pair looks like one thing's two names: both written in few documents, the Chinese
    one written more than once, long enough for a Latin name of several words ("New Energy Leaders" is no
    "领袖", the end of a longer Chinese phrase), and not a description made of common words ("UniDiffuser
    (多模态大模型)": 大模型 is in many documents)."""
    words = len(re.split(r"[\s\-]+", latin))
    return (
        corpus.count(cjk) >= MIN_MENTIONS
        and len(cjk) >= (words + 1 if words > 1 else 2)
        and corpus.rare_cjk(cjk)
        and all(corpus.rare_cjk(cjk[i : i + 3]) for i in range(len(cjk) - 2))
        and corpus.rare_latin(latin)
    )


def headline_pairs(
    docs: Sequence[Document], texts: Sequence[str], corpus: _Corpus, closeness: Closeness | None = None
) -> list[tuple[str, str]]:
    """A Chinese document's file-name word it never writes, with the name its headline opens with."""
    out = []
    for doc, text in zip(docs, texts, strict=True):
        head = _HEAD_CJK.match(doc.title or "")
        if head is None or doc.language == "en":
            continue
        name = _grow(head.group(1), text.count, backwards=False)
        if not name or text.count(name) < OWN_SHARE * corpus.count(name) or not corpus.rare_cjk(name):
            continue  # a word the whole index writes ("中国"), no name of this document
        low = text.lower()
        words = [
            w
            for w in _STEM_SPLIT.split(PurePath(doc.source_path).stem)
            if w[:1].isupper() and w.isalpha() and len(w) >= 3
            and re.search(rf"(?<![a-z]){re.escape(w.lower())}(?![a-z])", low) is None
            and not corpus.common_word(w)
        ]
        if len(words) == 1:
            out.append((words[0], name))
        elif len(words) > 1 and closeness is not None:
            scores = closeness(name, words)
            out.append((words[int(np.argmax(scores))], name))
    return out


Closeness = Callable[[str, list[str]], Sequence[float]]


def mine(docs: Sequence[Document], texts: Sequence[str], closeness: Closeness | None = None) -> list[tuple[str, str]]:
    """Every cross-script pair the documents show (see the module's docstring)."""
    corpus = _Corpus(texts)
    return bracket_pairs(corpus) + headline_pairs(docs, texts, corpus, closeness)


# --- the table of an index --------------------------------------------------------------------------------


def state_of(docs: Iterable[Document]) -> str:
    """A key of the index's state: its documents and their contents."""
    h = hashlib.sha1(f"v{VERSION}".encode())
    for d in sorted(docs, key=lambda d: d.id):
        h.update(f"{d.id}:{d.content_hash}:{d.chars}:{d.title}:{d.source_path};".encode())
    return h.hexdigest()


_lock = threading.Lock()
_tables: dict[str, AliasTable] = {}


def table_for(retriever: Retriever) -> AliasTable:
    """The alias table of the index behind ``retriever`` (seed only when it cannot be read), mined on first use
    and cached by the index's state."""
    try:
        docs: list[Document] = list(retriever.documents())
    except Exception:  # no index to learn from: the listed names still hold
        log.debug("listing documents failed", exc_info=True)
        return AliasTable(seed_pairs())
    state = state_of(docs)
    with _lock:
        hit = _tables.get(state)
    if hit is not None:
        return hit
    folder = _data_dir(retriever)
    mined = _read_cache(folder, state)
    if mined is None:
        try:
            texts = [retriever.document_text(d.id) for d in docs]
            mined = mine(docs, texts, _closeness(retriever))
        except Exception:  # mining is a refinement; the seed stands without it
            log.warning("mining name aliases failed", exc_info=True)
            mined = []
        _write_cache(folder, state, mined)
    table = AliasTable([*seed_pairs(), *mined])
    with _lock:
        _tables.clear()  # one index per process at a time; a changed index replaces its table
        _tables[state] = table
    return table


def _closeness(retriever: Retriever) -> Closeness | None:
    embedder = getattr(retriever, "embedder", None)
    if embedder is None or not hasattr(embedder, "embed_query"):
        return None

    def closeness(name: str, words: list[str]) -> list[float]:
        v = np.asarray(embedder.embed_query(name))
        return [float(np.dot(v, np.asarray(embedder.embed_query(w)))) for w in words]

    return closeness


def _data_dir(retriever: Retriever) -> Path | None:
    folder = getattr(getattr(retriever, "settings", None), "data_dir", None)
    return Path(folder) if folder is not None else None


def _read_cache(folder: Path | None, state: str) -> list[tuple[str, str]] | None:
    if folder is None:
        return None
    try:
        raw = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
        if raw.get("state") != state:
            return None
        return [(str(a), str(b)) for a, b in raw["pairs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(folder: Path | None, state: str, pairs: list[tuple[str, str]]) -> None:
    if folder is None or not folder.is_dir():
        return
    tmp = folder / f"{CACHE_FILE}.tmp"
    try:
        tmp.write_text(json.dumps({"state": state, "pairs": pairs}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder / CACHE_FILE)
    except OSError:  # a cache only
        log.debug("writing %s failed", tmp, exc_info=True)
