"""A range computed from a range, end by end: "Each GPU costs $25,000 to $30,000, so 1,000 GPUs cost $25M to
$30M", "按每周 200 万美元计，3 到 5 周共 600 万到 1,000 万美元", "At 40-60 tokens per second, a 1,200-token answer takes
20 to 30 seconds", "增长 10%-15%，以 200 亿元为基数，将达 220 亿至 230 亿元".

A range is two figures of one kind joined by "to", "-", "~", 到, 至 (or "between … and"), the low end first; a
bare low end takes the unit, scale and percent sign of the high end ("6 至 8 千瓦"). "From X to Y" is a change,
not a range, unless the words say a range ("prices range from $2 to $4", "从 3 到 5 周不等"). A range after another, with one figure between them, is read as the first range's ends each put
through one operation with that figure: times it (a price per million tokens times tokens, divided by the
million), divided by it, it divided by them (the ends swap), or, for percentages, it grown or cut by them. The
operation is the one that gives an end of the stated range; the other end is then recomputed with it. When no
operation gives either end, the ranges are not read: the draft relates them some other way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from assistant.check.expr import Tok
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show
from tools.figures import change_not_range

_JOINT = re.compile(r"\s*(?:to|-|–|—|~|～|到|至)\s*(?:US)?[$€£¥￥]?\s*", re.IGNORECASE)
_AND = re.compile(r"\s*and\s*[$€£¥￥]?\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|from\s+between)\s+(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE)

Op = tuple[str, Callable[[Fraction], Fraction]]


def _like(a: Qty, b: Qty) -> Qty:
    """A bare low end read in the high end's unit, scale and percent sign ("6 至 8 千瓦" is 6 kW)."""
    if not a.bare or b.bare:
        return a
    factor = b.factor * (b.tok.scale if a.tok.scale == 1 else 1)
    if b.tok.pct:
        factor /= 100
    t = a.tok
    tok = Tok("num", t.text, t.start, t.end, t.value * factor, t.ulp * factor, t.sig_ulp * factor, b.tok.pct)
    tok.scale = t.scale * (b.tok.scale if a.tok.scale == 1 else 1)
    return Qty(tok, a.start, a.end, b.nouns, b.money, a.per, a.hedged, a.word, b.factor)


def _glued(text: str, start: int, end: int) -> bool:
    """The figure is part of a longer token: letters or digits written right against it ("4c2fdb8f"), or another
    "-" joint ("2025-03-16")."""
    before = text[start - 1 : start] if start else ""
    return bool(
        (before.isascii() and before.isalnum())
        or re.match(r"[-/:]\d|[A-Za-z]+\d", text[end : end + 12])
    )


def find_ranges_in(text: str, qs: list[Qty], lo: int) -> list[tuple[Qty, Qty]]:
    """The ranges among ``qs`` (all of a sentence's figures, range ends included), low end first."""
    out: list[tuple[Qty, Qty]] = []
    for a, b in zip(qs, qs[1:], strict=False):
        between = text[a.end : b.start]
        lead = text[max(lo, a.start - 16) : a.start]
        joined = _JOINT.fullmatch(between) or (_AND.fullmatch(between) and _BETWEEN.search(lead))
        change = change_not_range(lead, text[b.end : b.end + 4])
        if not joined or change or a.multiple or b.multiple or a.word or b.word:
            continue
        if _glued(text, a.start, b.tok.end) or re.search(r"\d\s?[-/.:]$", text[max(0, a.start - 2) : a.start]):
            continue  # "2025-03-16", "29dcd6ad91", "v1.2-3": a date, a hash or a version, no range
        low = _like(a, b)
        if not same_kind(low, b) or not 0 < low.value < b.value:
            continue
        if out and out[-1][1] is a:
            continue  # "1-2-3": no range
        out.append((low, b))
    return out


def _ops(low: Qty, high: Qty, x: Qty) -> list[Op]:
    ops: list[Op] = [("×", lambda v: v * x.value), ("÷", lambda v: v / x.value), ("inv", lambda v: x.value / v)]
    scale = Fraction(1)
    for _, s in [*low.per, *high.per, *x.per]:
        scale *= s
    if scale != 1:
        ops.append(("×/", lambda v: v * x.value / scale))
    if high.tok.pct:
        ops += [("grow", lambda v: x.value * (1 + v)), ("cut", lambda v: x.value * (1 - v))]
    return ops


def _shown(name: str, end: Qty, x: Qty, text: str, scale: Fraction) -> str:
    e, y = show(end, text), show(x, text)
    return {
        "×": f"{e} × {y}", "÷": f"{e} ÷ {y}", "inv": f"{y} ÷ {e}", "×/": f"{e} × {y} ÷ {scale}",
        "grow": f"{y} × (1 + {e})", "cut": f"{y} × (1 − {e})",
    }[name]  # fmt: skip


def find_range_relations(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """Every range the sentence computes from a range before it (see the module's docstring)."""
    ranges = find_ranges_in(text, qs, lo)
    ends = {id(q) for r in ranges for q in r} | {q.start for r in ranges for q in r}
    out: list[Check] = []
    for (a1, a2), (b1, b2) in zip(ranges, ranges[1:], strict=False):
        xs = [q for q in qs if a2.end <= q.start and q.end <= b1.start and q.start not in ends and q.value > 0]
        if re.search(r"[。!?！？]|\.\s", text[a2.end : b1.start]):
            continue
        both: tuple[Qty, Op] | None = None
        one: list[tuple[Qty, Op, bool]] = []
        for x in xs:
            for op in _ops(a1, a2, x):
                c1, c2 = sorted((op[1](a1.value), op[1](a2.value)))
                swapped = op[1](a1.value) > op[1](a2.value)
                fit_lo = ok_within(c1, b1, c1 * rel(a2 if swapped else a1, x))
                fit_hi = ok_within(c2, b2, c2 * rel(a1 if swapped else a2, x))
                if fit_lo and fit_hi:
                    both = both or (x, op)
                elif fit_lo or fit_hi:
                    one.append((x, op, fit_lo))
        if both is None and len({(id(x), op[0]) for x, op, _ in one}) != 1:
            continue  # no operation gives an end, or several give one: not read
        x, op = both if both is not None else one[0][:2]
        scale = Fraction(1)
        for _, s in [*a1.per, *a2.per, *x.per]:
            scale *= s
        swapped = op[1](a1.value) > op[1](a2.value)
        for stated, end in ((b1, a2 if swapped else a1), (b2, a1 if swapped else a2)):
            computed = op[1](end.value)
            ok = ok_within(computed, stated, computed * rel(end, x))
            out.append(record(text, (end, x, stated), stated, computed, "ratio", _shown(op[0], end, x, text, scale), ok))
    return out
