"""Substitutions: a draft sentence that copies a source sentence with one name or date changed.

The figure path only checks numbers. A draft that says "Mistral AI is headquartered in Berlin" where a source
says "Mistral AI is headquartered in Paris" states a wrong name in an otherwise identical sentence. For each draft
sentence the sources are searched lexically (BM25: the words in order are the signal, and it costs no embedding),
each nearby source sentence is aligned with the draft token by token, and when exactly one short stretch differs,
the rest matching closely, and both stretches are the same kind of thing (two names, two dates), the draft's
stretch is a claim contradicted by the source's, with the source sentence quoted.

Guards, since a false alarm costs more than a miss: another aligned source sentence that states the draft's
version means it is supported (or the sources disagree) and nothing is said; one stretch inside the other
("Altman" / "Sam Altman"), the same words in another order ("Liu Yifei" / "Yifei Liu") or the same surname are
aliases; two versions of one family ("Llama 3" / "Llama 3.1") both known to the sources are not flagged; Chinese
stretches must read as names (jieba's noun tags, or rare in the index), English ones must be capitalised.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from assistant.check.evidence import EvidenceFinder
from assistant.models import Citation, Claim, Passage, StatedFigure
from assistant.text import detect_language, split_sentences
from tools.figures import find_dates

log = logging.getLogger(__name__)

Kind = Literal["name", "date"]

_K = 5  # passages per draft sentence
_QUERY_WORDS = 10  # the rarest words of a draft sentence make its lexical query
_AROUND = 300  # characters of document read around a passage's chunk
_MIN_SHARED = {"latin": 4, "cjk": 6}  # tokens both sentences share outside the stretch, at least
_SHARED_SHARE = 0.85  # ... and this share of the draft's other tokens
_ALIGNED = 0.6  # a source sentence repeating this share of the draft's tokens states the same thing
_MAX_SPAN = {"latin": 6, "cjk": 10}  # tokens in a differing stretch, at most
_GAP = 1  # differences this few tokens apart are one stretch ("2012年3月4日" / "2019年4月24日")
_CONNECTORS = frozenset({"of", "the", "de", "del", "der", "van", "von", "da", "di", "du", "la", "le", "v", "vs"})
_STOP_CAPS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "in", "on", "at",
    "by", "for", "as", "but", "and", "or", "if", "when", "while", "after", "before", "since", "his", "her", "their",
})
_MARKUP = re.compile(r"`|<[A-Za-z/]|\]\(|\||=|^\s*(?:from|import|def|class)\b|[#*]{2,}", re.M)
_NAME_GAP = re.compile(r"\.?[ \u00a0]?")
_NAME_TAGS = ("n", "eng", "j")  # jieba part-of-speech tags of nouns, proper names, Latin words, abbreviations
_RARE_SHARE = 0.5

_TOKEN = re.compile(
    r"(?P<latin>[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F\-]*(?:['’](?!s\b)[A-Za-z]+)*)"  # "Goodell|'s"
    r"|(?P<num>\d+(?:[.,]\d+)*)|(?P<cjk>[\u3400-\u9fff])"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年|\b(?:in|since|from|until)\s+((?:19|20)\d\d)\b", re.I)
_MONTHS = {
    m: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for m in names
}


@dataclass(slots=True, frozen=True)
class Token:
    norm: str
    start: int
    end: int
    kind: str  # latin, num, cjk


@dataclass(slots=True)
class Span:
    """A stretch of a sentence: character offsets (absolute) and its kind."""

    kind: Kind
    start: int
    end: int
    text: str
    date: tuple[int | None, int | None, int | None] | None = None


@dataclass(slots=True)
class Swap:
    """One draft stretch and the source stretch that takes its place in an aligned sentence."""

    draft: Span
    source: Span
    shared: int


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    """Words, numbers and single CJK characters of ``text[lo:hi]`` with absolute offsets (punctuation dropped)."""
    hi = len(text) if hi is None else hi
    return [
        Token(m.group().casefold(), m.start(), m.end(), m.lastgroup or "")
        for m in _TOKEN.finditer(text, lo, hi)
    ]


# --- dates --------------------------------------------------------------------------------------------------


def dates_in(text: str, lo: int, hi: int) -> list[Span]:
    """Dates of ``text[lo:hi]`` ("April 18, 2024", "2023年3月16日", "3月16日", "1991年", "in 2019")."""
    part = text[lo:hi]
    spans = [(s, e) for s, e, *_ in find_dates(part)]
    for m in _YEAR.finditer(part):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            spans.append(m.span(1) if m.group(1) else m.span(2))
    out = []
    for s, e in sorted(spans):
        fields = _date_fields(part[s:e])
        if fields is not None:
            out.append(Span("date", lo + s, lo + e, part[s:e], fields))
    return out


def _date_fields(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) written in a date, each None when not given."""
    year = month = day = None
    if m := re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text):
        year = int(m.group(1))
    if m := re.search(r"(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?", text):
        month = int(m.group(1))
        day = int(m.group(2)) if m.group(2) else None
    elif m := re.search(r"\b([A-Za-z]{3,9})\.?\b", text):
        month = _MONTHS.get(m.group(1).casefold())
        rest = (text[: m.start()] + " " + text[m.end():]).replace(str(year or ""), " ", 1)
        if month is not None and (d := re.search(r"(?<!\d)(\d{1,2})(?!\d)", rest)):
            day = int(d.group(1))
    elif m := re.search(r"(?<!\d)(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text):
        month = int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
    if year is None and month is None:
        return None
    return year, month, day


def dates_conflict(a: Span, b: Span) -> bool:
    """Two dates conflict when a field both give differs (a bare "3月16日" agrees with "2023年3月16日")."""
    if a.date is None or b.date is None:
        return False
    both = [(x, y) for x, y in zip(a.date, b.date, strict=True) if x is not None and y is not None]
    return bool(both) and any(x != y for x, y in both)


# --- names --------------------------------------------------------------------------------------------------


def _latin_run(text: str, toks: Sequence[Token], i: int, j: int, *, grow: str = "both") -> tuple[int, int] | None:
    """Token range [i, j) grown to the whole capitalised name around it ("Casey" -> "Casey Affleck"); None when a
    token inside is an ordinary lowercase word."""

    def is_cap(t: Token) -> bool:
        return t.kind == "latin" and text[t.start].isupper()

    def is_name(k: int) -> bool:
        t = toks[k]
        if is_cap(t) or (t.kind == "num" and k > 0 and is_cap(toks[k - 1])):
            return True
        inner = 0 < k < len(toks) - 1 and is_cap(toks[k - 1]) and is_cap(toks[k + 1])
        return t.norm in _CONNECTORS and inner

    if not all(is_name(k) for k in range(i, j)):
        return None
    if not any(is_cap(toks[k]) and toks[k].norm not in _STOP_CAPS for k in range(i, j)):
        return None
    def joined(k: int) -> bool:  # tokens k-1 and k are written as one name: a space or an initial's dot between
        return _NAME_GAP.fullmatch(text[toks[k - 1].end : toks[k].start]) is not None

    def grows(k: int) -> bool:  # the context a name runs on into: not through "of" ("Matsuyama of Ireland")
        return is_name(k) and toks[k].norm not in _CONNECTORS

    if grow in ("both", "left"):
        # never into the sentence's first word: its capital says where it stands, not that it is a name
        while i > 1 and grows(i - 1) and joined(i):
            i -= 1
    if grow in ("both", "right"):
        while j < len(toks) and grows(j) and joined(j):
            j += 1
    while i < j and toks[i].norm in _STOP_CAPS | _CONNECTORS:
        i += 1  # "The" opening a sentence is not part of the name
    return (i, j) if i < j else None


def _cjk_word_bounds(text: str, lo: int, hi: int) -> list[int]:
    """Word boundaries (absolute offsets) of jieba's segmentation of ``text[lo:hi]``."""
    from assistant.text import _jieba

    bounds, pos = [lo], lo
    for w in _jieba().cut(text[lo:hi], HMM=True):
        pos += len(w)
        bounds.append(pos)
    return bounds


def _grow_cjk(bounds: Sequence[int], start: int, end: int) -> tuple[int, int]:
    s = max((b for b in bounds if b <= start), default=start)
    e = min((b for b in bounds if b >= end), default=end)
    return s, e


def _cjk_name_like(span: str, finder: EvidenceFinder | None) -> bool:
    """A Chinese stretch that reads as a name: a noun or proper name by jieba's tags, in 《》, or rare in the
    index (so "表示" / "指出" never count, "葡萄牙" / "西班牙" do)."""
    if len(span) < 2:
        return False
    if "·" in span or span.startswith("《"):
        return True
    import jieba.posseg

    if any(p.flag.startswith(_NAME_TAGS) for p in jieba.posseg.cut(span)):
        return True
    if finder is not None:
        names = finder.aligner.rare_names(span)
        return bool(names) and any(len(n) >= 2 for n in names)
    return False


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def aliases(a: str, b: str) -> bool:
    """Two ways of naming one thing: one inside the other, the same words reordered, or the same last word."""
    na, nb = _norm(a), _norm(b)
    if not na or not nb or na in nb or nb in na:
        return True
    wa = re.findall(r"[A-Za-z0-9\u00C0-\u024F]+", a.casefold())
    wb = re.findall(r"[A-Za-z0-9\u00C0-\u024F]+", b.casefold())
    # a shared surname ("Ben Affleck" / "Casey Affleck") may be two people, but is not flagged; a shared number
    # ("Nova 2" / "Orion 2") says nothing
    surname = bool(wa and wb) and wa[-1] == wb[-1] and wa[-1].isalpha() and len(wa[-1]) > 2
    return bool(wa and wb and set(wa) == set(wb)) or surname


def _family(text: str) -> str:
    """The letters a name opens with: "DeepSeek-V3" -> "deepseek", "Llama2" -> "llama"."""
    m = re.match(r"[^\W\d_]+", text.casefold().strip())
    return m.group() if m else ""


def same_family(a: str, b: str) -> bool:
    """Two versions of one product ("Llama 3.3" / "Llama 3.2", "DeepSeek-V2" / "DeepSeek-V3"): model cards and
    READMEs of versions repeat each other's sentences, so a different version is not a wrong name."""
    fa, fb = _family(a), _family(b)
    if min(len(fa), len(fb)) >= 3 and (fa.startswith(fb) or fb.startswith(fa)):
        return True  # "DeepSeekMoE" / "DeepSeek-V3" too
    wa = {w for w in re.findall(r"[^\W\d_]{2,}", a.casefold()) if w not in _STOP_CAPS}
    wb = {w for w in re.findall(r"[^\W\d_]{2,}", b.casefold()) if w not in _STOP_CAPS}
    return bool(wa & wb)


def _anchored(context: str, finder: EvidenceFinder | None) -> bool:
    """Whether the words the two sentences share name something of their own: a name rare in the index
    ("Tesla", "诺贝尔"), not only generic words. "The X model supports commercial use" is true of many models,
    so another model's name in that sentence contradicts nothing."""
    if finder is None or not callable(getattr(finder.retriever, "term_idf", None)):
        # no index statistics: any capitalised word past the first, or Chinese words
        caps = [m for m in re.finditer(r"\b[A-Z][\w-]+", context) if m.start() > 0]
        return bool(caps) or len(re.findall(r"[\u3400-\u9fff]", context)) >= 4
    for name in finder.aligner.rare_names(context):
        if re.search(r"[\u3400-\u9fff\d]", name):
            return True
        for m in re.finditer(re.escape(name), context, re.I):
            if context[m.start()].isupper():  # rare and capitalised: a name even opening the sentence
                return True
    return False


def _label(text: str, end: int) -> bool:
    """A field label ("Note:", "**Release Date:**"), not a name in a sentence."""
    return re.match(r"[*_\s]*[:：]", text[end : end + 4]) is not None


def _named(toks: Sequence[Token], span: tuple[int, int], finder: EvidenceFinder | None) -> bool:
    """A lone capitalised word opening a sentence is a name only when the index finds it rare ("Alexa", not
    "Note"): its capital may only mark where the sentence starts."""
    i, j = span
    if j - i > 1 or i > 0 or finder is None:
        return True
    return bool(finder.aligner.rare_names(toks[i].norm))


# --- alignment ----------------------------------------------------------------------------------------------


def align(
    draft_text: str,
    draft: tuple[int, int],
    source_text: str,
    source: tuple[int, int],
    finder: EvidenceFinder | None = None,
) -> Swap | None:
    """The single name or date that differs between two sentences aligned word for word, or None."""
    if _MARKUP.search(draft_text, *draft) or _MARKUP.search(source_text, *source):
        return None  # code, tables and markup repeat identifiers, not statements
    a = tokens(draft_text, *draft)
    b = tokens(source_text, *source)
    if not a or not b:
        return None
    script = "cjk" if sum(t.kind == "cjk" for t in a) * 2 >= len(a) else "latin"
    ops = SequenceMatcher(None, [t.norm for t in a], [t.norm for t in b], autojunk=False).get_opcodes()
    # the source sentence may say more before or after the part the draft copies
    lead_extra = bool(ops) and ops[0][0] == "insert"
    trail_extra = bool(ops) and ops[-1][0] == "insert"
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    groups: list[list[int]] = []  # [i1, i2, j1, j2] of differing stretches
    merged = False
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= _GAP and j1 - groups[-1][3] <= _GAP:
            groups[-1][1], groups[-1][3] = i2, j2
            merged = True
        else:
            groups.append([i1, i2, j1, j2])
    # one stretch, or one name swapped the same way each time it occurs ("日本 ... 日本" / "阿联酋 ... 阿联酋")
    pairs = {(_words(a, g[0], g[1]), _words(b, g[2], g[3])) for g in groups}
    if not groups or len(pairs) != 1 or len(groups) > 3:
        return None
    i1, i2, j1, j2 = groups[0]
    if i1 == i2 or j1 == j2:
        return None
    shared = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    outside = len(a) - sum(g[1] - g[0] for g in groups)
    if shared < _MIN_SHARED[script] or shared < _SHARED_SHARE * outside:
        return None
    at_start, at_end = i1 == 0, i2 == len(a)
    source_edge = (at_start and lead_extra) or (at_end and trail_extra) or (at_end and j2 == len(b))
    if i2 - i1 > _MAX_SPAN[script] or (j2 - j1 > _MAX_SPAN[script] and not source_edge):
        return None
    context = draft_text[draft[0] : a[i1].start] + " … " + draft_text[a[i2 - 1].end : draft[1]]
    if not _anchored(context, finder):
        return None
    swap = _classify(draft_text, draft, a, (i1, i2), source_text, source, b, (j1, j2), shared, finder, at_end)
    if swap is not None and merged and script == "latin" and swap.draft.kind != "date":
        return None  # two changes a word apart are one date ("April 2, 2011"), not one English name
    return swap


def _words(toks: Sequence[Token], i: int, j: int) -> str:
    return " ".join(t.norm for t in toks[i:j])


def _classify(
    dt: str, dspan: tuple[int, int], a: list[Token], ai: tuple[int, int],
    st: str, sspan: tuple[int, int], b: list[Token], bj: tuple[int, int],
    shared: int, finder: EvidenceFinder | None, at_end: bool,
) -> Swap | None:
    """Which kind of thing the two differing stretches are, grown to whole names or dates; None if not alike."""
    d0, d1 = a[ai[0]].start, a[ai[1] - 1].end
    s0, s1 = b[bj[0]].start, b[bj[1] - 1].end
    ddates = [d for d in dates_in(dt, *dspan) if d.start < d1 and d0 < d.end]
    if ddates:
        sdates = [d for d in dates_in(st, *sspan) if d.start < s1 and s0 < d.end]
        if len(ddates) != 1 or not sdates or not (ddates[0].start <= d0 and d1 <= ddates[0].end):
            return None
        dd, sd = ddates[0], sdates[0]
        return Swap(dd, sd, shared) if dates_conflict(dd, sd) else None
    dkinds, skinds = {t.kind for t in a[ai[0] : ai[1]]}, {t.kind for t in b[bj[0] : bj[1]]}
    kinds = dkinds | skinds
    if kinds <= {"num"}:
        return None  # a changed number: the figure path checks it
    if kinds <= {"latin", "num"}:
        dr = _latin_run(dt, a, *ai)
        sr = _latin_run(st, b, *bj, grow="both") if not at_end else _first_run(st, b, bj)
        if dr is None or sr is None:
            return None
        # the names as grown into the shared words around them decide aliases ("Casey Affleck" / "Ben Affleck");
        # the differing words alone are what the draft got wrong
        grown_d, grown_s = dt[a[dr[0]].start : a[dr[1] - 1].end], st[b[sr[0]].start : b[sr[1] - 1].end]
        if aliases(grown_d, grown_s):
            return None
        dc, sc = _core(a, ai), _core(b, sr if at_end else bj)
        if dc is None or sc is None or _label(dt, a[dc[1] - 1].end) or _label(st, b[sc[1] - 1].end):
            return None
        if same_family(dt[a[dc[0]].start : a[dc[1] - 1].end], st[b[sc[0]].start : b[sc[1] - 1].end]):
            return None
        if not (_named(a, dc, finder) and _named(b, sc, finder)):
            return None
        dspan_ = Span("name", a[dc[0]].start, a[dc[1] - 1].end, "")
        sspan_ = Span("name", b[sc[0]].start, b[sc[1] - 1].end, "")
    elif "cjk" in dkinds and "cjk" in skinds:  # Chinese names, perhaps with Latin initials ("J·K·罗琳")
        ds, de = _grow_cjk(_cjk_word_bounds(dt, *dspan), d0, d1)
        ss, se = _grow_cjk(_cjk_word_bounds(st, *sspan), s0, s1)
        # grow by the shared words both segmentations agree on ("北京" -> "北京大学"), not by a character jieba
        # glued to an unknown name on one side only ("周鸿祎于")
        left, right = min(d0 - ds, s0 - ss), min(de - d1, se - s1)
        dspan_ = Span("name", d0 - left, d1 + right, "")
        sspan_ = Span("name", s0 - left, s1 + right, "")
        if sspan_.end - sspan_.start > _MAX_SPAN["cjk"] or dspan_.end - dspan_.start > _MAX_SPAN["cjk"]:
            return None
    else:
        return None
    dspan_.text = dt[dspan_.start : dspan_.end]
    sspan_.text = st[sspan_.start : sspan_.end]
    if aliases(dspan_.text, sspan_.text):
        return None
    if "cjk" in kinds and not (_cjk_name_like(dspan_.text, finder) and _cjk_name_like(sspan_.text, finder)):
        return None
    return Swap(dspan_, sspan_, shared)


def _core(toks: Sequence[Token], span: tuple[int, int]) -> tuple[int, int] | None:
    """``span`` without a leading article or connector ("The Shape of Water" -> "Shape of Water")."""
    i, j = span
    while i < j and toks[i].norm in _STOP_CAPS | _CONNECTORS:
        i += 1
    return (i, j) if i < j else None


def _first_run(text: str, toks: Sequence[Token], bj: tuple[int, int]) -> tuple[int, int] | None:
    """The name opening a source stretch that runs on past the end of the draft's sentence."""
    run = _latin_run(text, toks, bj[0], bj[0] + 1, grow="right")
    return None if run is None else (run[0], min(run[1], bj[1]))


# --- the check ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _SourceSentence:
    passage: Passage
    text: str  # the whole document text
    span: tuple[int, int]
    words: frozenset[str]


class _Sources:
    """Lexical searches and the sentences around their chunks, tokenised once per check."""

    def __init__(self, finder: EvidenceFinder) -> None:
        self.finder = finder
        self._searches: dict[str, list[Passage]] = {}
        self._sentences: dict[str, list[_SourceSentence]] = {}
        self._words: dict[tuple[str, int, int], frozenset[str]] = {}
        self._chunks: dict[str, list[_SourceSentence]] = {}
        f = finder.filters
        self._excluded = set(f.exclude_doc_ids or []) if f is not None else set()
        # an exclusion alone is cheaper applied to the hits than as an index filter (it masks every chunk); the
        # excluded document (the draft itself, indexed) may take a few of the top places
        only_excluding = f is None or not f.model_dump(exclude_none=True, exclude={"exclude_doc_ids"})
        self._filters = None if only_excluding else f
        self._k = _K + (2 * min(len(self._excluded), 4) if only_excluding else 0)

    def query(self, sentence: str) -> str:
        """The sentence's rarest words (by the index's idf), in order: a copied sentence shares them, and a short
        query keeps BM25 cheap."""
        from assistant.text import tokenize

        words = list(dict.fromkeys(tokenize(sentence)))
        weights = self.finder.aligner.weights(words)
        keep = set(sorted(words, key=lambda w: -weights.get(w, 1.0))[:_QUERY_WORDS])
        return " ".join(w for w in words if w in keep)

    def around(self, sentence: str) -> list[_SourceSentence]:
        """Sentences around the chunks a lexical search finds for ``sentence`` (hybrid when there is none)."""
        q = self.query(sentence)
        if q in self._sentences:
            return self._sentences[q]
        retriever = self.finder.retriever
        lexical = getattr(retriever, "search_lexical", None)
        try:
            found = (lexical or retriever.search)(q, k=self._k, filters=self._filters)
        except Exception:  # a failing search must not sink the whole check
            log.exception("search failed for %r", q)
            found = []
        passages = [p for p in found if p.document.id not in self._excluded][:_K]
        out: list[_SourceSentence] = []
        seen: set[tuple[str, int]] = set()
        for p in passages:
            for src in self.of_chunk(p):
                if (p.chunk.doc_id, src.span[0]) not in seen:
                    seen.add((p.chunk.doc_id, src.span[0]))
                    out.append(src)
        self._sentences[q] = out
        return out

    def of_chunk(self, p: Passage) -> list[_SourceSentence]:
        """The sentences in and just around a chunk (many draft sentences find the same chunks)."""
        if p.chunk.id not in self._chunks:
            doc = p.chunk.doc_id
            text = self.finder.text(doc)
            lo, hi = max(0, p.chunk.start - _AROUND), min(len(text), p.chunk.end + _AROUND)
            self._chunks[p.chunk.id] = [
                _SourceSentence(p, text, s, self.words(doc, text, s)) for s in split_sentences(text, lo, hi)
            ]
        return self._chunks[p.chunk.id]

    def words(self, doc: str, text: str, span: tuple[int, int]) -> frozenset[str]:
        key = (doc, *span)
        if key not in self._words:
            self._words[key] = frozenset(m.group().casefold() for m in _TOKEN.finditer(text, *span))
        return self._words[key]


def find_substitutions(draft: str, finder: EvidenceFinder) -> list[Claim]:
    """Contradicted claims for names and dates a draft sentence swaps in a sentence the sources state."""
    t0 = time.perf_counter()
    found = _Sources(finder)
    claims: list[Claim] = []
    for s0, s1 in split_sentences(draft):
        words = {t.norm for t in tokens(draft, s0, s1)}
        if len(words) < 4:
            continue
        sources = found.around(draft[s0:s1])
        aligned = [s for s in sources if len(words & s.words) >= _ALIGNED * len(words)]
        best: tuple[Swap, _SourceSentence] | None = None
        for src in aligned:
            swap = align(draft, (s0, s1), src.text, src.span, finder)
            if swap is not None and (best is None or swap.shared > best[0].shared):
                best = (swap, src)
        if best is None or _stated_elsewhere(draft, (s0, s1), best[0], aligned, sources):
            continue
        claims.append(_claim(draft, (s0, s1), *best))
    log.info("substitutions: %d found in %.0f ms", len(claims), (time.perf_counter() - t0) * 1e3)
    return claims


def _stated_elsewhere(
    draft: str, sentence: tuple[int, int], swap: Swap, aligned: Sequence[_SourceSentence],
    sources: Sequence[_SourceSentence],
) -> bool:
    """Whether the sources also give the draft's version: an aligned sentence with the draft's name in the same
    slot, or a date that agrees with the draft's (supported, or the sources disagree); for another version of
    the same family ("Llama 3" / "Llama 3.1"), the draft's version anywhere nearby."""
    a = tokens(draft, *sentence)
    inside = [k for k, t in enumerate(a) if swap.draft.start <= t.start and t.end <= swap.draft.end]
    for src in aligned:
        if swap.draft.kind == "date":
            if any(not dates_conflict(swap.draft, d) for d in dates_in(src.text, *src.span)):
                return True
        elif inside and _in_slot(a, inside, tokens(src.text, *src.span)):
            return True
    want = _norm(swap.draft.text)
    if swap.draft.kind == "name" and _family(swap.draft.text) == _family(swap.source.text):
        return any(want in _norm(s.text[s.span[0] : s.span[1]]) for s in sources)
    return False


def _in_slot(a: Sequence[Token], inside: Sequence[int], b: Sequence[Token]) -> bool:
    """Whether the draft tokens ``inside`` fall in a stretch that ``b`` repeats word for word, with a word of
    context on at least one side (the name alone elsewhere in the sentence is another slot)."""
    matcher = SequenceMatcher(None, [t.norm for t in a], [t.norm for t in b], autojunk=False)
    lo, hi = inside[0], inside[-1] + 1
    return any(
        (i <= lo - 1 and hi <= i + n) or (i <= lo and hi + 1 <= i + n)
        for i, _, n in matcher.get_matching_blocks()
        if n
    )


def _claim(draft: str, sentence: tuple[int, int], swap: Swap, src: _SourceSentence) -> Claim:
    d, s = swap.draft, swap.source
    doc = src.passage.document
    quote = Citation.quoting(1, doc, src.text, *src.span, page=src.passage.chunk.page, row=src.passage.chunk.row)
    zh = detect_language(draft[sentence[0] : sentence[1]]) == "zh"
    what = ("日期" if zh else "date") if d.kind == "date" else ("名称" if zh else "name")
    reason = (
        f"草稿写{d.text}，来源在同一句中写{s.text}。"
        if zh
        else f"The draft says {d.text}; the source says {s.text} in the same sentence."
    )
    return Claim(
        text=draft[sentence[0] : sentence[1]],
        start=sentence[0],
        end=sentence[1],
        figure=_stated(d),
        subject=what,
        verdict="contradicted",
        source_figure=_stated(s),
        evidence=[quote],
        reason=reason,
    )


def _stated(span: Span) -> StatedFigure:
    """A name or date as a stated figure: a date's value is YYYYMMDD (missing fields 0), a name's 0."""
    value = 0.0
    if span.date is not None:
        y, m, d = span.date
        value = float((y or 0) * 10000 + (m or 0) * 100 + (d or 0))
    return StatedFigure(text=span.text, value=value, unit=span.kind, start=span.start, end=span.end)


def merge_claims(claims: Sequence[Claim], swaps: Sequence[Claim]) -> list[Claim]:
    """The figure path's claims with the substitutions added; where both read one stretch, a decided figure
    claim stays and an unverifiable one gives way."""
    out = list(claims)
    for sw in swaps:
        overlapping = [c for c in out if c.figure.start < sw.figure.end and sw.figure.start < c.figure.end]
        if any(c.verdict != "unverifiable" for c in overlapping):
            continue
        out = [c for c in out if c not in overlapping] + [sw]
    return sorted(out, key=lambda c: (c.figure.start, c.figure.end))


def check_substitutions(draft: str, claims: Sequence[Claim], finder: EvidenceFinder) -> list[Claim]:
    """``claims`` plus the names and dates the draft swapped in sentences the sources state (see module doc)."""
    try:
        swaps = find_substitutions(draft, finder)
    except Exception:  # the extra check must never sink the figure check
        log.exception("substitution check failed")
        return list(claims)
    return merge_claims(claims, swaps)


__all__ = ["Swap", "align", "aliases", "check_substitutions", "dates_in", "find_substitutions", "merge_claims"]
