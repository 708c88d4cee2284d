"""The words a sentence writes for each of its figures (a figure's "slot").

In "The dense models saw 12 trillion tokens and the MoE models 10 trillion tokens" both figures share one clause,
so the clause cannot say which is the MoE models'; the words between two figures can: they belong to the figure
before them up to the last joint between the two ("and", a comma, "和", "、"), and to the figure after them from
there on. Words before the first figure are its own, and so are those after the last. "reaches 55.24 on MMLU and
57.51 on IFEval" gives 55.24 "reaches … on MMLU" and 57.51 "on IFEval".

A figure that is part of a name ("Twin-2T", "A100") or a year ("by 2030") marks no border: the words around it
belong to the figure they speak of.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from assistant.ask.matching import MatchText
from assistant.ask.terms import Term
from tools.figures import Figure

# Where the words between two figures turn from the first to the second.
_JOINT = re.compile(
    r"[,;:，；、：。]\s*|\s+(?:and|or|while|whereas|but|with|versus|vs\.?|against|compared with)\s+"
    r"|以及|并且|而且|或者?|和|与|及|而|但|对比|相比"
)
_LABEL_END = re.compile(r"[:：]\s*")
_IN_NAME = re.compile(r"[@A-Za-z_-]")
_YEAR = re.compile(r"(?:19|20)\d\d(?:\s*年)?")


def _border(text: str, f: Figure) -> bool:
    """Whether ``f`` separates the words of the figures around it (not a piece of a name, not a year)."""
    if f.start > 0 and _IN_NAME.match(text[f.start - 1]):
        return False
    return f.unit != "date" and not _YEAR.fullmatch(f.text.strip())


def slots(text: str, figures: Sequence[Figure]) -> list[str]:
    """For each of ``figures`` (every figure parsed from ``text``), the words the sentence writes for it, with it."""
    borders = sorted((f for f in figures if _border(text, f)), key=lambda f: f.start)
    out = []
    for f in figures:
        before = [g for g in borders if g.end <= f.start]
        after = [g for g in borders if g.start >= f.end]
        lo = _split(text, before[-1].end, f.start, last=True) if before else 0
        hi = _split(text, f.end, after[0].start, last=False) if after else len(text)
        out.append(text[lo:hi])
    return out


def _split(text: str, lo: int, hi: int, *, last: bool) -> int:
    """Where the words between ``lo`` and ``hi`` change figures: after the last joint between them (seen from the
    later figure, ``last``) or before the first (from the earlier one); with no joint, all of them are both's.
    A colon ends the label of the figure after it ("…; post_money_valuation_usd_b: 61.5", "营收：9.89 亿元"):
    the label is that figure's, so the words turn at the joint before the label."""
    joints = [m for m in _JOINT.finditer(text, lo, hi) if not _LABEL_END.fullmatch(m.group())]
    if not joints:
        return lo if last else hi
    return joints[-1].end() if last else joints[0].start()


def slot_coverage(slot: str, terms: Sequence[Term]) -> float:
    """Weighted share of ``terms`` written in a figure's slot."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    words = MatchText(slot)
    return sum(t.weight for t in terms if words.has(t)) / total


def own_margins(groups: Sequence[Hashable], shares: Sequence[float]) -> list[float]:
    """Each share's margin over the least share of its group (figures of one clause and unit): what its own words
    say more of the question than its peers' do; 0 for a figure alone in its group."""
    return [s - min(o for g2, o in zip(groups, shares, strict=True) if g2 == g) for g, s in zip(groups, shares, strict=True)]
