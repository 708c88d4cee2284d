"""Which source figures state a claim's quantity, and whether they support or contradict it.

Each retrieved source figure is classified by ``match.same_quantity`` with the signals of ``align``: the claim's
rare names in the source, the figure's label (the words before it, or its table row and header), and the
embedder's similarity of the two sentences, asked only when the words decide nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.check.align import label_words, naming_words, semantic_align
from assistant.check.cells import column_named, in_place, names_cell
from assistant.check.claims import DraftClaim
from assistant.check.compare import Outcome, compare_values, restated_threshold, scale_error
from assistant.check.context import FigureContext, normalise, periods_conflict
from assistant.check.counted import compare_counts, counted_noun, source_count_label, source_label
from assistant.check.evidence import EvidenceFinder, SourceFigure, as_percent
from assistant.check.figures import read_figures
from assistant.check.match import (
    PARTS,
    QuantityMatch,
    Signals,
    alignment,
    entity_match,
    names_measured,
    points_for_percent,
    same_quantity,
    unit_fits,
)
from assistant.check.measured import (
    addressed,
    measure_names,
    names_where_measured,
    refine,
    same_role,
    specific_enough,
)
from assistant.check.owned import owned_sources
from assistant.check.stages import is_part, role_of, source_is_base

_LEVEL_BONUS = {"clause": 0.3, "sentence": 0.25, "near": 0.1, "doc": 0.15, "none": 0.0}
ALIGN_COPY = 0.55  # above this two sentences are one sentence with a figure changed
_FAR = 50.0
_LABEL_BONUS = 0.5  # the source's label repeats the claim's words about its figure ("MATH" under "MATH")
_NEAR_BONUS = 0.3  # the source's row or sentence names the claim's rare words ("| QLoRA | 160GB |" for QLoRA)
_LABEL_HALF = 0.5  # the source's label repeats at least half the claim's words about its figure
_COUNTED_BONUS = 0.5  # the source counts the very thing the claim counts ("48 层" / "| 层数 |")


@dataclass(slots=True)
class Candidate:
    source: SourceFigure
    match: QuantityMatch
    outcome: Outcome
    measured: bool = False  # its row or words name what the claim measures (``measured.refine``)

    @property
    def score(self) -> float:
        strength = 2.0 if self.match.strength == "strong" else 1.0
        return (
            strength
            + self.match.align
            + _LEVEL_BONUS[self.match.entity_level]
            + 1.0 / (2 + self.source.rank)
            + _LABEL_BONUS * self.match.label
            + _COUNTED_BONUS * (self.match.counted > 0)
            + _NEAR_BONUS * self.match.near
        )


_SEMANTIC_MARGIN = 0.015  # cosine
_SEMANTIC_NAME_ONLY = 0.0  # cosine for a source of a name and a number alone: no say on what is measured
_SEMANTIC_WEAK = 0.54  # below the "same sentence" alignment: may support, never contradict
_COUNTED = re.compile(
    r"\s?([A-Za-z][A-Za-z\s-]{0,30}?)(?=[\d,.;:()（）\[\]|*/、，。]|$|\s(?:for|of|on|in|at|with|and|per)\b)"
)


def judge(claim: DraftClaim, sources: Sequence[SourceFigure], finder: EvidenceFinder) -> list[Candidate]:
    """Every source figure that states the claim's quantity, with how its value compares. The embedder is asked
    only when the words alone decide nothing (it is the costly signal)."""
    sources = as_percent(claim.ctx.figure, sources)
    sources = in_place(claim, owned_sources(claim, sources, finder), finder)
    levels = {
        id(sf): entity_match(claim.ctx, sf.ctx, claim.subjects)
        for sf in sources
        if unit_fits(claim.ctx.figure.unit, sf.ctx, change=bool(claim.ctx.directions))
    }
    usable = [sf for sf in sources if id(sf) in levels and levels[id(sf)][0] == "ok"]
    # A source sentence that also states the claim's very value does not contradict it with its other figures
    # ("Heads: 48 for queries, 8 for keys" against "48 heads for queries and 8 for keys").
    stating = {
        (sf.passage.document.id, sf.ctx.sentence)
        for sf in usable
        if compare_values(claim.ctx.figure, sf.ctx.figure, end=range_end(claim.ctx)) == "match"
        and not periods_conflict(claim.ctx.periods, sf.ctx.periods)  # "较上年末的 1201 名" is last year's
    }

    # the claim's quantity at its other stage ("from 64K to 128K", "256K natively, extendable to 1 million")
    role = role_of(claim.ctx)

    def refutes(c: Candidate) -> bool:
        """A source figure may refute the claim's figure: not its other stage; and the base a claimed change
        starts from ("from 64K") only by a base in the source, or in a passage stating the claim's new level."""
        if role.states_other(c.source.ctx.figure):
            return False
        if not role.base or source_is_base(c.source.ctx):
            return True
        return any(role.states_other(f) for f in read_figures(finder.text(c.source.passage.document.id), *_around(c)))

    def keep(cands: list[Candidate]) -> list[Candidate]:
        # ... except a table cell whose column names the very thing the claim measures ("hidden dimension" under
        # "| 隐藏层维度 |" while the row's "| 上下文长度 |" cell holds the claim's value); and a source figure
        # stating the claim's other stage is that stage's evidence, not this figure's contradiction
        return [
            c
            for c in cands
            if c.outcome != "mismatch"
            or (
                (
                    (c.source.passage.document.id, c.source.ctx.sentence) not in stating
                    or names_measured(claim.ctx, c.source.ctx)
                )
                and refutes(c)
            )
        ]

    out = keep(_judge(claim, sources, finder, {}, {}))
    refine(claim, out)
    if not usable or any(is_support(claim, c) or is_contradiction(claim, c) for c in out):
        return out
    # a sentence with several figures is compared by each figure's own clause, which tells them apart
    # (a table cell is judged by its row label and header: to the embedder, a row naming the model looks like
    # any claim about that model)
    own_text = {id(sf): _own_clause(sf.ctx) for sf in usable if not sf.ctx.header}
    texts = list(dict.fromkeys(own_text.values()))
    lead = [e.surface for e in claim.subjects]
    sims = finder.aligner.similarities(_own_clause(claim.ctx, lead), texts)
    out = keep(_judge(claim, sources, finder, sims, own_text))
    refine(claim, out)
    return out


def _judge(
    claim: DraftClaim,
    sources: Sequence[SourceFigure],
    finder: EvidenceFinder,
    sims: dict[str, float],
    own_text: dict[int, str],
) -> list[Candidate]:
    out = []
    aligner = finder.aligner
    names = aligner.rare_names(claim.ctx.sentence_text)
    alone = claim.ctx.masked.count("#") <= 1
    ranked = sorted(sims.values(), reverse=True)
    # the one source sentence the embedder clearly prefers over every other candidate
    best = ranked[0] if ranked and (len(ranked) == 1 or ranked[0] - ranked[1] >= _SEMANTIC_MARGIN) else None
    fig = claim.ctx.figure
    c0, c1 = claim.ctx.clause
    own = claim.ctx.sentence_text
    s0 = claim.ctx.sentence[0]
    words = label_words(
        own[max(c0, fig.start - 40) - s0 : fig.start - s0]
        + " "
        + own[fig.end - s0 : min(c1, fig.end + 40) - s0],
        # a benchmark name (a product) says what is measured; models and firms say whose it is
        exclude=[e.surface for e in claim.subjects if e.cls != "product"],
    )
    own_counted = _counted(own[fig.end - s0 :])
    # the source's label must say what is measured, not only whose figure it is
    subject_names = [e.surface for e in claim.subjects if e.cls != "product"] + [
        e.surface for e in claim.ctx.sentence_entities if e.cls in {"model", "company", "org"}
    ]
    own_thing = counted_noun(claim.ctx)
    measures = measure_names(claim)
    end = range_end(claim.ctx)
    for sf in sources:
        differ, same_count = compare_counts(own_thing, claim.ctx, sf.ctx)
        if differ or _counts_other(own_thing, own_counted, claim.ctx, sf.ctx):
            continue  # "48 层" is never "Parameters: 314B", "26 languages" never "40 层"
        if _signed(sf.ctx.figure.text) and not _signed(fig.text) and not claim.ctx.directions:
            continue  # "(42.8%, +12.4%)": the signed figure is a change, not the score a plain "52.8%" states
        where_near = f"{sf.ctx.sentence_text} {sf.ctx.header}"
        cell = names_cell(claim, sf, finder)
        cos = sims.get(own_text.get(id(sf), ""))
        label = source_label(sf.ctx)
        counted = _counted(sf.ctx.sentence_text[sf.ctx.figure.end - sf.ctx.sentence[0] :])
        # "180 storage nodes" is never "500 client nodes": counts of different things are different quantities
        other_thing = bool(own_counted and counted and not (own_counted <= counted or counted <= own_counted))
        # "256 physical cores" and "192 physical cores": the same words name what both numbers count
        same_words = bool(own_counted) and own_counted == counted
        if cos is not None and _name_and_number(own_text[id(sf)], _names_of(sf.ctx)):
            # a source saying nothing but a name and a number ("GLM-4.5-Air 53.4", a chart's label): the embedder
            # can tell whose figure it is, not what it measures
            cos = min(cos, _SEMANTIC_NAME_ONLY)
        signals = Signals(
            near=aligner.names_found(names, where_near),
            anywhere=aligner.names_found(names, finder.where(sf)),
            has_names=bool(names),
            # with several figures in the claim sentence, the embedder decides alone only for its clear favourite
            semantic=None
            if cos is None
            else semantic_align(cos)
            if (alone or cos == best) and not other_thing
            else min(semantic_align(cos), _SEMANTIC_WEAK),
            label=0.0
            if other_thing
            else max(
                aligner.label_overlap(words, label),
                # a lone figure: the source's label ("GSM8K · Hunyuan-Large") all said in the claim sentence
                aligner.label_overlap(naming_words(label, exclude=subject_names), claim.ctx.sentence_text)
                if alone
                else 0.0,
            ),
            best=cos is not None and cos == best,
            counted=same_count or (1.0 if same_words else 0.0),
            measured=(names_where_measured(measures, sf.ctx, tight=True) and same_role(claim.ctx, sf.ctx))
            or (bool(sf.ctx.header) and addressed(claim, sf.ctx))
            or (cell and column_named(claim, sf, finder)),
            cell=cell,
        )
        m = same_quantity(claim.ctx, sf.ctx, claim.subjects, signals)
        if m.strength is None:
            continue
        outcome = points_for_percent(fig, sf.ctx.figure) or compare_values(claim.ctx.figure, sf.ctx.figure, end=end)
        if outcome == "compatible" and m.align >= ALIGN_COPY and restated_threshold(fig, sf.ctx.figure):
            outcome = "mismatch"  # "more than 70 million" in a copy of "more than 700 million ... must ask"
        out.append(Candidate(sf, m, outcome))
    out.sort(key=lambda c: -c.score)
    return out


_AROUND = 400  # characters either side of a source figure that belong to its passage


def _around(c: Candidate) -> tuple[int, int]:
    s = c.source.ctx.sentence
    return max(0, s[0] - _AROUND), s[1] + _AROUND


_LOW_END = re.compile(r"(?:最低|最少|最小|低至|(?<![A-Za-z])(?:as low as|lowest|minimum|at the low end))\W{0,3}\w{0,2}\s*$", re.I)
_HIGH_END = re.compile(r"(?:最大|峰值|(?<![A-Za-z])(?:as high as|highest|maximum|peak(?:s|ed)? at))\W{0,3}\w{0,2}\s*$", re.I)


def range_end(ctx: FigureContext) -> str | None:
    """Which end of a source's range the claim's value states: "最低为 2.37 倍" the low end, "峰值" the high end."""
    s0 = ctx.sentence[0]
    before = ctx.sentence_text[max(0, ctx.clause[0] - s0, ctx.figure.start - s0 - 16) : ctx.figure.start - s0]
    if _LOW_END.search(before):
        return "low"
    if _HIGH_END.search(before):
        return "high"
    return None


def _counts_other(own_thing: set[str], own_counted: set[str], claim: FigureContext, source: FigureContext) -> bool:
    """A bare count of a noun the lexicon does not know ("26 languages") against a source figure that counts a
    thing it knows and the claim never names ("40 层", "128K 上下文"): different things counted."""
    if own_thing or not own_counted or claim.figure.unit is not None or source.figure.unit is not None:
        return False
    theirs, _ = source_count_label(source)
    return bool(theirs) and not theirs & claim.objects


def _name_and_number(text: str, names: Sequence[str]) -> bool:
    """``text`` says a name and nothing else about its figure."""
    folded = normalise(text)
    return any(normalise(n) in folded for n in names) and not label_words(text, exclude=names)


def _names_of(ctx: FigureContext) -> list[str]:
    """The names in a source sentence, each with the rest of its word ("GLM-4.5-Air" where the entity reader
    stops at "GLM-4.5")."""
    s0 = ctx.sentence[0]
    out = []
    for e in ctx.sentence_entities:
        m = re.match(r"\S+", ctx.sentence_text[max(0, e.start - s0) :])
        out.append(e.surface if m is None or e.surface not in m.group() else m.group())
    return out


def _signed(text: str) -> bool:
    """A figure written with an explicit sign ("+12.4%", "−3%"): a change against something."""
    return text.lstrip()[:1] in {"+", "-", "−", "﹢", "＋"}


def _own_clause(ctx: FigureContext, lead: Sequence[str] = ()) -> str:
    """A figure's text for sentence similarity: its sentence masked when it holds one figure; else its clause
    with the figure masked (which tells the figures apart), led by names in ``lead`` the clause lacks."""
    if ctx.masked.count("#") <= 1:
        return ctx.masked
    s0 = ctx.sentence[0]
    c0, c1 = ctx.clause
    fig = ctx.figure
    text = ctx.sentence_text
    clause = text[c0 - s0 : fig.start - s0] + "#" + text[fig.end - s0 : c1 - s0]
    extra = " ".join(name for name in lead if name not in clause)
    return normalise(f"{extra} {clause}")


def _counted(after: str) -> set[str]:
    """The noun a number counts, from the words right after it up to the next number or punctuation."""
    m = _COUNTED.match(after)
    return set(label_words(m.group(1))) if m else set()


def is_contradiction(claim: DraftClaim, cand: Candidate) -> bool:
    """A strong match whose value the claim cannot round to, from a source about the claim's own subject."""
    if cand.outcome != "mismatch" or cand.match.strength != "strong":
        return False
    if not specific_enough(claim, cand):
        return False
    src = cand.source.ctx
    # (a column's year rules a cell out for another year, but does not say whose row it is)
    undated = not src.periods or src.header_dated
    if claim.ctx.periods and undated and (src.year_before or cand.match.entity_level in {"doc", "none"}):
        # "归母净利润 3.55 亿元" in a sentence naming neither the firm nor a date: which quarter's it is, is not
        # sure enough to call a dated claim ("2024 年第四季度……2.72 亿元") wrong; nor is one dated only as "上年同期"
        return False
    if src.year_before and not claim.ctx.year_before and not claim.ctx.periods:
        # "$2.35 per GPU-hour, down from $3.10 a year earlier": the source says its figure is last year's; a claim
        # that dates nothing states the current value, which that figure neither is nor refutes
        return False
    if _counts_unknown(claim.ctx) and not _worded_alike(claim, cand):
        return False  # "26 languages": only a source counting that very thing can say the count is wrong
    # the source's digits at another scale word are the same figure written wrong, not another quantity
    far = _far_apart(claim.ctx.figure.value, cand.source.ctx.figure.value) and not scale_error(
        claim.ctx.figure, cand.source.ctx.figure
    )
    if far and (cand.match.align < ALIGN_COPY or not _worded_alike(claim, cand)):
        # 26T tokens vs 4,096 tokens, "8 threads" vs a "270M" parameter cell of the same model: a different
        # quantity, unless the words say it is the same one (the source's label repeats the claim's, both count
        # the same thing, or the sentence is the claim's copy); the embedder alone is not enough that far apart
        return False
    # Without a named subject of its own (none, or a bare "DeepSeek" borrowed from an earlier sentence) only a
    # near-identical sentence may contradict.
    vague = not claim.subjects or (claim.borrowed and not any(e.version for e in claim.subjects))
    # a claim owned by an index name alone, against a source sentence that does not name it (only its document
    # does): whose figure the sentence states is not sure enough to call the claim wrong without its wording
    # ... unless its words name what the claim measures ("its MMLU score is 67.3" in Arctic's report)
    vague = vague or (
        cand.match.entity_level == "doc"
        and all(e.cls in {"name", "product"} for e in claim.subjects)
        and not cand.measured
    )
    return not vague or cand.match.align >= ALIGN_COPY


_PLURAL_AFTER = re.compile(r"\s?[A-Za-z][a-z-]*[a-z]s\b")
_MEASURE_NOUN = re.compile(r"\s?[个种名家张块次位项台座条枚件只][\u4e00-\u9fff]")


def _counts_unknown(ctx: FigureContext) -> bool:
    """A bare number counting a noun the lexicon does not know ("26 languages", "26 种语言")."""
    if ctx.figure.unit is not None or counted_noun(ctx):
        return False
    s0 = ctx.sentence[0]
    after = ctx.sentence_text[ctx.figure.end - s0 :]
    return bool(_PLURAL_AFTER.match(after) or _MEASURE_NOUN.match(after))


def _worded_alike(claim: DraftClaim, cand: Candidate) -> bool:
    """The words, not only the embedder, say the two figures measure one thing."""
    if cand.match.label >= _LABEL_HALF or cand.match.counted > 0:
        return True
    return not cand.source.ctx.header and alignment(claim.ctx, cand.source.ctx) >= ALIGN_COPY


def _far_apart(a: float, b: float) -> bool:
    """Values more than fifty-fold apart: unless the sentences are copies, two figures that far apart measure
    different things (a dataset in tokens and a context window in tokens)."""
    lo, hi = sorted((abs(a), abs(b)))
    return lo == 0 or hi / lo > _FAR


def is_support(claim: DraftClaim, cand: Candidate) -> bool:
    """A match whose value the claim rounds to, strong or tied to the claim's subject or wording."""
    if cand.outcome != "match":
        return False
    if claim.ctx.qualifiers & PARTS - cand.source.ctx.qualifiers:
        return False  # a part ("activates 1 trillion parameters") only where the source names that part, not the whole
    if is_part(cand.source.ctx) and not is_part(claim.ctx):
        return False  # "其中 4 个位于西部" is a part of the whole count, never the count "共运营 4 个" states
    return cand.match.strength == "strong" or bool(claim.subjects) or cand.match.align >= 0.35
