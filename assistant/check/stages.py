"""The role of a figure in its clause: a level, the change of a level, or one of two stages of one quantity.

Two figures of one kind in one sentence, the later introduced by "to" (至, 到, 达到), are the same quantity at two
stages: "doubled from 64K to 128K", "256K natively, extendable to 1 million", "由 32K 提升到 128K"; so are two
joined by "from" after the first ("96 languages, up from 36", "15.8% from 12.2%"). A figure right after a change
word ("grew 3.4% to 41.3%", "增加 1,360 人至 6,480 人") is a change, not a stage: it is the amount, not a level.

A source figure that states the other stage of a claim's figure is that stage's evidence, never a contradiction of
this one (the claim's "from 64K" is not refuted by the source's "extended to 128K").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.check.compare import compare_values, units_compatible
from assistant.check.context import FigureContext
from assistant.check.figures import read_figures
from tools.figures import CHANGE_BY, Figure

_TO = re.compile(
    r"(?:(?<!compared )(?<!relative )(?<!close )(?<!next )\bto|\binto|至|到|达到?|增至|升至|降至)\s*(?:about\s+|around\s+|roughly\s+|nearly\s+|约|近)?(?:US)?[$€£¥￥]?\s*$",
    re.IGNORECASE,
)
_FROM_AFTER = re.compile(
    r"(?<!apart )(?<!aside )(?<!away )\bfrom\s+(?:about\s+|around\s+|roughly\s+)?(?:US)?[$€£¥￥]?\s*$",
    re.IGNORECASE,
)
# the words that make the figure after them the amount of a change, not a level
CHANGE_LEAD = re.compile(
    r"(?:增加|减少|增长|下降|上升|上涨|下跌|提高|降低|提升|扩大|缩小|新增|多出|少了)了?\s*(?:约|大约|近)?\s*$|"
    r"\b(?:by|up|down|rose|grew|fell|dropped|declined|increased|decreased|climbed|jumped|gained|added|lost|shed|"
    r"cut|slipped|surged|soared|widened|narrowed|improved)\s+(?:about\s+|roughly\s+|some\s+|nearly\s+|almost\s+)?"
    r"(?:US)?[$€£¥￥]?\s*$",
    re.IGNORECASE,
)
# a part of a whole counted just before: "11 个算力中心，其中 4 个位于西部", "14 data centers, 9 of them in …",
# "22 offices, including 7 in Europe"
_PART_BEFORE = re.compile(
    r"(?:其中|内含|包括|including|of\s+which|among\s+them)\s*[^，,。；;\d]{0,8}$", re.IGNORECASE
)
_PART_AFTER = re.compile(r"\s*(?:[^\s\d,.;，。；]+\s+){0,2}?of\s+(?:them|which|those|these)\b", re.IGNORECASE)
_BREAK = re.compile(r"[;；。!?！？]|\.\s")


@dataclass(frozen=True, slots=True)
class Stages:
    """One quantity at two stages in a sentence: ``base`` before, ``target`` after (sentence offsets)."""

    base: Figure
    target: Figure


def is_change(text: str, fig: Figure, lo: int = 0) -> bool:
    """``fig`` is the amount a level changed by ("grew 48.6%", "增加 1,360 人", "rose by 3.4 points")."""
    lead = text[max(lo, fig.start - 24) : fig.start]
    return bool(CHANGE_LEAD.search(lead) or CHANGE_BY.search(lead))


def _kin(a: Figure, b: Figure) -> bool:
    if "date" in (a.unit, b.unit) or a.kind == "date" or b.kind == "date":
        return False
    if (a.unit == "percent") != (b.unit == "percent"):
        return False
    # a bare figure takes the unit of the other ("from 64K to 128K tokens")
    return a.unit is None or b.unit is None or units_compatible(a.unit, b.unit)


def stage_pairs(text: str) -> list[Stages]:
    """Every pair of stages of one quantity in the sentence ``text`` (see the module's docstring)."""
    figs = [f for f in read_figures(text) if f.kind != "date" and f.unit != "date"]
    out: list[Stages] = []
    for i, a in enumerate(figs):
        b = next((f for f in figs[i + 1 :] if _kin(a, f)), None)
        if b is None:
            continue
        between = text[a.end : b.start]
        if _BREAK.search(between) or is_change(text, a) or is_change(text, b):
            continue
        if _TO.search(between):
            out.append(Stages(a, b))
        elif _FROM_AFTER.search(between):
            out.append(Stages(b, a))
    return out


def is_part(ctx: FigureContext) -> bool:
    """The figure counts a part of a whole its sentence names before it ("其中 4 个", "9 of them")."""
    fig, s0 = ctx.figure, ctx.sentence[0]
    lead = ctx.sentence_text[max(0, ctx.clause[0] - s0, fig.start - s0 - 16) : fig.start - s0]
    return bool(_PART_BEFORE.search(lead) or _PART_AFTER.match(ctx.sentence_text, fig.end - s0))


@dataclass(frozen=True, slots=True)
class Role:
    """A claim figure's place among the stages of its sentence: the figures of its other stages, and whether it is
    the earlier one (the base a change starts from)."""

    others: tuple[Figure, ...] = ()
    base: bool = False

    def states_other(self, source: Figure) -> bool:
        """The source figure is the claim's quantity at its other stage: that stage's evidence."""
        return any(compare_values(f, source) == "match" for f in self.others)


def role_of(ctx: FigureContext) -> Role:
    """The claim figure's stages in its sentence (none for a lone level)."""
    at = ctx.figure.start - ctx.sentence[0]
    others: list[Figure] = []
    base = False
    for p in stage_pairs(ctx.sentence_text):
        if p.base.start == at:
            others.append(p.target)
            base = True
        elif p.target.start == at:
            others.append(p.base)
    return Role(tuple(others), base)


def source_is_base(source: FigureContext) -> bool:
    """The source figure is a level before a change: dated a year before its sentence, or the earlier of two
    stages in its sentence."""
    if source.year_before:
        return True
    at = source.figure.start - source.sentence[0]
    return any(p.base.start == at for p in stage_pairs(source.sentence_text))
