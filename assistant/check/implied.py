"""Relations a draft states in words between figures of one sentence, recomputed exactly.

- per unit: a quantity *per* something times a count of that thing is the total, matched by dimensions, not by
  position ("每台 8 张卡 … 45 台 … 360 张", "$3,000 per GPU … 1,200 GPUs … $3.6M", "$3.1M each … 3 teams … $10M");
  the figure written last is the stated result;
- lists: parts listed before a total cue ("together", "in all", "合计") sum to it, before an average cue
  ("average", "平均") average to it; a bare item takes the scale and unit of the list's last item
  ("120、150 和 160 万台");
- change from X to Y: a percentage ("down 20%"), percentage points, a multiple ("4x", "3 倍", "翻了两番",
  "增长了 1.5 倍" = 2.5 times) or, with a yearly rate and a number of years, compound growth;
- share: "Z% of the total", "占比 Z%" between a part and its whole;
- restatement: one quantity written twice in different scales ("3,500 亿元，也就是 3.5 万亿元").

A stated result is right when it equals the exact result rounded to the digits written (see ``written.agrees``);
after a hedge ("about", "约", "roughly") 1% more is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from assistant.check.expr import Tok, tokenize
from assistant.check.quantities import Qty, read_quantities
from assistant.check.written import agrees, format_value
from assistant.models import ArithmeticCheck
from assistant.text import CJK_RE

_TOTAL_BEFORE = re.compile(
    r"(?:in total|total(?:ling|ing|s)?(?: of)?|altogether|combined|together|sum(?:s| of)?|add(?:s|ing)? up to|"
    r"for a total of|总计|合计|共计|总共|一共|总额|总和|加起来|共有|共|合共|总数)[^0-9$€£¥￥]{0,8}$",
    re.IGNORECASE,
)
_TOTAL_AFTER = re.compile(r"\s*(?:in all|in total|altogether|combined|all told|between them)\b", re.IGNORECASE)
_AVERAGE_BEFORE = re.compile(
    r"(?:average(?:s|d)?(?: out)?(?: to| of| at)?|averaging|an average of|mean(?: of)?|平均(?:为|是|每\S{0,3})?|均值为?)"
    r"[^0-9$€£¥￥]{0,6}$",
    re.IGNORECASE,
)
_LIST_SEP = re.compile(r"\s*(?:[、,，]\s*(?:and\s+|和|及|以及)?|\s(?:and|plus)\s|和|及|以及|与)\s*$")
_THAN = re.compile(r"\bthan\b|比|较|相比|compared (?:with|to)|versus|\bvs\b\.?|\babove\b|\bbelow\b", re.IGNORECASE)
_TO = re.compile(r"\bto\b|到|至|→|->|达到|变为|变成", re.IGNORECASE)
_FROM = re.compile(r"(?:\bfrom|从|由)\s*(?:每\S{1,2}\s*)?(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE)
YEARLY = re.compile(
    r"[%％]\s*(?:a|per|each|every)\s+year|annual|yearly|CAGR|compound|年均|每年|年复合|复合", re.IGNORECASE
)  # a rate per year ("20% a year"), not "a year earlier"
_POINTS = re.compile(r"\s*(?:percentage points?|pp\b|points?|个百分点|百分点)", re.IGNORECASE)
_SHARE = re.compile(
    r"占(?:比|到|了)?\s*(?:约|大约)?\s*$|(?:share of|accounting for|accounts? for|made up|makes? up|represent(?:s|ing)?|"
    r"which is|that is|or)\s*(?:about|roughly|nearly|around|some)?\s*$",
    re.IGNORECASE,
)
_SHARE_AFTER = re.compile(r"\s*of\s+(?:the|its|their|all|total)\b", re.IGNORECASE)
_RESTATE = re.compile(
    r"^\s*[,，]?\s*(?:or|i\.e\.,?|that is,?|which is|即|也就是|也就是说|亦即|合|约合|折合|相当于)\s*(?:about|roughly|约)?\s*(?:US)?[$€£¥￥]?$",
    re.IGNORECASE,
)
_GROWTH_BY = re.compile(r"(?:增长|增加|提高|提升|上涨|上升|扩大)了?\s*$")
_MULT_WORDS = [
    (re.compile(r"翻了?(?P<n>一|两|二|三|四)番"), None),
    (re.compile(r"翻了?(?:一)?倍|doubled|doubling|double[sd]?\b"), Fraction(2)),
    (re.compile(r"tripled|tripling|triple[sd]?\b"), Fraction(3)),
    (re.compile(r"quadrupled|quadrupling"), Fraction(4)),
    (re.compile(r"halved|halving|减半|砍半"), Fraction(1, 2)),
]
_MULT_BEFORE = re.compile(r"(?:doubling|tripling|quadrupling|halving|double|triple|halve|翻倍|减半)\s*(?:the\s+|of\s+)?$", re.I)
_ZH_DIGIT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}
Check = tuple[ArithmeticCheck, int, frozenset[int]]  # the check, where its stated figure starts, all its figures


def _same_kind(a: Qty, b: Qty) -> bool:
    if a.money or b.money:
        return a.money == b.money
    if a.tok.pct or b.tok.pct:
        return a.tok.pct and b.tok.pct
    return bool(a.nouns & b.nouns) or (a.bare and b.bare)


def _record(text: str, qs: Sequence[Qty], stated: Qty, computed: Fraction, relation: str, shown: str, ok: bool,
            value: Fraction | None = None) -> Check:  # fmt: skip
    start, end = min(q.start for q in qs), max(q.end for q in qs)
    stated_value = stated.value if value is None else value
    stated_text = text[stated.start : stated.end].strip()
    computed_text = format_value(computed, stated.tok if value is None else None)
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


def _half(q: Qty) -> Fraction:
    """How far a figure may be from the value it rounds: half its last written digit, at most 0.5% of it. A
    figure with few digits ("$10M", "3 teams") is taken as exact; "$1.92 billion" may be $1.915-1.925 billion,
    so "up 737% from $229 million" is consistent with it."""
    return min(q.tok.ulp / 2, abs(q.value) / 200)


def _rel(*qs: Qty, but: Qty | None = None) -> Fraction:
    """The relative rounding a product or quotient of ``qs`` (all but the stated one) carries."""
    return sum((_half(q) / abs(q.value) for q in qs if q is not but and q.value), Fraction(0))


def _ok(computed: Fraction, stated: Qty, slack: Fraction, hedged: bool | None = None) -> bool:
    """The stated figure agrees with ``computed`` at its written precision, or with a value within ``slack``
    (what the operands' own rounding allows)."""
    hedged = stated.hedged if hedged is None else hedged
    if agrees(computed, stated.tok, hedged):
        return True
    target = abs(stated.value) if computed >= 0 else stated.value
    clamped = min(max(target, computed - slack), computed + slack)
    return slack > 0 and agrees(clamped, stated.tok, hedged)


def _show(q: Qty, text: str) -> str:
    return " ".join(text[q.start : q.end].split())


# --- per unit ---------------------------------------------------------------------------------------------------


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def _matches_per(key: frozenset[str], n: Qty, p: Qty) -> Fraction | None:
    """The factor that turns ``n`` into units of ``key`` (1 when it counts the same thing; 3600 for hours against
    "per second"), or None when ``n`` does not count what ``p`` is per."""
    if n.tok.pct or n.money or not n.nouns:
        return None
    if key == frozenset({"*"}):
        return None if n.nouns & p.nouns else Fraction(1)
    if key & n.nouns:
        return Fraction(1)
    a = next((_SECONDS[k] for k in key if k in _SECONDS), None)
    b = next((_SECONDS[k] for k in n.nouns if k in _SECONDS), None)
    return Fraction(b, a) if a and b else None


def _is_total(text: str, t: Qty) -> bool:
    return bool(_TOTAL_BEFORE.search(text[max(0, t.start - 30) : t.start]) or _TOTAL_AFTER.match(text, t.end))


def _gpu_hours(text: str, qs: list[Qty]) -> list[Check]:
    """GPUs × duration = GPU hours ("1,024 GPUs for 21 days … 516,096 GPU-hours", "Spreading 1.2 million GPU
    hours over 30 days means about 1,250 GPUs"); the figure written last is the stated one."""
    gpus = [q for q in qs if q.nouns == {"gpu"} and not q.per]
    spans = [q for q in qs if q.nouns & _SECONDS.keys() and not q.per and not q.money]
    hours = [q for q in qs if q.nouns == {"gpu_hour"} and not q.per and not q.money]
    if len(gpus) != 1 or len(spans) != 1 or len(hours) != 1:
        return []
    g, d, h = gpus[0], spans[0], hours[0]
    duration = d.value * Fraction(_SECONDS[next(k for k in d.nouns if k in _SECONDS)], 3600)
    stated = max((g, d, h), key=lambda q: q.start)
    if stated is h:
        computed, shown = g.value * duration, f"{_show(g, text)} × {_show(d, text)}"
    elif stated is g:
        computed, shown = h.value / duration, f"{_show(h, text)} ÷ {_show(d, text)}"
    else:
        computed = h.value / g.value * 3600 / _SECONDS[next(k for k in d.nouns if k in _SECONDS)]
        shown = f"{_show(h, text)} ÷ {_show(g, text)}"
    if computed == 0:
        return []
    ok = _ok(computed, stated, _rel(g, d, h, but=stated) * abs(computed))
    return [_record(text, (g, d, h), stated, computed, "product", shown, ok)]


def _same_per(a: frozenset[frozenset[str]], b: frozenset[frozenset[str]]) -> bool:
    """Both sides are per the same things; a period may be said on one side only ("costs $2.4M a year, i.e.
    $200,000 per engineer", "每天标注 300 条 … 一天共标注 6,000 条")."""
    if a == b:
        return True
    timed_a = {k for k in a if k & _SECONDS.keys() or k & {"month", "year"}}
    timed_b = {k for k in b if k & _SECONDS.keys() or k & {"month", "year"}}
    return a - timed_a == b - timed_b and not (timed_a and timed_b)


def _per_unit(text: str, qs: list[Qty], listed: set[int]) -> list[Check]:
    out: list[Check] = []
    qs = [q for q in qs if not q.multiple]
    for p in qs:
        best: tuple[int, Qty, Qty, Fraction] | None = None
        for key, scale in p.per:
            rest = p.per_keys - {key}
            for n in qs:
                factor = None if n is p or n.start in listed else _matches_per(key, n, p)
                if factor is None:
                    continue
                for t in qs:
                    if t in (p, n) or t.start in listed or t.tok.pct or t.multiple:
                        continue
                    if not (_same_kind(t, p) and not t.bare) and not (t.bare and _is_total(text, t)):
                        continue  # "128 in total" counts what the rate counts
                    if not _same_per(t.per_keys, rest | n.per_keys) or key in t.per_keys:
                        continue
                    trio = (p, n, t)
                    lo, hi = min(q.start for q in trio), max(q.start for q in trio)
                    if any(q.bare and not q.word and lo < q.start < hi for q in qs if q not in trio):
                        continue  # an unlabelled figure in between may be the one meant ("… 0.3M, 2.7M in total")
                    if best is None or hi - lo < best[0]:
                        best = (hi - lo, n, t, scale / factor)
        if best is None:
            continue
        _, n, t, scale = best
        stated = max((p, n, t), key=lambda q: q.start)
        if stated is t:
            computed = p.value * n.value / scale
            shown = f"{_show(p, text)} × {_show(n, text)}"
        elif stated is p:
            computed = t.value * scale / n.value
            shown = f"{_show(t, text)} ÷ {_show(n, text)}"
        else:
            computed = t.value * scale / p.value
            shown = f"{_show(t, text)} ÷ {_show(p, text)}"
        ok = _ok(computed, stated, _rel(p, n, t, but=stated) * abs(computed))
        out.append(_record(text, (p, n, t), stated, computed, "product", shown, ok))
    return out


# --- lists ------------------------------------------------------------------------------------------------------


def _inherit(text: str, qs: list[Qty]) -> None:
    """A bare item of a list takes the unit and scale of the item after it ("120、150 和 160 万台")."""
    for i in range(len(qs) - 2, -1, -1):
        a, b = qs[i], qs[i + 1]
        if not a.bare or b.bare or a.word or not _LIST_SEP.search(text[a.end : b.start] + " "):
            continue
        if not re.fullmatch(r"\s*(?:[、,，]\s*(?:and\s+|和|及)?|\s(?:and|plus)\s|和|及|与)\s*", text[a.end : b.start]):
            continue
        factor = b.tok.scale if a.tok.scale == 1 and b.tok.scale != 1 else Fraction(1)
        t = a.tok
        a.tok = Tok("num", t.text, t.start, t.end, t.value * factor, t.ulp * factor, t.sig_ulp * factor, t.pct)
        a.tok.scale = t.scale * factor
        a.nouns, a.money = b.nouns, b.money


def _lists(text: str, qs: list[Qty]) -> tuple[list[Check], set[int]]:
    out: list[Check] = []
    listed: set[int] = set()
    for i, t in enumerate(qs):
        before = text[max(0, t.start - 30) : t.start]
        average = bool(_AVERAGE_BEFORE.search(before))
        if not average and not (_TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(text, t.end)):
            continue
        parts: list[Qty] = []
        for q in reversed(qs[:i]):
            if _same_kind(q, t) and not q.per and not t.tok.pct and not q.tok.pct:
                parts.append(q)
            elif q.word or (not _same_kind(q, t) and parts and q.value == len(parts) and not q.per):
                continue  # "三项", "the three benchmarks": the list's own count
            elif parts:
                break
        if len(parts) < 2:
            continue
        parts.reverse()
        counted = [q for q in qs[:i] if q not in parts and q.value == len(parts) and not _same_kind(q, t)]
        if average and counted == [] and not re.search(r"average|平均|均值|mean", before, re.I):
            continue
        total = sum((q.value for q in parts), Fraction(0))
        computed = total / len(parts) if average else total
        shown = " + ".join(_show(q, text) for q in parts)
        shown = f"({shown}) / {len(parts)}" if average else shown
        slack = sum((_half(q) for q in parts), Fraction(0)) / (len(parts) if average else 1)
        ok = _ok(computed, t, slack)
        out.append(_record(text, [*parts, t], t, computed, "sum", shown, ok))
        listed.update(q.start for q in [*parts, t])
    return out, listed


# --- changes, shares, restatements ------------------------------------------------------------------------------


def _multiplier(text: str, lo: int, hi: int) -> tuple[Fraction, int, int] | None:
    for regex, value in _MULT_WORDS:
        m = regex.search(text, lo, hi)
        if m:
            v = value if value is not None else Fraction(2) ** _ZH_DIGIT[m.group("n")]
            return v, m.start(), m.end()
    return None


def _base_cue(text: str, qs: list[Qty], x: Qty, lo: int) -> str:
    """ "from" when X follows from/从/由, "than" when it follows than/比/较/compared with (the base of a
    comparison, "43% more than the H100's 3.35 TB/s", "比去年的 10 亿元增长 50%"), else ""."""
    if _FROM.search(text[max(lo, x.start - 8) : x.start]):
        return "from"
    stretch = text[max(lo, x.start - 32) : x.start]
    m = None
    for m in _THAN.finditer(stretch):
        pass
    if m is None or re.search(r"[，,。;；:：]", stretch[m.end() :]):
        return ""
    cue_at = x.start - len(stretch) + m.start()
    return "" if any(cue_at < q.start < x.start for q in qs) else "than"


def _changes(text: str, qs: list[Qty], lo: int, hi: int) -> list[Check]:
    """From X to Y (or Y against a base X) with a percentage, points or a multiple. The stated result is the
    figure written last, unless Y comes before its base ("up 20% from $10M" states the 20%)."""
    if YEARLY.search(text, lo, hi):
        return _compound(text, qs)
    out: list[Check] = []
    for i, x in enumerate(qs):
        lead = text[max(lo, x.start - 14) : x.start]
        verb = _multiplier(lead, 0, len(lead)) if _MULT_BEFORE.search(lead) else None
        cue = _base_cue(text, qs, x, lo)
        if not (cue or verb) or x.value == 0:
            continue

        def kin(q: Qty) -> bool:
            if q is x or q.multiple or _POINTS.match(text, q.tok.end):
                return False
            return _same_kind(q, x) or (x.bare and not q.tok.pct) or (q.bare and not x.tok.pct)

        y = next((q for q in qs[i + 1 :] if kin(q)), None) if cue != "than" else None
        if y is not None and not verb and not _TO.search(text[x.end : y.start][:40]):
            y = None  # "737% from $229 million a year earlier, and … revenue was $981.6 million": no "to"
        if y is None and not verb:
            y = next((q for q in reversed(qs[:i]) if kin(q) and not q.multiple), None)
        if y is None or y.multiple:
            continue
        first, last = (x, y) if y.start > x.start else (y, x)
        # the result is written between the two, right after the second or right before the first ("grew 3x,
        # from 2M to 6M"); not further on, where it may start the next comparison ("从 61.5% 提升至 62.8%，GSM8K 从 70.2%")
        between = [q for q in qs if first.start < q.start < last.start]
        nxt = next((q for q in qs if q.start > last.start), None)
        if nxt is not None and (_base_cue(text, qs, nxt, lo) or len(text[last.end : nxt.start]) > 40):
            nxt = None
        prev = next((q for q in reversed(qs) if q.start < first.start), None)
        if prev is not None and (
            not re.fullmatch(r"\s*[,，]?\s*(?:from|从|由)?\s*", text[prev.end : first.start], re.IGNORECASE)
            or not (prev.tok.pct or prev.multiple)
        ):
            prev = None  # only "grew 3x, from 2M to 6M", "fell 75%, from $60 to $15"
        others = [*between, *([nxt] if nxt else []), *([prev] if prev and y.start > x.start else [])]
        found = None if verb else _change(text, x, y, others, lo)
        if found is not None:
            out.append(found)
            continue
        if y.start < x.start:
            continue
        found_mult = verb or _multiplier(text, max(lo, x.start - 30), y.start)
        if found_mult is not None:
            mult = found_mult[0]
            ok = _ok(x.value * mult, y, _rel(x) * abs(x.value * mult))
            out.append(_record(text, (x, y), y, x.value * mult, "ratio", f"{_show(x, text)} × {mult}", ok))
    return out


def _change(text: str, x: Qty, y: Qty, others: list[Qty], lo: int) -> Check | None:
    ratio = y.value / x.value
    up = y.value >= x.value
    for r in others:
        after = text[r.tok.end : r.tok.end + 16]
        before = text[max(lo, r.start - 12) : r.start]
        in_points = bool(_POINTS.match(text, r.tok.end))
        if x.tok.pct and y.tok.pct and (r.tok.pct or in_points):
            points = abs(y.value - x.value) * (1 if r.tok.pct else 100)
            slack = (_half(x) + _half(y)) * (1 if r.tok.pct else 100)
            ok = _ok(points, r, slack) or (not in_points and _ok(abs(ratio - 1), r, ratio * _rel(x, y)))
            return _record(text, (x, y, r), r, points, "percentage_change", f"{_show(y, text)} − {_show(x, text)}", ok)
        if in_points and not r.tok.pct:  # "85.2 on MMLU, 3.1 points above the previous 82.1"
            points = abs(y.value - x.value)
            shown = f"{_show(y, text)} − {_show(x, text)}"
            ok = _ok(points, r, _half(x) + _half(y))
            return _record(text, (x, y, r), r, points, "percentage_change", shown, ok)
        if r.tok.pct and not r.per and not _SHARE_AFTER.match(text, r.tok.end):
            change = abs(ratio - 1)
            shown = f"({_show(y, text)} − {_show(x, text)}) / {_show(x, text)}"
            ok = _ok(change, r, ratio * _rel(x, y))
            return _record(text, (x, y, r), r, change, "percentage_change", shown, ok)
        if r.nouns & {"times"} or re.match(r"\s*(?:x\b|×|倍|times\b|-fold)", after, re.I):
            by = bool(_GROWTH_BY.search(before))  # "增长了 1.5 倍" is 2.5 times; "增长到 3 倍" is 3 times
            if r.start < y.start:
                computed = x.value * (r.value + 1 if by else r.value)
                shown = f"{_show(x, text)} × {'(1 + ' + _show(r, text) + ')' if by else _show(r, text)}"
                ok = _ok(computed, y, _rel(x) * abs(computed))
                return _record(text, (x, r, y), y, computed, "ratio", shown, ok)
            want = ratio - 1 if by else ratio
            ok = _ok(want, r, ratio * _rel(x, y))
            if not ok and re.match(r"\s*times (?:more|higher|larger|bigger)", after):
                ok = _ok(ratio - 1, r, ratio * _rel(x, y))  # "3 times more" is read both ways
            shown = f"{_show(y, text)} / {_show(x, text)}" + (" − 1" if by else "")
            return _record(text, (x, y, r), r, want, "ratio", shown, ok)
    return None


def _compound(text: str, qs: list[Qty]) -> list[Check]:
    """A yearly rate over whole years: "$10M growing 20% a year for two years reaches $14.4M", "from $2B to $8B in
    two years, a compound annual growth rate of 100%"."""
    rates = [q for q in qs if q.tok.pct and not _POINTS.match(text, q.tok.end)]
    years = [q for q in qs if q.nouns & {"year"} and not q.tok.pct]
    values = [q for q in qs if q not in rates and q not in years and not q.tok.pct and not q.bare]
    if len(rates) != 1 or len(years) != 1 or len(values) != 2 or not _same_kind(*values):
        return []
    (r,), (n,), (x, y) = rates, years, values
    if n.value.denominator != 1 or not 1 <= n.value <= 50 or x.value <= 0 or y.value <= 0:
        return []
    if r.start < y.start:
        computed = x.value * (1 + r.value) ** int(n.value)
        ok = _ok(computed, y, _rel(x) * abs(computed))
        shown = f"{_show(x, text)} × (1 + {_show(r, text)})^{n.value}"
        return [_record(text, (x, r, n, y), y, computed, "percentage_change", shown, ok)]
    growth = Fraction(float(y.value / x.value) ** (1 / float(n.value))) - 1
    ok = _ok(growth, r, (1 + growth) * _rel(x, y) / n.value) or abs(growth - r.value) <= Fraction(1, 10**9)
    shown = f"({_show(y, text)} / {_show(x, text)})^(1/{n.value}) − 1"
    return [_record(text, (x, y, r), r, growth, "percentage_change", shown, ok)]


def _shares(text: str, qs: list[Qty], lo: int) -> list[Check]:
    out: list[Check] = []
    for r in qs:
        if not r.tok.pct or r.per:
            continue
        cue = _SHARE.search(text[max(lo, r.start - 14) : r.start]) or _SHARE_AFTER.match(text, r.end)
        if not cue:
            continue
        values = [q for q in qs if not q.tok.pct and (q.money or q.nouns or q.bare) and not q.word]
        for a in values:  # "37B of its 671B parameters": the part counts what the whole counts
            nxt = next((q for q in values if q.start > a.start), None)
            if a.bare and nxt is not None and re.fullmatch(r"\s*of\s+(?:its|the|their)?\s*", text[a.end : nxt.start]):
                a.nouns, a.money = nxt.nouns, nxt.money
        groups: dict[frozenset[str], list[Qty]] = {}
        for q in values:
            groups.setdefault(q.kind, []).append(q)
        pairs = [g for g in groups.values() if len(g) == 2]
        counts = [q for q in values if not q.money]
        if not pairs and len(values) == 2 and len(counts) == 2:
            pairs = [counts]  # "Of the 1,600 employees, 480 work in research": two counts, whatever they count
        if len(pairs) != 1 or min(q.value for q in pairs[0]) <= 0:
            continue
        a, b = sorted(pairs[0], key=lambda q: q.value)
        computed = a.value / b.value
        ok = _ok(computed, r, computed * _rel(a, b))
        out.append(_record(text, (a, b, r), r, computed, "ratio", f"{_show(a, text)} / {_show(b, text)}", ok))
    return out


def _restatements(text: str, qs: list[Qty]) -> list[Check]:
    out: list[Check] = []
    for a, b in zip(qs, qs[1:], strict=False):
        if a.tok.scale == b.tok.scale or not _same_kind(a, b) or a.per_keys != b.per_keys or a.tok.pct:
            continue
        if not _RESTATE.match(text[a.end : b.start]):
            continue
        hedged = b.hedged or bool(re.search(r"约|about|roughly", text[a.end : b.start]))
        ok = _ok(a.value, b, _half(a), hedged)
        out.append(_record(text, (a, b), b, a.value, "restatement", _show(a, text), ok))
    return out


def find_implied(
    text: str, sentences: Sequence[tuple[int, int]], skip: Sequence[tuple[int, int]] = ()
) -> list[Check]:
    """Every relation above in ``text``, one sentence at a time; figures inside ``skip`` take part in none."""
    toks = tokenize(text)
    out: list[Check] = []
    for lo, hi in _joined(text, sentences):
        qs = read_quantities(text, toks, lo, hi, list(skip))
        if len(qs) < 2:
            continue
        _inherit(text, qs)
        found, listed = _lists(text, qs)
        found += _per_unit(text, qs, listed)
        found += _gpu_hours(text, qs)
        found += _changes(text, qs, lo, hi)
        found += _shares(text, qs, lo)
        found += _restatements(text, qs)
        stated: set[int] = set()
        for check, at, used in found:
            if at not in stated:  # one relation per stated figure: the first kind that reads it
                stated.add(at)
                out.append((check, at, used))
    return out


def _joined(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with the ones a semicolon ends joined to the next: "…即 144 张卡；每张卡放 2 个专家…" is one
    thought."""
    out: list[tuple[int, int]] = []
    for lo, hi in sentences:
        if out and text[out[-1][0] : out[-1][1]].rstrip()[-1:] in {"；", ";"} and "\n" not in text[out[-1][1] : lo]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out
