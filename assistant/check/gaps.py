"""A difference stated between two figures of one kind: "A 得 88.3 分，B 得 79.6 分，A 领先 8.7 分", "比 B 公司的 41
亿元高出 17 亿元", "81.0 against 84.6 for US models, a gap of 3.6 points", "24,576 GPUs, 8,192 more than the 16,384".

Read from where the third figure stands, not from the word that states the gap (lead, gap, margin, trails, 高出,
相差 …): two figures of one kind (x, then y) and a third (d) of their unit, bound to them as their gap in one of
three places:

- in y's own clause right after it, with words but no list separator or part-of word between ("比 41 亿元高出 19
  亿元", "beat the estimate of 55.0 million by 2.7 million");
- right before the base of a comparison, after x: "x, d more than y" (than/比 between d and y, no clause break);
- in the clause after y, when that clause names no subject or period that x's and y's clauses do not, and either
  names one of theirs again ("A 得 88.3 分，B 得 79.6 分，A 领先 9.7 分") or follows x and y said as a pair in one
  clause ("分别为 1.32 和 1.15，相差 0.19", "412 an hour and Unit M 367, a margin of 45") and names nothing but
  their gap (``GAP_WORDS``, a vocabulary that only tells such a clause from one with a subject of its own: "，利润
  15 亿元", ", an average of 96K").

The three figures follow one another (a number glued to a name, "星河-2", is no figure here). A gap is at most
the larger figure, and a stated gap is judged wrong only when it is near |x − y| (``nearmiss.is_near``) or is it
with its scale slipped (``nearmiss.scale_slip``): a figure far from it otherwise is another quantity.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.changes import THAN
from assistant.check.clauses import glued, own_subject, part_of, subjects_in
from assistant.check.nearmiss import is_near, scale_slip
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, half, ok_within, record, same_kind, show

_BREAK = re.compile(r"[，,；;：:!?！？()（）]|[。.](?!\d)")
_LIST_SEP = re.compile(r"[、/]|\b(?:and|or|plus|as well as)\b|和|及|与|或|加上|以及", re.IGNORECASE)
_POINTS = re.compile(r"\s*(?:个)?百分点|\s*(?:percentage\s+)?(?:points?|pp)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")
# words a clause that states a gap may carry without naming a subject of its own ("a margin of", "相差", "差距为")
GAP_WORDS = re.compile(
    r"\b(?:gap|margin|difference|differ(?:s|ed|ing)?|apart|lead(?:s|ing)?|ahead|behind|trail(?:s|ed|ing)?|more|fewer|"
    r"less|higher|lower|larger|smaller|bigger|above|below|short|spread|delta)\b|差|领先|落后|高出|低于|多出|少了|超出|超过|相距",
    re.IGNORECASE,
)
_PER_COUNT = re.compile(r"(?:每|\bper|\beach|\bevery)\s*$", re.IGNORECASE)
_BOUND = 24  # characters between y and a gap in its own clause ("的预算", " by ", "多出")


def _kind(text: str, x: Qty, y: Qty, d: Qty) -> Fraction | None:
    """The factor of |x − y| in d's unit when d can be the gap of x and y (100 for points between two
    percentages), else None."""
    if any(q.multiple or q.word for q in (x, y, d)) or d.tok.pct or d.per:
        return None
    if x.tok.pct and y.tok.pct:
        return Fraction(100) if _POINTS.match(text, d.tok.end) else None
    if x.tok.pct or y.tok.pct or x.per_keys != y.per_keys:
        return None
    if not (same_kind(x, y) or x.bare or y.bare):
        return None
    nouns = {n for n in d.nouns if not GAP_WORDS.fullmatch(n)}  # "55 fewer", "9,860 篇多": the word after is no unit
    if d.money:
        return Fraction(1) if any(q.money == d.money for q in (x, y)) else None
    if not nouns or nouns & (x.nouns | y.nouns):
        return Fraction(1)
    return Fraction(1) if x.bare and y.bare and nouns & {"point", "分"} else None


def _in_list(text: str, figures: list[Qty], x: Qty) -> bool:
    """``x`` follows another figure of its kind with only a separator between: x and y end a list."""
    before = [q for q in figures if q.end <= x.start]
    if not before:
        return False
    w = before[-1]
    return (same_kind(w, x) or w.bare or x.bare) and bool(re.fullmatch(r"\s*(?:[、,，]\s*(?:and\s+)?|\s(?:and|or)\s|和|及|与)\s*", text[w.end : x.start]))


def _place(text: str, figures: list[Qty], x: Qty, y: Qty, d: Qty, lo: int) -> bool:
    """d stands as the gap of x and y (see the module's docstring); x, y, d in the order written."""
    if len(_BREAK.findall(text[x.end : min(y.start, d.start)])) > 1:
        return False  # x and y said in one clause or two next to each other
    if d.start > y.start:  # after y: in y's clause, or the clause after it
        between = text[y.end : d.start]
        if THAN.search(text[y.tok.end : d.start]):
            return False  # "4.1 points above the previous 82.1": y is the difference, d its base
        breaks = list(_BREAK.finditer(between))
        if _LIST_SEP.search(between) and not breaks or part_of(between):
            return False
        if not breaks:
            return len(between) <= _BOUND and bool(_WORD.search(between))
        if len(breaks) > 1 or _LIST_SEP.match(between[breaks[0].end() :].lstrip()):
            return False
        prefix = between[breaks[0].end() :]
        if not _WORD.search(prefix):
            return False
        clause_lo = max([lo] + [m.end() for m in _BREAK.finditer(text, lo, x.start)])
        before = subjects_in(text[clause_lo : y.end])
        said = subjects_in(prefix)
        if said - before:
            return False  # "…，C 得 65 分", "明年 25": a subject of its own
        if said:
            return True  # "…，A 领先 9.7 分": a subject of x or y named again
        # x and y said as a pair in one clause, then a clause that names nothing but their gap ("，相差 0.19", ", a
        # margin of 45"; not ", an average of 96K", "，利润 15 亿元")
        pair = not _BREAK.search(text[x.end : y.start]) and not _in_list(text, figures, x)
        return pair and not own_subject(text, lo, y.end, d.start, GAP_WORDS)
    # "24,576 GPUs, 8,192 more than the 16,384": d, then the base of a comparison
    between = text[d.tok.end : y.start]  # the words after d's number ("fewer", "points above") may be read as its unit
    return bool(THAN.search(between)) and not _BREAK.search(between) and len(between) <= 40


def find_gaps(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """Every figure of the sentence ``qs`` stated as the difference of the two figures of its kind before it (or
    around it, before the base of a comparison): right when it equals |x − y| at its written precision, wrong when
    it is near it."""
    # a number of a name or an ordinal is no figure; a count something is per ("每 10 股") is no quantity of its own
    figures = [q for q in qs if not glued(text, q) and not _PER_COUNT.search(text[max(lo, q.start - 6) : q.start])]
    out: list[Check] = []
    for i in range(len(figures) - 2):
        a, b, c = figures[i : i + 3]
        orders = [(a, b, c), (a, c, b)]
        if THAN.search(text[b.end : c.start]):  # "8,192 more than the 16,384": the base comes last
            orders.reverse()
        for x, y, d in orders:
            if x.value <= 0 or y.value <= 0:
                continue
            factor = _kind(text, x, y, d)
            if factor is None or d.value >= max(x.value, y.value) * factor or not _place(text, figures, x, y, d, lo):
                continue
            diff = abs(x.value - y.value) * factor
            ok = ok_within(diff, d, (half(x) + half(y)) * factor)
            if ok or is_near(float(diff), float(d.value)) or scale_slip(diff, d, (half(x) + half(y)) * factor):
                hi, low = (x, y) if x.value >= y.value else (y, x)
                out.append(record(text, (x, y, d), d, diff, "sum", f"{show(hi, text)} − {show(low, text)}", ok))
            break
    return out
