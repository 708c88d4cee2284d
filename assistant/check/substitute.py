"""Substitutions: a draft sentence that copies a source sentence with one name or date changed.

The figure path only checks numbers. A draft that says "Mistral AI is headquartered in Berlin" where a source
says "Mistral AI is headquartered in Paris" states a wrong name in an otherwise identical sentence. For each draft
sentence the sources are searched lexically (BM25: the words in order are the signal, and it costs no embedding),
each nearby source sentence is aligned with the draft token by token, and when exactly one short stretch differs,
the rest matching closely, and both stretches are the same kind of thing (two names, two dates), the draft's
stretch is a claim contradicted by the source's, with the source sentence quoted.

Guards, since a false alarm costs more than a miss: only statements (no code, tables or markup); the words the
two sentences share must name something rare in the index ("The X model supports commercial use" is true of many
models); another aligned source sentence giving the draft's version in the same slot means it is supported (or the
sources disagree) and nothing is said; one stretch inside the other ("Altman" / "Sam Altman"), the same words in
another order ("Liu Yifei" / "Yifei Liu"), a shared surname, or two versions of one product ("Llama 3.3" /
"Llama 3.2") are not a wrong name (see ``namedates``); dates conflict only in a field both give.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.check.evidence import EvidenceFinder
from assistant.check.namedates import (
    CONNECTORS,
    STOP_CAPS,
    Span,
    Token,
    aliases,
    anchored,
    cjk_name_like,
    cjk_word_bounds,
    dates_conflict,
    dates_in,
    family,
    grow_cjk,
    is_label,
    latin_run,
    named,
    norm,
    same_family,
    tokens,
)
from assistant.models import Citation, Claim, Passage, StatedFigure
from assistant.text import detect_language, split_sentences, tokenize

log = logging.getLogger(__name__)

_K = 5  # passages per draft sentence
_QUERY_WORDS = 10  # the rarest words of a draft sentence make its lexical query
_AROUND = 300  # characters of document read around a passage's chunk
_MIN_SHARED = {"latin": 4, "cjk": 6}  # tokens both sentences share outside the stretch, at least
_SHARED_SHARE = 0.85  # ... and this share of the draft's other tokens
_ALIGNED = 0.6  # a source sentence repeating this share of the draft's tokens states the same thing
_MAX_SPAN = {"latin": 6, "cjk": 10}  # tokens in a differing stretch, at most
_GAP = 1  # differences this few tokens apart are one stretch ("2012年3月4日" / "2019年4月24日")
_MARKUP = re.compile(r"`|<[A-Za-z/]|\]\(|\||=|^\s*(?:from|import|def|class)\b|[#*]{2,}", re.M)


@dataclass(slots=True)
class Swap:
    """One draft stretch and the source stretch that takes its place in an aligned sentence."""

    draft: Span
    source: Span
    shared: int


# --- alignment ----------------------------------------------------------------------------------------------


def align(
    draft_text: str,
    draft: tuple[int, int],
    source_text: str,
    source: tuple[int, int],
    finder: EvidenceFinder | None = None,
    *,
    draft_tokens: list[Token] | None = None,
    source_tokens: list[Token] | None = None,
) -> Swap | None:
    """The single name or date that differs between two sentences aligned word for word, or None. The two
    sentences' ``tokens`` may be passed when the caller already has them."""
    if _MARKUP.search(draft_text, *draft) or _MARKUP.search(source_text, *source):
        return None  # code, tables and markup repeat identifiers, not statements
    a = tokens(draft_text, *draft) if draft_tokens is None else draft_tokens
    b = tokens(source_text, *source) if source_tokens is None else source_tokens
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
    if not anchored(context, finder):
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
        dr = latin_run(dt, a, *ai)
        sr = latin_run(st, b, *bj, grow="both") if not at_end else _first_run(st, b, bj)
        if dr is None or sr is None:
            return None
        # the names as grown into the shared words around them decide aliases ("Casey Affleck" / "Ben Affleck");
        # the differing words alone are what the draft got wrong
        grown_d, grown_s = dt[a[dr[0]].start : a[dr[1] - 1].end], st[b[sr[0]].start : b[sr[1] - 1].end]
        if aliases(grown_d, grown_s):
            return None
        dc, sc = _core(a, ai), _core(b, sr if at_end else bj)
        if dc is None or sc is None or is_label(dt, a[dc[1] - 1].end) or is_label(st, b[sc[1] - 1].end):
            return None
        if same_family(dt[a[dc[0]].start : a[dc[1] - 1].end], st[b[sc[0]].start : b[sc[1] - 1].end]):
            return None
        if not (named(a, dc, finder) and named(b, sc, finder)):
            return None
        dspan_ = Span("name", a[dc[0]].start, a[dc[1] - 1].end, "")
        sspan_ = Span("name", b[sc[0]].start, b[sc[1] - 1].end, "")
    elif "cjk" in dkinds and "cjk" in skinds:  # Chinese names, perhaps with Latin initials ("J·K·罗琳")
        ds, de = grow_cjk(cjk_word_bounds(dt, *dspan), d0, d1)
        ss, se = grow_cjk(cjk_word_bounds(st, *sspan), s0, s1)
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
    if "cjk" in kinds and not (cjk_name_like(dspan_.text, finder) and cjk_name_like(sspan_.text, finder)):
        return None
    return Swap(dspan_, sspan_, shared)


def _core(toks: Sequence[Token], span: tuple[int, int]) -> tuple[int, int] | None:
    """``span`` without a leading article or connector ("The Shape of Water" -> "Shape of Water")."""
    i, j = span
    while i < j and toks[i].norm in STOP_CAPS | CONNECTORS:
        i += 1
    return (i, j) if i < j else None


def _first_run(text: str, toks: Sequence[Token], bj: tuple[int, int]) -> tuple[int, int] | None:
    """The name opening a source stretch that runs on past the end of the draft's sentence."""
    run = latin_run(text, toks, bj[0], bj[0] + 1, grow="right")
    return None if run is None else (run[0], min(run[1], bj[1]))


# --- the check ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _SourceSentence:
    passage: Passage
    text: str  # the whole document text
    span: tuple[int, int]
    tokens: list[Token]  # tokenised once: the words to select by and the tokens to align with
    words: frozenset[str]


class _Sources:
    """The sentences around the chunks a lexical search finds, tokenised once per check (the searches
    themselves are the ``EvidenceFinder``'s, cached with the figure path's)."""

    def __init__(self, finder: EvidenceFinder) -> None:
        self.finder = finder
        self._sentences: dict[str, list[_SourceSentence]] = {}
        self._chunks: dict[str, list[_SourceSentence]] = {}
        self._tokens: dict[tuple[str, int, int], list[Token]] = {}

    def query(self, sentence: str) -> str:
        """The sentence's rarest words (by the index's idf), in order: a copied sentence shares them, and a short
        query keeps BM25 cheap."""
        words = list(dict.fromkeys(tokenize(sentence)))
        weights = self.finder.aligner.weights(words)
        keep = set(sorted(words, key=lambda w: -weights.get(w, 1.0))[:_QUERY_WORDS])
        return " ".join(w for w in words if w in keep)

    def around(self, sentence: str) -> list[_SourceSentence]:
        """Sentences around the chunks a lexical search finds for ``sentence`` (hybrid when there is none)."""
        q = self.query(sentence)
        if q in self._sentences:
            return self._sentences[q]
        out: list[_SourceSentence] = []
        seen: set[tuple[str, int]] = set()
        for p in self.finder.passages(q, k=_K, lexical=True):
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
            out = []
            for s in split_sentences(text, lo, hi):
                key = (doc, *s)
                if key not in self._tokens:  # neighbouring chunks share the sentences at their borders
                    self._tokens[key] = tokens(text, *s)
                toks = self._tokens[key]
                out.append(_SourceSentence(p, text, s, toks, frozenset(t.norm for t in toks)))
            self._chunks[p.chunk.id] = out
        return self._chunks[p.chunk.id]


def find_substitutions(
    draft: str, finder: EvidenceFinder, periods: Sequence[tuple[int, int]] = ()
) -> list[Claim]:
    """Contradicted claims for names and dates a draft sentence swaps in a sentence the sources state.

    In the sentences ``periods`` (spans whose figures the figure path checks), a date is the period of those
    figures, not an event's date: "2023年上半年, rents rose above $4.5" against a source's 2024 is another period,
    judged with the figure, not a wrong date."""
    t0 = time.perf_counter()
    found = _Sources(finder)
    claims: list[Claim] = []
    for s0, s1 in split_sentences(draft):
        own = tokens(draft, s0, s1)
        words = {t.norm for t in own}
        if len(words) < 4:
            continue
        sources = found.around(draft[s0:s1])
        aligned = [s for s in sources if len(words & s.words) >= _ALIGNED * len(words)]
        best: tuple[Swap, _SourceSentence] | None = None
        for src in aligned:
            swap = align(
                draft, (s0, s1), src.text, src.span, finder, draft_tokens=own, source_tokens=src.tokens
            )
            if swap is not None and (best is None or swap.shared > best[0].shared):
                best = (swap, src)
        if best is None or _stated_elsewhere(own, best[0], aligned, sources):
            continue
        if best[0].draft.kind == "date" and any(p0 < s1 and s0 < p1 for p0, p1 in periods):
            continue
        claims.append(_claim(draft, (s0, s1), *best))
    log.info("substitutions: %d found in %.0f ms", len(claims), (time.perf_counter() - t0) * 1e3)
    return claims


def _stated_elsewhere(
    a: Sequence[Token], swap: Swap, aligned: Sequence[_SourceSentence], sources: Sequence[_SourceSentence]
) -> bool:
    """Whether the sources also give the draft's version: an aligned sentence with the draft's name in the same
    slot, or a date that agrees with the draft's (supported, or the sources disagree); for another version of
    the same family ("Llama 3" / "Llama 3.1"), the draft's version anywhere nearby. ``a``: the draft
    sentence's tokens."""
    inside = [k for k, t in enumerate(a) if swap.draft.start <= t.start and t.end <= swap.draft.end]
    for src in aligned:
        if swap.draft.kind == "date":
            if any(not dates_conflict(swap.draft, d) for d in dates_in(src.text, *src.span)):
                return True
        elif inside and _in_slot(a, inside, src.tokens):
            return True
    want = norm(swap.draft.text)
    if swap.draft.kind == "name" and family(swap.draft.text) == family(swap.source.text):
        return any(want in norm(s.text[s.span[0] : s.span[1]]) for s in sources)
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
        periods = [(c.start, c.end) for c in claims if c.figure.unit != "date"]
        swaps = find_substitutions(draft, finder, periods)
    except Exception:  # the extra check must never sink the figure check
        log.exception("substitution check failed")
        return list(claims)
    return merge_claims(claims, swaps)


__all__ = ["Swap", "align", "check_substitutions", "find_substitutions", "merge_claims"]
