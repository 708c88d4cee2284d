"""A claimed change checked against a change the source implies but does not state.

"Revenue grew 48.6% in 2024 to $8.42 billion": when the source gives the new level ($8.42 billion) and, beside it,
the level before ("compared with $5.31 billion in 2023", "2023 年为 41.2 亿元", "a year earlier"), the change is
derived from the two levels and the claim's change compared with it: a percent with the relative change, points
(个百分点) with the difference of two percentages, an amount with the difference of two amounts. A percent stated
where the source's levels differ by that many points is the points mislabelled, a mismatch (as ``points_for_percent``
does for a stated change). Only a claimed change no source states is read so; values within the rounding of the
three figures support it, values well beyond contradict it, values in between say nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.check.claims import DraftClaim
from assistant.check.compare import half_unit, in_base_unit, units_compatible
from assistant.check.context import FigureContext
from assistant.check.evidence import EvidenceFinder, SourceFigure, citation
from assistant.check.stages import is_change, source_is_base
from assistant.models import Claim, StatedFigure
from assistant.text import detect_language
from tools.figures import Figure

_POINTS_AFTER = re.compile(r"\s*(?:percentage\s+points?|points?|pp\b|个百分点|百分点)", re.IGNORECASE)
_HEDGE_SLACK = 0.02  # a hedged change ("about 71%") may round to two percent of itself
_GAP = 2.0  # beyond this many tolerances the change is wrong; between one and this, no say
_NEAR_SENTENCE = 2  # characters between a sentence's end and the next one's start


@dataclass(frozen=True, slots=True)
class Derived:
    """The source's change between two of its levels, and how the claimed change compares with it."""

    before: SourceFigure
    after: SourceFigure
    value: float  # in the claim's unit: a fraction for percent and points, base units for an amount
    unit: str | None
    outcome: str  # match | mismatch | none


def _kind(claim: FigureContext, level: Figure) -> tuple[str, float] | None:
    """What the claimed change is ("relative", "points" or "amount") and its value in that reading."""
    fig = claim.figure
    after = claim.sentence_text[fig.end - claim.sentence[0] :]
    if fig.unit == "percentage_point" or (
        fig.unit is None and level.unit == "percent" and _POINTS_AFTER.match(after)
    ):
        return "points", fig.value if fig.unit == "percentage_point" else fig.value / 100
    if fig.unit == "percent":
        return "relative", fig.value
    if level.unit != "percent" and (fig.unit is None or units_compatible(fig.unit, level.unit)):
        return "amount", in_base_unit(fig).value if fig.unit else fig.value * _scale(level)
    return None


def _scale(level: Figure) -> float:
    """A bare amount of change read in the level's base unit ("increased by 1,360 to 6,480")."""
    return in_base_unit(level).value / level.value if level.value else 1.0


def _earlier(x: FigureContext, y: FigureContext, claim: FigureContext) -> bool:
    """``x`` is a level before ``y``: a base in its words, or dated before ``y`` (or before the claim)."""
    if source_is_base(x):
        return True
    later = y.periods or claim.periods
    return bool(x.periods and later) and max(p.high for p in x.periods) < min(p.low for p in later)


def _befores(y: SourceFigure, claim: FigureContext, finder: EvidenceFinder) -> list[SourceFigure]:
    """The source's levels of ``y``'s quantity before it, in its sentence or the one next to it."""
    s0, s1 = y.ctx.sentence
    g = y.ctx.figure
    kin = [
        x
        for x in finder.figures(y.passage, y.rank)
        if x.ctx.figure.start != g.start
        and x.ctx.figure.unit == g.unit
        and x.ctx.figure.kind != "date"
        and x.ctx.header == y.ctx.header
    ]
    own = [x for x in kin if x.ctx.sentence == y.ctx.sentence]
    if own:
        return [x for x in own if x.ctx.figure.value > 0 and _earlier(x.ctx, y.ctx, claim)]
    # the sentence next to it, when all it says of the quantity is a level before ("The figure for 2023 had been
    # $2.64 billion.")
    out: list[SourceFigure] = []
    for span in {
        x.ctx.sentence
        for x in kin
        if 0 <= x.ctx.sentence[0] - s1 <= _NEAR_SENTENCE or 0 <= s0 - x.ctx.sentence[1] <= _NEAR_SENTENCE
    }:
        there = [x for x in kin if x.ctx.sentence == span]
        if all(x.ctx.figure.value > 0 and _earlier(x.ctx, y.ctx, claim) for x in there):
            out += there
    return out


def derive(claim: DraftClaim, support: SourceFigure, finder: EvidenceFinder) -> Derived | None:
    """The claimed change against the source's levels around ``support`` (the source's figure for the claim's
    new level); None when the source gives no single earlier level, or the claim is no such change."""
    befores = _befores(support, claim.ctx, finder)
    if len({x.ctx.figure.value for x in befores}) != 1:
        return None
    x, y = befores[0].ctx.figure, support.ctx.figure
    kind = _kind(claim.ctx, y)
    if kind is None:
        return None
    how, stated = kind
    hx, hy = half_unit(x), half_unit(y)
    if how == "relative":
        value = (y.value - x.value) / x.value
        spread = (hy + hx * y.value / x.value) / x.value
    else:
        value = y.value - x.value
        spread = hx + hy
        if how == "amount":
            base = in_base_unit(y).value / y.value if y.value else 1.0
            value, spread = value * base, spread * base
    tol = half_unit(claim.ctx.figure) * (1 if how != "points" or claim.ctx.figure.unit else 0.01) + spread
    if claim.ctx.figure.hedge:
        tol = max(tol, _HEDGE_SLACK * abs(value))
    gap = abs(abs(stated) - abs(value))
    outcome = "match" if gap <= tol else "mismatch" if gap > _GAP * tol else "none"
    if how == "relative" and y.unit == "percent" and abs(abs(stated) - abs(y.value - x.value)) <= tol:
        # the points between the two levels written as a percent: show the points the source's levels differ by
        how, value, outcome = "points", y.value - x.value, "mismatch"
    unit = "percent" if how == "relative" else "percentage_point" if how == "points" else y.unit
    return Derived(befores[0], support, value, unit, outcome)


def _decimals(fig: Figure) -> int:
    m = re.search(r"\d+(?:\.(\d+))?", fig.text)
    return len(m.group(1) or "") if m else 0


def _shown(d: Derived, claimed: Figure) -> str:
    """The derived change written with the digits of what it came from: points with the levels' decimals, a
    relative change with one more than the claim's."""
    if d.unit == "percent":
        return f"{abs(d.value) * 100:.{max(1, _decimals(claimed) + 1)}f}%"
    if d.unit == "percentage_point":
        places = max(_decimals(d.before.ctx.figure), _decimals(d.after.ctx.figure))
        return f"{abs(d.value) * 100:.{places}f} pp"
    return f"{abs(d.value):,.6g}"


def derived_claim(claim: DraftClaim, d: Derived, finder: EvidenceFinder) -> Claim | None:
    """The verdict the derived change gives the claim (None when it says nothing)."""
    if d.outcome == "none":
        return None
    ctx, fig = claim.ctx, claim.ctx.figure
    stated = StatedFigure(
        text=fig.text, value=fig.value, unit=fig.unit, start=fig.start, end=fig.end, hedge=fig.hedge
    )
    a, b = d.before.ctx.figure.text.strip(), d.after.ctx.figure.text.strip()
    shown = _shown(d, fig)
    zh = detect_language(ctx.sentence_text) == "zh"
    reason = (
        f"来源给出 {a} 和 {b}，变化为 {shown}。"
        if zh
        else f"The source gives {a} and then {b}: a change of {shown}."
    )
    cited = [d.after] if d.after.ctx.sentence == d.before.ctx.sentence else [d.after, d.before]
    evidence = [citation(i, s, finder.text(s.passage.document.id)) for i, s in enumerate(cited, start=1)]
    y = d.after.ctx.figure
    return Claim(
        text=ctx.sentence_text,
        start=ctx.sentence[0],
        end=ctx.sentence[1],
        figure=stated,
        subject=claim.subject_text,
        verdict="supported" if d.outcome == "match" else "contradicted",
        source_figure=None
        if d.outcome == "match"
        else StatedFigure(text=shown, value=abs(d.value), unit=d.unit, start=y.start, end=y.end),
        evidence=evidence,
        reason=reason,
    )


def levels_for(change: DraftClaim, group: Sequence[DraftClaim]) -> list[DraftClaim]:
    """The claimed levels the change leads to, nearest after it first ("grew 48.6% in 2024 to $8.42 billion")."""
    ctx = change.ctx
    if not is_change(ctx.sentence_text, _local(ctx), ctx.clause[0] - ctx.sentence[0]):
        return []
    others = [
        c for c in group if c is not change and c.ctx.figure.unit != "date" and c.ctx.figure.kind != "date"
    ]
    others = [c for c in others if not is_change(c.ctx.sentence_text, _local(c.ctx))]
    after = [c for c in others if c.ctx.figure.start > ctx.figure.start]
    before = [c for c in others if c.ctx.figure.start < ctx.figure.start]
    return sorted(after, key=lambda c: c.ctx.figure.start) + sorted(before, key=lambda c: -c.ctx.figure.start)


def _local(ctx: FigureContext) -> Figure:
    off = ctx.sentence[0]
    return ctx.figure.model_copy(update={"start": ctx.figure.start - off, "end": ctx.figure.end - off})
