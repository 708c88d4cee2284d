"""Verdicts: look each claim up in the sources and decide supported, contradicted or unverifiable.

A source supports a claim when it states the same quantity (``match.same_quantity``) with a value the claim
rounds to (``compare.compare_values``). It contradicts only when the match is strong and the values cannot both be
right. Support usually wins over contradiction (sources report one quantity at several precisions and dates),
except when the contradiction comes from the very sentence the claim copies with one figure changed, or is strong
where the support is only loose.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from assistant.check.claims import DraftClaim, is_reporter
from assistant.check.context import FigureContext
from assistant.check.counted import counted_noun, counted_terms
from assistant.check.derived import derive, derived_claim, levels_for
from assistant.check.entities import Entity, entity_terms
from assistant.check.evidence import EvidenceFinder, SourceFigure, citation
from assistant.check.judge import ALIGN_COPY, Candidate, is_contradiction, is_support, judge
from assistant.check.siblings import date_of_its_figures, drop_claimed, pair_siblings, prefer_anchor
from assistant.models import Claim, StatedFigure
from assistant.text import detect_language

log = logging.getLogger(__name__)

_MAX_EVIDENCE = 2
_STRONG_BEATS_WEAK = True
_NAME_TERMS = 6
_LABEL_HALF = 0.5  # a source label repeating half the claim's words about its figure
_OUTWORDED = 0.3
_LEXICAL_K = 3
_WITHIN_K = 3  # passages from the documents a claim names
_QUERY_CHARS = 90  # the embedder's cost grows with query length; a clause and its subject say enough


def _focus(text: str, claims: Sequence[DraftClaim], *, masked: bool) -> str:
    """The sentence of ``claims`` (figures removed when ``masked``), or just their clauses when it is long."""
    ctx = claims[0].ctx
    figures = sorted((c.ctx.figure for c in claims), key=lambda f: f.start)

    def cut(lo: int, hi: int) -> str:
        parts, pos = [], lo
        for f in figures:
            if masked and lo <= f.start and f.end <= hi and f.start >= pos:
                parts.append(text[pos : f.start])
                pos = f.end
        parts.append(text[pos:hi])
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    whole = cut(*ctx.sentence)
    if len(whole) <= _QUERY_CHARS:
        return whole
    clauses = sorted({c.ctx.clause for c in claims})
    return " ".join(cut(lo, hi) for lo, hi in clauses)[:_QUERY_CHARS]


def queries_for(text: str, claims: Sequence[DraftClaim], *, masked: bool = True) -> list[str]:
    """Queries for the claims of one sentence: the sentence (or, when long, the claims' clauses) with figures
    masked, led by subjects and metric words it does not contain; and those terms in the other language for
    cross-language recall. With ``masked=False`` only the first query, figures kept."""
    focus = _focus(text, claims, masked=masked)
    lang = detect_language(claims[0].ctx.sentence_text)
    own: list[str] = []
    en_terms: list[str] = []
    zh_terms: list[str] = []
    for c in claims:
        # a model named with its version says whose figure it is; its maker's name only dilutes the query
        versioned = any(e.cls == "model" and e.version for e in c.subjects)
        for e in c.subjects:
            en, zh = entity_terms(e)
            own.append(e.surface)
            if versioned and e.cls in {"company", "org"}:
                continue
            en_terms.append(en)
            zh_terms.append(zh)
        # qualifiers and stages before objects: "Llama 4 pre-training GPU hours"
        # what a bare number counts ("48 层") names the quantity even when the lexicon's words miss it
        counted = sorted(counted_noun(c.ctx) - c.ctx.objects) if c.ctx.figure.unit is None else []
        for cid in sorted(c.ctx.qualifiers) + sorted(c.ctx.stages) + sorted(c.ctx.objects) + counted:
            en, zh = counted_terms(cid)
            own.append(c.ctx.surfaces.get(cid, en if lang == "en" else zh))
            en_terms.append(en)
            zh_terms.append(zh)
    lead = " ".join(dict.fromkeys(t for t in own if t and t not in focus))
    first = f"{lead} {focus}".strip()[: _QUERY_CHARS + 30]
    if not masked:
        return [first]
    # a sentence of mixed script asks with both languages' terms, and in English apart: the mixed query may
    # miss an English document's passage
    others = [zh_terms] if lang == "en" else [en_terms] if lang == "zh" else [en_terms + zh_terms, en_terms]
    queries = [first]
    for other in others:
        cross = " ".join(dict.fromkeys(t for t in other if t))
        if cross and cross not in queries:
            queries.append(cross)
    if any(c.ctx.figure.unit == "date" for c in claims):
        # the date of an event: datasets and model cards say "Publication date: 2024-12-24" or "released"
        names = " ".join(dict.fromkeys(entity_terms(e)[0] for c in claims for e in c.subjects))
        queries.append(f"{names} publication date release date".strip())
    return queries


def decide(claim: DraftClaim, candidates: Sequence[Candidate], finder: EvidenceFinder, draft: str) -> Claim:
    """The verdict for one claim, with citations quoting the sources."""
    ctx = claim.ctx
    fig = ctx.figure
    stated = StatedFigure(
        text=fig.text, value=fig.value, unit=fig.unit, start=fig.start, end=fig.end, hedge=fig.hedge
    )
    base = {
        "text": ctx.sentence_text,
        "start": ctx.sentence[0],
        "end": ctx.sentence[1],
        "figure": stated,
        "subject": claim.subject_text,
    }
    supports = [c for c in candidates if is_support(claim, c)]
    contradictions = [c for c in candidates if is_contradiction(claim, c)]
    versioned = any(e.cls == "model" and e.version for e in claim.subjects)
    if supports and contradictions and _contradiction_outweighs(supports, contradictions, versioned=versioned):
        supports = []
    if supports and _support_outworded(supports, candidates):
        supports = []  # say unverifiable: the figure that reads like the claim's quantity disagrees, if weakly
    if supports and any(c.measured for c in contradictions) and not any(c.measured for c in supports):
        supports = []  # only the contradicting figure's row or words name what the claim measures
    if supports:
        chosen = _distinct(supports)
        best = chosen[0].source.ctx.figure
        reason = _say(ctx, f"The source states {best.text.strip()}.", f"来源给出{best.text.strip()}。")
        # Another document states a different value for the same quantity: show both side by side.
        ours = {c.source.passage.document.id for c in chosen}
        other = next((c for c in _distinct(contradictions) if c.source.passage.document.id not in ours), None)
        if other is not None:
            chosen = [chosen[0], other]
            a, b = best.text.strip(), other.source.ctx.figure.text.strip()
            t1, t2 = chosen[0].source.passage.document.title, other.source.passage.document.title
            reason = _say(
                ctx,
                f"Sources disagree: {t1} states {a}; {t2} states {b}.",
                f"来源不一致：{t1}给出{a}；{t2}给出{b}。",
            )
        return Claim(**base, verdict="supported", evidence=_citations(chosen, finder), reason=reason)
    if contradictions:
        # a table cell whose header or caption says all the claim measures is the one to show ("…full context")
        # ... after a source sentence the claim copies with its figure changed, which states that very quantity
        chosen = _distinct(
            sorted(
                contradictions,
                key=lambda c: (
                    c.match.align < ALIGN_COPY or c.match.entity_level not in {"clause", "sentence"},
                    not (c.source.ctx.header and _covers(ctx, c.source.ctx)),
                ),
            )
        )
        sfig = chosen[0].source.ctx.figure
        source_figure = StatedFigure(
            text=sfig.text, value=sfig.value, unit=sfig.unit, start=sfig.start, end=sfig.end, hedge=sfig.hedge
        )
        return Claim(
            **base,
            verdict="contradicted",
            source_figure=source_figure,
            evidence=_citations(chosen, finder),
            reason=_say(
                ctx,
                f"The draft says {fig.text.strip()}; the source says {sfig.text.strip()}.",
                f"草稿写{fig.text.strip()}，来源为{sfig.text.strip()}。",
            ),
        )
    return Claim(**base, verdict="unverifiable", reason=_unverifiable_reason(claim, candidates))


def _covers(claim: FigureContext, source: FigureContext) -> bool:
    return claim.word_objects <= source.word_objects


def _contradiction_outweighs(
    supports: Sequence[Candidate], contradictions: Sequence[Candidate], *, versioned: bool = False
) -> bool:
    """Support usually wins (sources state one quantity at several precisions), but not a loose match against
    the very sentence the claim was copied from with one figure changed, nor weak support against strong
    contradiction from the claim's own clause or sentence."""
    con = max(contradictions, key=lambda c: c.match.align)
    sup_align = max(c.match.align for c in supports)
    if con.match.align >= ALIGN_COPY and con.match.align >= sup_align + 0.15:
        return True
    if _STRONG_BEATS_WEAK and all(c.match.strength == "weak" for c in supports):
        return any(c.match.entity_level in {"clause", "sentence"} for c in contradictions)
    # support only from a run of bare figures naming nobody (a flattened table row "# Activated Parameters 32B
    # 12B 37B", its names on a line above) against a strong contradiction whose own clause names the claim's
    # versioned model: the named figure says whose it is, the row's order does not
    if versioned and all(_bare_row(c) for c in supports):
        return any(c.match.entity_level == "clause" and c.match.strength == "strong" for c in contradictions)
    return False


_ROW_FIGURES = 3


def _bare_row(cand: Candidate) -> bool:
    """A source sentence of several bare figures that names no model or firm, outside a parsed table."""
    src = cand.source.ctx
    if src.header or cand.match.entity_level not in {"near", "doc", "none"} or src.sentence_entities:
        return False
    return len(re.findall(r"\d+(?:\.\d+)?", src.sentence_text)) >= _ROW_FIGURES


def _support_outworded(supports: Sequence[Candidate], candidates: Sequence[Candidate]) -> bool:
    """Only loose support (a "16.9 GB" cell of the 8-bit row for a bfloat16 claim), while a different value is
    labelled with the claim's own words and lines up with it clearly better (the "bfloat16" row's 32.1 GB)."""
    if any(c.match.strength == "strong" for c in supports):
        return False
    sup = max(supports, key=lambda c: (c.match.label, c.match.align))
    rivals = [c for c in candidates if c.outcome == "mismatch"]
    return any(
        r.match.label >= _LABEL_HALF
        and r.match.label >= sup.match.label + _OUTWORDED
        and r.match.align >= sup.match.align + _OUTWORDED / 2
        for r in rivals
    )


def _distinct(cands: Sequence[Candidate]) -> list[Candidate]:
    """The best candidates, one per source sentence, at most ``_MAX_EVIDENCE``."""
    seen: set[object] = set()
    out = []
    for c in cands:
        key = (c.source.passage.document.id, c.source.ctx.sentence[0])
        quote = " ".join(c.source.ctx.sentence_text.split())
        if key in seen or quote in seen:
            continue  # one sentence, or the same words copied into another file, is cited once
        seen.update((key, quote))
        out.append(c)
        if len(out) == _MAX_EVIDENCE:
            break
    return out


def _citations(cands: Sequence[Candidate], finder: EvidenceFinder) -> list:
    return [
        citation(i, c.source, finder.text(c.source.passage.document.id)) for i, c in enumerate(cands, start=1)
    ]


def _unverifiable_reason(claim: DraftClaim, candidates: Sequence[Candidate]) -> str:
    subject = claim.subject_text or "this figure"
    fig = claim.ctx.figure.text.strip()
    if candidates:
        return _say(
            claim.ctx,
            f"Sources mention {subject} but none states a value that confirms or refutes {fig}.",
            f"来源提到{subject}，但没有可以印证或否定{fig}的数值。",
        )
    return _say(claim.ctx, f"No source states {subject}.", f"没有来源给出{subject}的数值。")


def _say(ctx: FigureContext, en: str, zh: str) -> str:
    """The reason in the claim's own language."""
    return zh if detect_language(ctx.sentence_text) == "zh" else en


def check_claims(draft: str, claims: Sequence[DraftClaim], finder: EvidenceFinder) -> list[Claim]:
    """Verdicts for all claims; retrieval runs per sentence, cached across sentences."""
    by_sentence: dict[tuple[int, int], list[DraftClaim]] = {}
    for c in claims:
        add_index_names(c, finder)
        by_sentence.setdefault(c.ctx.sentence, []).append(c)
    results: dict[int, Claim] = {}
    planned = [(group, _first_queries(draft, group, finder)) for group in by_sentence.values()]
    finder.prefetch(q for _, queries in planned for q in queries)  # one batch of query vectors for the draft
    for group, queries in planned:
        subjects = [e.surface for c in group for e in c.subjects]
        named = finder.aligner.documents_named(group[0].ctx.sentence_text, subjects)
        sources = _sources(finder, queries, _names_query(group, finder), within=(queries[0], named))
        judged = {c.ctx.figure.start: judge(c, sources, finder) for c in group}
        # A second, unmasked query only where the sources already talk about the subject but no figure decided it.
        # (also where no figure of the sources matched at all: a table row of the claim's pair is found by its
        # numbers, "| AlpacaEval2.0 (LC-winrate) | ... | 87.6 |", not by the words of the claim)
        open_claims = [c for c in group if c.subjects and not _decisive(c, judged[c.ctx.figure.start])]
        if open_claims:
            # Second chance: the words with the figures kept find passages quoting the number itself.
            extra = _sources(finder, queries_for(draft, open_claims, masked=False))
            for c in open_claims:
                merged = judge(c, extra, finder) + judged[c.ctx.figure.start]
                judged[c.ctx.figure.start] = sorted(merged, key=lambda x: -x.score)
        if len(group) > 1:
            pair_siblings(group, judged, finder)
            drop_claimed(group, judged)
            prefer_anchor(group, judged)
            date_of_its_figures(group, judged)
        for c in group:
            results[c.ctx.figure.start] = decide(c, judged[c.ctx.figure.start], finder, draft)
        for c in group:
            if results[c.ctx.figure.start].verdict != "contradicted":
                derived = _derived(c, group, judged, finder)
                results[c.ctx.figure.start] = derived or results[c.ctx.figure.start]
    return [results[k] for k in sorted(results)]


def _derived(
    change: DraftClaim, group: list[DraftClaim], judged: dict[int, list[Candidate]], finder: EvidenceFinder
) -> Claim | None:
    """A claimed change checked against the change between the source's levels (``derived``): when no source
    states it, or only a document other than the one stating the level it led to (a change is its level's)."""
    own = {c.source.passage.document.id for c in judged[change.ctx.figure.start] if is_support(change, c)}
    for level in levels_for(change, group):
        supports = [c for c in judged[level.ctx.figure.start] if is_support(level, c)]
        if any(c.source.passage.document.id in own for c in supports):
            return None
        for support in supports:  # a table cell, then the sentence that gives the level before it
            d = derive(change, support.source, finder)
            if d is not None and (not own or d.outcome == "mismatch"):
                return derived_claim(change, d, finder)
        if supports:
            return None
    return None


def add_index_names(claim: DraftClaim, finder: EvidenceFinder) -> None:
    """A claim that names no model the vocabulary knows (at most its maker) takes as subjects its index names: its rare
    words that name an indexed document ("DBRX", "Gemma"), so its evidence must come from the same subject."""
    if any(e.cls == "model" for e in claim.subjects):
        return
    text = claim.ctx.sentence_text
    found = []
    known = " ".join(e.surface.casefold() for e in claim.subjects)
    for name in finder.aligner.index_names(text):
        if name in known:
            continue  # the firm itself ("Cambricon"): its vocabulary entry also knows its other spellings
        if _only_after_numbers(name, text):
            continue  # "4.52 亿元": a unit a title happens to hold ("……收入有望近 10 亿元"), not a name
        at = text.casefold().find(name)
        surface = text[at : at + len(name)] if at >= 0 else name
        if at >= 0 and is_reporter(text, Entity(name, "", "name", surface, at)):
            continue  # "Caixin reports that …": who says the figure, not whose it is
        found.append(Entity(name, "", "name", surface, claim.ctx.sentence[0] + max(at, 0)))
    if found:
        claim.subjects = claim.subjects + found
        claim.borrowed = False


def _only_after_numbers(name: str, text: str) -> bool:
    folded = text.casefold()
    starts = [m.start() for m in re.finditer(re.escape(name), folded)]
    return bool(starts) and all(re.search(r"\d\s?$", folded[max(0, i - 2) : i]) for i in starts)


def _first_queries(draft: str, group: list[DraftClaim], finder: EvidenceFinder) -> list[str]:
    queries = queries_for(draft, group)
    named = any(e.cls in {"model", "company", "org", "chip"} for c in group for e in c.subjects)
    names = [] if named else finder.aligner.rare_names(group[0].ctx.sentence_text)
    if names:
        # without a known subject, the sentence's rare names alone find the passage in a document of the
        # other language (a subject's own terms already make the cross-language query)
        queries.append(" ".join(names[:_NAME_TERMS]))
    return queries


def _sources(
    finder: EvidenceFinder, queries: list[str], names: str = "", within: tuple[str, list[str]] = ("", [])
) -> list[SourceFigure]:
    passages = finder.search(queries)
    query, docs = within
    if docs and query:
        # the documents the claim names by their title or file name, searched alone: in the other language the
        # fused ranking over the whole index buries their passages under chunks sharing the claim's words
        ids = {p.chunk.id for p in passages}
        passages = passages + [p for p in finder.passages(query, k=_WITHIN_K, within=docs) if p.chunk.id not in ids]
    if names:
        # a data row (a CSV line) has no vector: the fused ranking buries its lexical hit under the other
        # language's nearest chunks ("Venado" in a TOP500 row for "Venado at Los Alamos ..."); its words find it
        ids = {p.chunk.id for p in passages}
        passages = passages + [
            p
            for p in finder.passages(names, k=_LEXICAL_K, lexical=True)
            if p.chunk.id not in ids and not p.chunk.dense
        ]
    return [sf for rank, p in enumerate(passages) for sf in finder.figures(p, rank)]


def _names_query(group: Sequence[DraftClaim], finder: EvidenceFinder) -> str:
    """The sentence's words rare in the index (names of systems, models, benchmarks), for a lexical look-up."""
    return " ".join(finder.aligner.rare_names(group[0].ctx.sentence_text)[:_NAME_TERMS])


def _decisive(claim: DraftClaim, candidates: Sequence[Candidate]) -> bool:
    return any(is_support(claim, x) or is_contradiction(claim, x) for x in candidates)
