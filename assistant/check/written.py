"""Calculations written out in a draft ("2048 × 60 × 24 = 2,949,120", "35亿 + 12.5亿 = 47.5亿"), recomputed exactly.

A chain is expressions and numbers joined by "=" words: "cost = 2,949,120 × $2.10 = $6.19M = ¥4,459万". Each number
after an expression is checked against it; an expression after an expression must have the same value, or (a
running chain, "2 × 3 = 6 × 4 = 24") start with the value before it. Labels before the first "=" ("Total cost =",
"x =") are not part of the calculation. A calculation with a variable in it ("8x + 4x = 12x", "D / 6 = 30 / 10")
is skipped, not flagged. Two numbers with different units ("640 GB = 0.64 TB") are not compared.

Tolerance follows the stated precision: the value rounded to the last written place ("$6.5M" may be anything
from $6.45M to $6.55M), or its further digits cut off or rounded up (2179253.67 people stated as 2179253). After
≈, 约, "about": trailing zeros of a whole number are not significant, and 1% is allowed. A scale written only on
the result covers the terms ("410 + 19 + 12 = 441 billion"). A result in other units than the expression's
(tera, hours to seconds, MB to bytes) is not an error: see ``_converted``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

from assistant.check.bindings import find_bindings
from assistant.check.chains import MONEY_WORD, Chain, Segment, find_chains
from assistant.check.expr import NotComputable, Tok, evaluate, tokenize
from assistant.check.quantities import measure_unit
from assistant.check.worded import find_worded
from assistant.models import ArithmeticCheck
from assistant.text import CJK_RE

_CJK = CJK_RE
_SCALED = re.compile(r"万亿|千亿|百亿|亿|千万|百万|万|千|[kKMBT]|bn|mn|thousand|million|billion|trillion")
_CURRENCY = re.compile(r"US\$|\$|€|£|¥|￥")


@dataclass
class Written:
    """One comparison: an expression and the value the draft gives it."""

    expr: Segment
    value: Fraction
    stated: Tok
    hedged: bool
    ok: bool


def _pasted_float(value: Fraction) -> bool:
    """A number written as a double prints ("1.3079231999999998e17" as 130792319999999980) that the double does
    not hold exactly: its last digits are rounding noise of a float computation. A number a double holds exactly
    (any whole number up to 2^53) or one no double prints has every digit meant."""
    try:
        f = float(value)
    except OverflowError:
        return False
    return Fraction(repr(f)) == value and Fraction(f) != value


HEDGED_SHARE = 10  # a hedged round figure stands for values within a tenth of itself


def stated_tolerance(stated: Tok, hedged: bool) -> Fraction:
    """Half the last written digit; after a hedge, trailing zeros of a whole number are not significant and 1%
    is allowed, or (a figure of four or more significant digits states its precision: "≈ 142,587") one unit of
    its last digit."""
    if hedged:
        if stated.sig_ulp and abs(stated.value) / stated.sig_ulp >= 1000:
            return stated.sig_ulp
        if stated.pct and stated.sig_ulp > stated.ulp:
            # "约 30%": a percentage counts in whole points, so its trailing zero is half significant; 25% is
            # no "about 30%", 28% is
            return max(stated.sig_ulp / 4, stated.ulp / 2, abs(stated.value) / 100)
        # a round figure after a hedge gives its order, not a fifth of it: "约 1000 万股" is no 800 万, "about
        # 3,000" may be 2,800
        return min(max(stated.sig_ulp / 2, abs(stated.value) / 100), max(stated.ulp / 2, abs(stated.value) / HEDGED_SHARE))
    return stated.ulp / 2


def _cut(value: Fraction, stated: Tok) -> bool:
    """The stated number is ``value`` with its further digits cut off, or rounded up to the last written place
    (2179253.67 people -> 2179253): written results often floor a count instead of rounding it."""
    if not stated.ulp:
        return False
    steps = value / stated.ulp
    lo = Fraction(steps.numerator // steps.denominator) * stated.ulp
    # rounded up only to a whole number (a count: 3.2 GPUs are 4); "22 / 7 = 3.15" rounds 3.1428 up by design
    return stated.value == lo or (steps.denominator != 1 and stated.ulp >= 1 and stated.value == lo + stated.ulp)


def agrees(value: Fraction, stated: Tok, hedged: bool, expr_has_pct: bool = True) -> bool:
    """Whether ``value`` rounds to the stated number (see the module doc). A percentage may be stated without
    its sign ("(3.6 − 4.5) / 4.5 = 20% lower"), or after an expression that already multiplied by 100."""
    # digits past the 15th are a double's noise when a result was pasted from a float ("130792319999999980")
    tol = stated_tolerance(stated, hedged)
    if _pasted_float(stated.value):
        tol += abs(stated.value) * Fraction(1, 10**15)
    if abs(value - stated.value) <= tol or _cut(value, stated):
        return True
    if stated.pct and abs(abs(value) - stated.value) <= tol:
        return True
    return stated.pct and not expr_has_pct and abs(value / 100 - stated.value) <= tol


def _same(a: Fraction, b: Fraction) -> bool:
    return abs(a - b) <= max(abs(a), abs(b)) * Fraction(1, 10**9)


def _in_stated_unit(text: str, expr: Segment, value: Fraction, stated: Tok) -> Fraction | None:
    """The expression's value in the stated result's unit, when both name one of a dimension ("64 × 700 W = 44.8
    kW", "405B params × 2 bytes = 810 GB"): exactly one number of the expression carries that dimension."""
    unit = measure_unit(text, stated.end)
    if unit is None:
        return None
    inside = [u for t in expr.toks if t.kind == "num" and (u := measure_unit(text, t.end)) is not None]
    same = [f for dim, f in inside if dim == unit[0]]
    if len(same) != 1 or len(inside) != 1 or same[0] == unit[1]:
        return None
    return value * same[0] / unit[1]


def compare_chain(chain: Chain, text: str = "") -> list[Written]:
    """The comparisons one chain states (see the module doc); with ``text``, a result in another unit of the
    expression's dimension is compared in that unit."""
    out: list[Written] = []
    cur: tuple[Segment, Fraction] | None = None
    last_unit = ""
    for k, (seg, hedged) in enumerate(zip(chain.segments, chain.hedged, strict=True)):
        value = _value(seg)
        if value is None:
            cur = None
            continue
        n = seg.number
        if n is not None:
            if cur is not None:
                if seg.unit and last_unit and seg.unit != last_unit:
                    cur = None  # "640 GB = 0.64 TB": a unit conversion, not arithmetic
                    continue
                scaled = _implicit_scale(cur[0], cur[1], n, hedged)
                converted = _in_stated_unit(text, cur[0], cur[1], n) if text else None
                if converted is not None:
                    out.append(Written(cur[0], converted, n, hedged, agrees(converted, n, hedged)))
                    last_unit = seg.unit or last_unit
                    continue
                ok = scaled is not None or agrees(cur[1], n, hedged, any(t.pct for t in cur[0].toks))
                if ok or not _converted(cur[0], cur[1], n, seg.unit):
                    out.append(Written(cur[0], scaled or cur[1], n, hedged, ok))
            last_unit = seg.unit or last_unit
            continue
        if cur is not None and _extends(cur[0], seg):
            cur = (seg, value)  # "= 193 * 16 A100-hours = 193 * 16 * 3600 * 312e12": the same, in other units
            continue
        if cur is not None and not _same(cur[1], value):
            lead = seg.toks[0]
            rewrite = _rewrite(cur[0], seg)
            if (
                rewrite is not None
                and not agrees(rewrite[1], lead, hedged)
                and _converted(rewrite[0], rewrite[1], lead, "")
            ):
                cur = None  # "5000MB / 8 = 5e9 / 8": the first part restated in other units
                continue
            if rewrite is not None and not agrees(rewrite[1], lead, hedged):
                # "3(2869949) - 5 = 8609842 - 5 = 8609837": the first part was worked out wrong, so the result
                # that follows is measured against the first expression
                if not any(s.number is not None for s in chain.segments[k + 1 :]):
                    out.append(Written(rewrite[0], rewrite[1], lead, hedged, False))
                continue
            if rewrite is None and seg.leading is lead:  # a running chain: "2 × 3 = 6 × 4 = 24"
                out.append(Written(cur[0], cur[1], lead, hedged, agrees(cur[1], lead, hedged)))
            elif rewrite is None:
                stated = Tok("num", "", seg.start, seg.end, value, Fraction(0), Fraction(0))
                out.append(Written(cur[0], cur[1], stated, hedged, False))
        cur = (seg, value)
        last_unit = ""
    return out


_POWERS = [Fraction(1000) ** k for k in range(-6, 7)] + [Fraction(1024) ** k for k in (-3, -2, -1, 1, 2, 3)]
_PER = [1, 8, 24, 30, 60, 168, 365, 720, 1440, 3600, 8760, 86400, 31536000]
_FACTORS = sorted({p * f for p in _POWERS for f in _PER} | {p / f for p in _POWERS for f in _PER})


def _implicit_scale(expr: Segment, value: Fraction, stated: Tok, hedged: bool) -> Fraction | None:
    """ "410 + 19 + 12 = 441 billion": a scale written only on the result applies to every term. The value in
    that scale when it then agrees (and did not without it)."""
    if stated.scale == 1 or any(t.scale != 1 for t in expr.toks if t.kind == "num"):
        return None
    if agrees(value, stated, hedged) or not agrees(value * stated.scale, stated, hedged):
        return None
    return value * stated.scale


def _converted(expr: Segment, value: Fraction, stated: Tok, stated_unit: str) -> bool:
    """The stated result is the value in other units, not an error. With units inside the expression: any
    power of 1000 or 1024 times a time or byte factor ("390 TFLOP/s * 5 million hours = 7.02e24"), or a result
    orders of magnitude away that the units must explain. With a unit word on the result only: a power of 1000
    or 1024 ("8*24*2**30/8 = 24GiB"). So "2048 × 60 × 24 = 49,152 GPU hours" (60 times too small) stays an error."""
    if value == 0 or stated.value == 0 or not (expr.units or stated_unit):
        return False
    stated_money = bool(_CURRENCY.match(stated.text) or MONEY_WORD.fullmatch(stated_unit or ""))
    if expr.money and stated_money:
        return False  # money in money: "278.8 万 × 2 美元 ≈ 5.576 亿美元" is off by a scale, not in other units
    if expr.units:
        ratio = abs(stated.value / value)
        if ratio >= 100 or ratio <= Fraction(1, 100):
            return True
        return any(agrees(value * f, stated, True) for f in _FACTORS if f != 1)
    return any(agrees(value * f, stated, True) for f in _POWERS if f != 1)


def _rewrite(before: Segment, seg: Segment) -> tuple[Segment, Fraction] | None:
    """When ``seg`` is a number followed by the same tail as ``before`` ("A - 5 = n - 5"), the head of ``before``
    (A) as a segment of its own, with its value."""
    if seg.leading is None or seg.toks[0] is not seg.leading or len(seg.toks) < 3:
        return None
    tail = seg.toks[1:]
    if len(before.toks) <= len(tail) or before.toks[-len(tail)].kind != "op":
        return None
    if [_key(t) for t in before.toks[-len(tail) :]] != [_key(t) for t in tail]:
        return None
    head = before.toks[: -len(tail)]
    part = Segment(head, head[0].start, head[-1].end, units=before.units)
    value = _value(part)
    return (part, value) if value is not None else None


def _extends(before: Segment, seg: Segment) -> bool:
    n = len(before.toks)
    return len(seg.toks) > n and [_key(t) for t in seg.toks[:n]] == [_key(t) for t in before.toks]


def _key(t: Tok) -> tuple[str, str, Fraction]:
    return (t.kind, t.op, t.value)


def _value(seg: Segment) -> Fraction | None:
    if seg.has_var or seg.partial:
        return None
    try:
        return evaluate(seg.toks)
    except NotComputable:
        return None


def find_written(text: str) -> list[ArithmeticCheck]:
    """Every calculation written out in ``text``, recomputed; one check per stated result."""
    checks: list[ArithmeticCheck] = []
    toks = tokenize(text)
    for chain in find_chains(toks, find_bindings(toks)):
        for w in compare_chain(chain, text):
            checks.append(_record(text, w))
    covered = [(c.start, c.end) for c in checks]
    for prev, op, operand, stated, hedged, value, flipped in find_worded(text, toks):
        if any(s <= stated.start and stated.end <= e for s, e in covered):
            continue  # already read as a written calculation
        a, b = (operand, prev) if flipped else (prev, operand)
        expr = Segment([a, Tok("op", op, a.end, a.end, op=op), b], prev.start, operand.end)
        ok = agrees(value, stated, hedged, prev.pct or operand.pct)
        shown = f"{a.text.strip()} {_SIGNS[op]} {b.text.strip()}"
        checks.append(_record(text, Written(expr, value, stated, hedged, ok), shown))
    checks.sort(key=lambda c: c.start)
    return checks


_SIGNS = {"*": "×", "/": "÷", "+": "+", "-": "−"}


def _record(text: str, w: Written, expression: str = "") -> ArithmeticCheck:
    start, end = w.expr.start, max(w.stated.end, w.expr.end)
    if w.stated.start < w.expr.start:
        start = w.stated.start
    expression = expression or " ".join(text[w.expr.start : w.expr.end].split())
    stated_text = text[w.stated.start : w.stated.end] if w.stated.text else format_value(w.stated.value)
    computed_text = format_value(w.value, w.stated if w.stated.text else None)
    zh = bool(_CJK.search(text[start:end])) or bool(_CJK.search(_around(text, start, end)))
    if w.ok:
        explanation = f"{expression} = {computed_text}"
    elif zh:
        explanation = f"{expression} = {computed_text}；草稿写的是{stated_text}"
    else:
        explanation = f"{expression} = {computed_text}; the draft says {stated_text}"
    return ArithmeticCheck(
        text=text[start:end], start=start, end=end, relation="written", stated=float(w.stated.value),
        computed=float(w.value), consistent=w.ok, explanation=explanation, expression=expression,
        stated_text=stated_text, computed_text=computed_text,
    )  # fmt: skip


def _around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind("\n", 0, start), 0)
    hi = text.find("\n", end)
    return text[lo : hi if hi >= 0 else len(text)]


def format_value(value: Fraction, like: Tok | None = None) -> str:
    """``value`` written the way ``like`` (the stated number) is: its currency, scale and percent sign, two more
    decimals than it shows. Without ``like``: whole numbers with separators, others to 4 decimals."""
    prefix, suffix, mult, decimals = "", "", Fraction(1), 4
    if like is not None and like.text:
        cur = _CURRENCY.search(like.text)
        prefix = cur.group(0) if cur else ""
        body = like.text[cur.end() :] if cur else like.text
        core = re.search(r"\d[\d,]*(?:\.(\d+))?", body)
        decimals = len(core.group(1) or "") + 2 if core else 4
        scale = _SCALED.search(body[core.end() :] if core else body)
        if like.pct:
            mult, suffix = Fraction(1, 100), "%"
        elif scale and like.ulp:
            mult = like.ulp * 10 ** (decimals - 2)
            suffix = body[core.end() :].strip() if core else ""
            suffix = suffix.rstrip("%％ ")
    scaled = value / mult
    if scaled and abs(scaled) < 1:  # keep four significant digits of a small value ("0.000499 billion")
        lead_zeros = 0
        probe = abs(scaled)
        while probe < 1 and lead_zeros < 30:
            probe *= 10
            lead_zeros += 1
        decimals = max(decimals, lead_zeros + 3)
    if mult == 1 and not suffix and scaled and not Fraction(1, 10**6) <= abs(scaled) < 10**15:
        mantissa, exp = f"{float(scaled):.{max(decimals, 3)}e}".split("e")
        return f"{prefix}{mantissa.rstrip('0').rstrip('.')}×10^{int(exp)}"
    if suffix[:1].isalpha() and len(suffix) > 1:
        suffix = " " + suffix
    if scaled.denominator == 1:
        return f"{'-' if scaled < 0 else ''}{prefix}{abs(scaled.numerator):,}{suffix}"
    with localcontext() as ctx:
        ctx.prec = 60
        d = (Decimal(scaled.numerator) / Decimal(scaled.denominator)).quantize(
            Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN
        )
    s = f"{abs(d):,f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return f"{'-' if d < 0 else ''}{prefix}{s}{suffix}"
