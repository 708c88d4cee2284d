"""What the implied relations share: the check record, and how far a stated figure may be from a recomputed
one (its own written precision, plus the rounding of the figures it was computed from)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from assistant.check.expr import Tok
from assistant.check.quantities import Qty
from assistant.check.written import format_value, stated_tolerance
from assistant.models import ArithmeticCheck
from assistant.text import CJK_RE
from tools.units import match_unit

Check = tuple[ArithmeticCheck, int, frozenset[int]]  # the check, where its stated figure starts, all its figures


def same_kind(a: Qty, b: Qty) -> bool:
    if a.money or b.money:
        return a.money == b.money
    if a.tok.pct or b.tok.pct:
        return a.tok.pct and b.tok.pct
    return bool(a.nouns & b.nouns) or (a.bare and b.bare)


def record(text: str, qs: Sequence[Qty], stated: Qty, computed: Fraction, relation: str, shown: str, ok: bool,
            value: Fraction | None = None) -> Check:  # fmt: skip
    start, end = min(q.start for q in qs), max(q.end for q in qs)
    stated_value = stated.value if value is None else value
    stated_text = text[stated.start : stated.end].strip()
    computed_text = format_value(computed, stated.tok if value is None else None)
    if value is None and stated.factor != 1:  # "1.2 TB": the recomputed value in the stated figure's unit
        computed_text = f"{format_value(computed / stated.factor)} {text[stated.tok.end : stated.end].strip()}"
    zh = bool(CJK_RE.search(text[start:end]))
    explanation = f"{shown} = {computed_text}"
    if not ok:
        explanation += f"；草稿写的是{stated_text}" if zh else f"; the draft says {stated_text}"
    check = ArithmeticCheck(
        text=text[start:end], start=start, end=end, relation=relation, stated=float(stated_value),
        computed=float(computed), consistent=ok, explanation=explanation, expression=shown,
        stated_text=stated_text, computed_text=computed_text,
    )  # fmt: skip
    return check, stated.start, frozenset(q.start for q in qs)


def half(q: Qty) -> Fraction:
    """How far a figure may be from the value it rounds: half its last written digit, at most 0.5% of it. A
    figure with few digits ("$10M", "3 teams") is taken as exact; "$1.92 billion" may be $1.915-1.925 billion,
    so "up 737% from $229 million" is consistent with it."""
    return min(q.tok.ulp / 2, abs(q.value) / 200)


def rel(*qs: Qty, but: Qty | None = None) -> Fraction:
    """The relative rounding a product or quotient of ``qs`` (all but the stated one) carries."""
    return sum((half(q) / abs(q.value) for q in qs if q is not but and q.value), Fraction(0))


def ok_within(computed: Fraction, stated: Qty, slack: Fraction, hedged: bool | None = None) -> bool:
    """The stated figure agrees with ``computed`` at its written precision, or with a value within ``slack``
    (what the operands' own rounding allows)."""
    hedged = stated.hedged if hedged is None else hedged
    if stated.multiple and not hedged and stated.value.denominator == 1 and stated.value > 1:
        # an unhedged whole multiple ("3 倍", "three times") states the ratio within a twentieth of itself, not
        # half a unit: 8 / 3.2 = 2.5 is no "3 倍"
        return abs(computed - stated.value) <= min(stated.tok.ulp / 2, stated.value / 20) + slack
    if stated.multiple and hedged and stated.value.denominator == 1 and stated.value >= 10:
        # "about 10 times": a round multiple says its order, within a fifth of itself; 15 is no "about 10 times"
        return abs(computed - stated.value) <= min(stated_tolerance(stated.tok, hedged), stated.value / 5) + slack
    if rounds_to(computed, stated.tok, hedged):
        return True
    target = abs(stated.value) if computed >= 0 else stated.value
    clamped = min(max(target, computed - slack), computed + slack)
    return slack > 0 and rounds_to(clamped, stated.tok, hedged)


def rounds_to(value: Fraction, stated: Tok, hedged: bool) -> bool:
    """``value`` rounded to the stated figure's last written digit is the stated figure (a percentage may drop
    its sign: "fell 25%"). Unlike a written calculation's result, a figure the text implies is never read as
    cut off or rounded up ("$4M" is not 3.03M rounded up)."""
    tol = stated_tolerance(stated, hedged)
    return abs(value - stated.value) <= tol or (stated.pct and abs(abs(value) - stated.value) <= tol)


def show(q: Qty, text: str) -> str:
    """The figure as written, with the rest of a Chinese noun it was read by ("50 个请求", not "50 个请")."""
    end = q.end
    known = match_unit(text, q.tok.end)  # "1,000 张卡": a unit read whole, not the start of a longer noun
    while not (known and known[2] == q.end) and q.end > q.tok.end and not q.money and end < len(text) and end - q.end < 3 and CJK_RE.match(text[end]) and CJK_RE.match(text[end - 1]):
        end += 1
    return " ".join(text[q.start : end].split())


# --- per unit ---------------------------------------------------------------------------------------------------
