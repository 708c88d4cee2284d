"""Verdicts: look each claim up in the sources and decide supported, contradicted or unverifiable.

A source supports a claim when it states the same quantity (``match.same_quantity``) with a value the claim
rounds to (``compare.compare_values``). It contradicts only when the match is strong and the values cannot both be
right. Support wins over contradiction: sources legitimately report one quantity at several precisions and dates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.check.claims import DraftClaim
from assistant.check.compare import Outcome, compare_values
from assistant.check.evidence import EvidenceFinder, SourceFigure, citation
from assistant.check.lexicon import concept_terms, entity_terms
from assistant.check.match import QuantityMatch, same_quantity
from assistant.models import Claim, StatedFigure
from assistant.text import detect_language

log = logging.getLogger(__name__)

_LEVEL_BONUS = {"clause": 0.3, "sentence": 0.25, "near": 0.1, "doc": 0.15, "none": 0.0}
_MAX_EVIDENCE = 2


@dataclass(slots=True)
class Candidate:
    source: SourceFigure
    match: QuantityMatch
    outcome: Outcome

    @property
    def score(self) -> float:
        strength = 2.0 if self.match.strength == "strong" else 1.0
        return (
            strength + self.match.align + _LEVEL_BONUS[self.match.entity_level] + 1.0 / (2 + self.source.rank)
        )


def queries_for(text: str, claims: Sequence[DraftClaim]) -> list[str]:
    """Queries for the claims of one sentence: the sentence with its figures masked (plus subjects named only
    in an earlier sentence), and the subject and metric terms in the other language for cross-language recall."""
    ctx = claims[0].ctx
    s0, s1 = ctx.sentence
    parts, pos = [], s0
    for c in sorted(claims, key=lambda c: c.ctx.figure.start):
        f = c.ctx.figure
        if f.start >= pos:
            parts.append(text[pos : f.start])
            pos = f.end
    parts.append(text[pos:s1])
    masked = re.sub(r"\s+", " ", " ".join(parts)).strip()
    lang = detect_language(ctx.sentence_text)
    en_terms: list[str] = []
    zh_terms: list[str] = []
    for c in claims:
        for e in c.subjects:
            en, zh = entity_terms(e)
            if e.surface not in ctx.sentence_text:
                masked = f"{e.surface} {masked}"
            en_terms.append(en)
            zh_terms.append(zh)
        for cid in c.ctx.objects | c.ctx.stages | c.ctx.qualifiers:
            en, zh = concept_terms(cid)
            en_terms.append(en)
            zh_terms.append(zh)
    other = zh_terms if lang == "en" else en_terms if lang == "zh" else en_terms + zh_terms
    cross = " ".join(dict.fromkeys(t for t in other if t))
    return [masked, cross] if cross and cross != masked else [masked]


def judge(claim: DraftClaim, sources: Sequence[SourceFigure]) -> list[Candidate]:
    """Every source figure that states the claim's quantity, with how its value compares."""
    out = []
    for sf in sources:
        m = same_quantity(claim.ctx, sf.ctx, claim.subjects)
        if m.strength is None:
            continue
        out.append(Candidate(sf, m, compare_values(claim.ctx.figure, sf.ctx.figure)))
    out.sort(key=lambda c: -c.score)
    return out


def _contradicts(claim: DraftClaim, cand: Candidate) -> bool:
    if cand.outcome != "mismatch" or cand.match.strength != "strong":
        return False
    # Without a named subject only a near-identical sentence may contradict.
    return bool(claim.subjects) or cand.match.align >= 0.55


def _supports(claim: DraftClaim, cand: Candidate) -> bool:
    if cand.outcome != "match":
        return False
    return cand.match.strength == "strong" or bool(claim.subjects) or cand.match.align >= 0.35


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
    supports = [c for c in candidates if _supports(claim, c)]
    contradictions = [c for c in candidates if _contradicts(claim, c)]
    if supports:
        chosen = _distinct(supports)
        best = chosen[0].source.ctx.figure
        return Claim(
            **base,
            verdict="supported",
            evidence=_citations(chosen, finder),
            reason=f"The source states {best.text.strip()}.",
        )
    if contradictions:
        chosen = _distinct(contradictions)
        sfig = chosen[0].source.ctx.figure
        source_figure = StatedFigure(
            text=sfig.text, value=sfig.value, unit=sfig.unit, start=sfig.start, end=sfig.end, hedge=sfig.hedge
        )
        return Claim(
            **base,
            verdict="contradicted",
            source_figure=source_figure,
            evidence=_citations(chosen, finder),
            reason=f"The draft says {fig.text.strip()}; the source says {sfig.text.strip()}.",
        )
    return Claim(**base, verdict="unverifiable", reason=_unverifiable_reason(claim, candidates))


def _distinct(cands: Sequence[Candidate]) -> list[Candidate]:
    """The best candidates, one per source sentence, at most ``_MAX_EVIDENCE``."""
    seen: set[tuple[str, int]] = set()
    out = []
    for c in cands:
        key = (c.source.passage.document.id, c.source.ctx.sentence[0])
        if key in seen:
            continue
        seen.add(key)
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
    if candidates:
        return f"Sources mention {subject} but none states a value that confirms or refutes {claim.ctx.figure.text.strip()}."
    return f"No source states {subject}."


def check_claims(draft: str, claims: Sequence[DraftClaim], finder: EvidenceFinder) -> list[Claim]:
    """Verdicts for all claims; retrieval runs once per sentence (cached across sentences)."""
    by_sentence: dict[tuple[int, int], list[DraftClaim]] = {}
    for c in claims:
        by_sentence.setdefault(c.ctx.sentence, []).append(c)
    results: dict[int, Claim] = {}
    for group in by_sentence.values():
        passages = finder.search(queries_for(draft, group))
        sources = [sf for rank, p in enumerate(passages) for sf in finder.figures(p, rank)]
        for c in group:
            candidates = judge(c, sources)
            if not any(_supports(c, x) or _contradicts(c, x) for x in candidates):
                # Second chance: the sentence as written, figures included, finds passages quoting the number.
                more = finder.search([c.ctx.sentence_text])
                extra = [sf for rank, p in enumerate(more) for sf in finder.figures(p, rank)]
                candidates = judge(c, extra) + candidates
                candidates.sort(key=lambda x: -x.score)
            results[c.ctx.figure.start] = decide(c, candidates, finder, draft)
    return [results[k] for k in sorted(results)]
