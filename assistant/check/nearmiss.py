"""Stated results no phrasing rule read: the simple relations a sentence's figures allow, tested by type.

Each figure of the sentence is a typed quantity (``quantities``): its value in base units (kW and 兆瓦 in watts,
万 and 亿 applied, minutes and days in seconds) and its dimension, a product of base symbols (``$usd``, ``watt``,
``byte``, ``s``) with what it is per divided out ("1.8 TB every hour" is byte/s, "$3 per image" is $usd, a count of
anything is dimensionless). For a figure the clause structure presents as a result (the sentence's last figure,
the figure alone in a closing clause, or one right after a result word: "so", "or", "即", "相当于") every reading of
the other figures whose dimension equals its own is computed:

- the same quantity in other units ("7.2 million pages an hour, 2,000 each second");
- the sum of a list of its kind before it, a difference of two;
- a product or quotient of two figures whose dimensions compose to its own (W × count, $ ÷ count, W ÷ W);
- for a percentage, a fraction in words or a multiple: share, change from either end, an increase over the base
  it was added to; for points, the difference of two percentages.

When a reading equals the stated figure (at its written precision) the figure is right; when none does but one
comes near (within a factor of ``_NEAR``, or off by a power of ten exactly in a product, quotient or unit
conversion), the nearest is the calculation the draft got wrong. What may flag is narrower than what may make
right: only figures said before the result and after the last semicolon, among them the one right before it; a
figure's place flags only strong readings (a rate that says what it is per, a list of three or more), a result
word weak ones too; the words around a percentage say share or change (``changes``/``shares`` cue lists), and a
percentage said of a whole no figure gives (``clauses.own_subject``) reads nothing. ``implied`` drops another
module's flag that is far from its figure when a reading here makes the figure right or comes near it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from assistant.check.changes import CHANGE_WORDS
from assistant.check.clauses import own_subject
from assistant.check.expr import Tok
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show
from assistant.check.shares import SHARE_WORDS
from assistant.text import CJK_RE

_NEAR = 1.6  # a stated figure this far from every exact reading is no slip of the reading nearest to it
_PROSE = 5  # figures of a sentence whose place still says which is the result; more are a list or a row
_HEDGED = 0.03  # a hedged figure this close to a reading rounds it
_TIME = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 30 * 86400,
         "year": 365 * 86400}  # fmt: skip
_COMPOUND = {  # unit keys of ``tools.units`` that are products or quotients of base symbols, with their factor
    "gpu_hour": ({"s": 1}, 3600),
    "watt_hour": ({"watt": 1, "s": 1}, 3600),
    "byte_per_s": ({"byte": 1, "s": -1}, 1),
    "flop_per_s": ({"flop": 1, "s": -1}, 1),
}
_BASE = {"watt", "byte", "flop"}
_RESULT_CORE = (
    r"\b(?:so|thus|hence|or|i\.e\.|that is|which|amount(?:s|ing)? to|works? out to|comes? to|equal(?:s|ling)?"
    r"|giving|leaving|bringing|brought|for a total of|a total of|total(?:s|ling)?|combined|add(?:s|ing)? up to"
    r"|in all|average|costs?|draws?|needs?)\b"
    r"|即|相当于|折合|合计|共计|总计|累计|一共|总共|共需|需要?|共|总额|总数|平均|人均|占比?|增幅|降幅|为原来的|原来的"
)
_RESULT_WORD = re.compile(f"(?:{_RESULT_CORE})[^0-9.。;；!?！？]{{0,14}}$", re.IGNORECASE)
_HEDGE = re.compile(r"\b(?:about|approximately|roughly|around|nearly|almost|some|close to|just|only|a|an|the)\b|约|大约|近|将近|逾|超过|达到?|为|了|\$", re.IGNORECASE)
_OF_THE = re.compile(r"\b(?:of|the|its|their|all|total)\b", re.IGNORECASE)
_PARTITIVE = re.compile(r"\b(?:of|out of|among)\b|[中里](?=[，,有的]|\s)|之中|当中|其中", re.IGNORECASE)
_PCT_WORDS = re.compile(f"{CHANGE_WORDS.pattern}|{SHARE_WORDS.pattern}|{_RESULT_CORE}|{_HEDGE.pattern}", re.IGNORECASE)
_CLAUSE = re.compile(r"[,，;；:：—–(（]|\s-\s")
_POINTS = re.compile(r"\s*(?:个)?百分点|\s*(?:percentage\s+)?(?:points?|pp)\b", re.IGNORECASE)
_FRACTIONS = {
    "一半": Fraction(1, 2), "half": Fraction(1, 2), "a third": Fraction(1, 3), "one third": Fraction(1, 3),
    "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4), "a fifth": Fraction(1, 5),
    "two thirds": Fraction(2, 3), "two-thirds": Fraction(2, 3), "three quarters": Fraction(3, 4),
    "one in four": Fraction(1, 4), "one in three": Fraction(1, 3), "one in five": Fraction(1, 5),
}  # fmt: skip
_ZH_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_FRACTION_WORD = re.compile(
    r"(?P<en>" + "|".join(sorted(map(re.escape, _FRACTIONS), key=len, reverse=True)) + r")\b"
    r"|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])|(?<![\d一二三四五六七八九十])(?P<cheng>[一二三四五六七八九])成(?![本功员立为])"
    r"|(?P<yiban>一半)",
    re.IGNORECASE,
)
_FRACTION_TOL = Fraction(12, 100)  # "close to a third" is a third within 12% of it


@dataclass(frozen=True)
class _Reading:
    value: Fraction  # in the stated figure's own units
    shown: str
    operands: tuple[Qty, ...]
    relation: str
    family: str = ""  # of a percentage's reading: "share", "part" (of a whole named so), "change", "increment"
    # (over the base an amount was added to), "pcts" (between percentages)
    weak: int = 0  # 1: may flag a figure only a result word introduces, not one its place does; 2: never flags


def _dim(q: Qty) -> tuple[Fraction, dict[str, int]] | None:
    """(value in base units, dimension) of an amount; None for a percentage or a multiple."""
    if q.tok.pct or q.multiple:
        return None
    value, dims = q.value, {}
    if q.money:
        dims["$" + q.money] = 1
    for n in q.nouns:
        if n in _TIME:
            value *= _TIME[n]
            dims["s"] = dims.get("s", 0) + 1
        elif n in _COMPOUND:
            extra, factor = _COMPOUND[n]
            value *= factor
            for k, e in extra.items():
                dims[k] = dims.get(k, 0) + e
        elif n in _BASE:
            dims[n] = dims.get(n, 0) + 1
    for keys, scale in q.per:
        value /= scale
        for k in keys:
            if k in _TIME:
                value /= _TIME[k]
                dims["s"] = dims.get("s", 0) - 1
                break
            if k in _COMPOUND:
                extra, factor = _COMPOUND[k]
                value /= factor
                for d, e in extra.items():
                    dims[d] = dims.get(d, 0) - e
                break
            if k in _BASE:
                dims[k] = dims.get(k, 0) - 1
                break
    return value, {k: e for k, e in dims.items() if e}


def _timed(q: Qty) -> bool:
    return any(k & _TIME.keys() for k, _ in q.per)


def _combine(a: dict[str, int], b: dict[str, int], sign: int) -> dict[str, int]:
    out = dict(a)
    for k, e in b.items():
        out[k] = out.get(k, 0) + sign * e
    return {k: e for k, e in out.items() if e}


def fraction_words(text: str, lo: int, hi: int) -> list[Qty]:
    """Fractions written in words ("a third", "三分之一", "四成", "一半") as percentages."""
    out = []
    for m in _FRACTION_WORD.finditer(text, lo, hi):
        if m.group("en"):
            value = _FRACTIONS[m.group("en").lower().replace("-", " ") if m.group("en").lower() != "two-thirds" else "two-thirds"]
        elif m.group("den"):
            value = Fraction(_ZH_DIGIT[m.group("num")], _ZH_DIGIT[m.group("den")])
        elif m.group("cheng"):
            value = Fraction(_ZH_DIGIT[m.group("cheng")], 10)
        else:
            value = Fraction(1, 2)
        tok = Tok("num", m.group(0), m.start(), m.end(), value, value * _FRACTION_TOL * 2, value * _FRACTION_TOL * 2, True)
        out.append(Qty(tok, m.start(), m.end(), hedged=True, word=True))
    return out


def _presented_as_result(text: str, qs: Sequence[Qty], i: int, lo: int, hi: int) -> str:
    """How the clause structure presents ``qs[i]`` as a result: "cue" (right after a result word), "place" (the
    last figure of a sentence of a few figures after two others, or the only figure of a closing clause), "list"
    (the last of many: a list's total at most), "" (not). A table's row is no sentence."""
    s = qs[i]
    before = qs[:i]
    if not before:
        return ""
    prev_end = before[-1].end
    clause = max([lo] + [m.end() for m in _CLAUSE.finditer(text, lo, s.start)])
    stop = _CLAUSE.search(text, s.end, hi)
    tail = _OF_THE.sub("", text[s.end : stop.start() if stop else hi])
    if len(re.findall(r"[A-Za-z]+", tail)) + len(CJK_RE.findall(tail)) > 3:
        return ""  # "38% 来自光伏", "70% of its engineers work on inference": the subject of a statement of its own
    if _RESULT_WORD.search(text[max(prev_end, s.start - 24) : s.start]):
        return "cue"
    if re.search(r"[|\t]", text[lo:hi]):
        return ""
    if len(qs) > _PROSE:  # a list, then what it comes to ("四个季度分别为 …、… 和 …，全年 11.4 亿元")
        return "list" if i == len(qs) - 1 else ""
    if _words(_HEDGE.sub("", text[max(clause, prev_end) : s.start])) > 2:
        return ""  # "推理成本下降了 40%": a figure of its own subject
    if i == len(qs) - 1 and len(before) >= 2:
        return "place"
    alone = i + 1 == len(qs) or bool(_CLAUSE.search(text, s.end, qs[i + 1].start))
    return "place" if clause > prev_end and alone else ""


def _words(stretch: str) -> int:
    """Words of a stretch, a Chinese character counted as one word in two."""
    cjk = len(CJK_RE.findall(stretch))
    return len(re.findall(r"[A-Za-z]+", stretch)) + (cjk + 1) // 2


def _ratio_pairs(text: str, ops: Sequence[Qty]) -> Iterator[tuple[Qty, Qty]]:
    for j, x in enumerate(ops):
        for y in ops[j + 1 :]:
            if x.tok.pct or y.tok.pct or x.multiple or y.multiple or not x.value or not y.value:
                continue
            dx, dy = _dim(x), _dim(y)
            if dx is None or dy is None or dx[1] != dy[1]:
                continue
            counts = not dx[1]
            if counts and not (same_kind(x, y) or x.bare or y.bare):
                continue
            yield x, y


def _readings(text: str, s: Qty, ops: Sequence[Qty], loose: bool = False, lo: int = 0, cue: bool = True) -> list[_Reading]:
    """The readings of ``s`` from ``ops`` (a list summed starts at ``lo``); ``loose``: a figure that names no unit may stand for any dimension
    (such readings may make a figure right, never wrong)."""
    out: list[_Reading] = []
    points = bool(_POINTS.match(text, s.tok.end))
    if points:
        pcts = [q for q in ops if q.tok.pct]
        for j, x in enumerate(pcts):
            for y in pcts[j + 1 :]:
                out.append(_Reading(abs(y.value - x.value) * 100, f"{show(y, text)} − {show(x, text)}", (x, y), "sum"))
        return out
    if s.tok.pct or s.multiple:
        for x, y in _ratio_pairs(text, ops):
            vx, vy = _dim(x)[0], _dim(y)[0]  # type: ignore[index]
            sx, sy = show(x, text), show(y, text)
            shares = [(vx / vy, f"{sx} ÷ {sy}", "ratio"), (vy / vx, f"{sy} ÷ {sx}", "ratio")]
            cands: list[tuple[Fraction, str, str, str]]
            part = bool(_PARTITIVE.search(text, x.end, y.start) or _PARTITIVE.search(text, max(0, x.start - 12), x.start))
            if part:  # "18 of the 75", "600 所中 150 所": a share, no change
                cands = [(*shares[0 if vx < vy else 1], "part")]
            else:
                cands = [(*c, "share") for c in shares] + [
                    ((vy - vx) / vx, f"({sy} − {sx}) ÷ {sx}", "percentage_change", "change"),
                    ((vx - vy) / vy, f"({sx} − {sy}) ÷ {sy}", "percentage_change", "change"),
                ]
                if vx < vy:  # "added 300 MW, reaching 1.5 GW": the increase over the base it was added to
                    cands.append((vx / (vy - vx), f"{sx} ÷ ({sy} − {sx})", "percentage_change", "increment"))
            for v, shown, kind, family in cands:
                if s.tok.pct and not s.multiple:
                    v = abs(v)
                out.append(_Reading(v, shown, (x, y), kind, family))
        pcts = [q for q in ops if q.tok.pct and not q.word]
        for j, x in enumerate(pcts):  # "from 26% to 41%, up 58%" or "up 15%": relative or in points
            for y in pcts[j + 1 :]:
                if x.value:
                    out.append(_Reading(abs(y.value - x.value) / x.value, f"({show(y, text)} − {show(x, text)}) ÷ {show(x, text)}", (x, y), "percentage_change", "pcts"))
                out.append(_Reading(abs(y.value - x.value), f"{show(y, text)} − {show(x, text)}", (x, y), "sum", "pcts"))
        return out
    ds = _dim(s)
    if ds is None or not s.value:
        return out
    unit = ds[0] / s.value  # base units per stated unit
    for p in ops:  # "60 人，其中四分之一，即 15 人": a share of a whole of its kind
        if p.tok.pct and not p.multiple and p.start < s.start:
            for w in ops:
                if w is not p and same_kind(w, s) and not w.tok.pct and w.value > s.value:
                    out.append(_Reading(p.value * w.value, f"{show(p, text)} × {show(w, text)}", (p, w), "product", weak=1))
    typed = [(q, t) for q in ops if (t := _dim(q)) is not None and q.value]
    for q, (v, d) in typed:  # the same quantity in other units
        # in another unit of time ("36 million a day … 420 per second", "4,320 minutes, that is 3 days") or scale
        periods = _timed(q) and _timed(s) and same_kind(q, s) and q.per != s.per
        scaled = d and q.factor != s.factor and not (q.per or s.per)
        if d == ds[1] and (d or periods) and (q.factor != s.factor or q.per != s.per or q.nouns != s.nouns):
            out.append(_Reading(v / unit, show(q, text), (q,), "restatement", weak=0 if periods or scaled else 2))
    run: list[Qty] = []  # the list of its kind right before it
    for q in reversed([q for q in ops if lo <= q.start < s.start]):
        if re.search(r"[;；]", text[q.end : (run[-1] if run else s).start]):
            break  # "会商 3 次，会商 2 次；共发布短信 7 次": a list ends at a semicolon
        if same_kind(q, s) and not q.tok.pct and not q.multiple:
            run.append(q)
        elif run:
            break
    kin = [q for q in ops if lo <= q.start < s.start and same_kind(q, s) and not q.tok.pct and not q.multiple]
    if len(kin) > len(run) >= 1:  # the figures of its kind with others between ("1B 为 37 万, 3B 为 46 万, 合计 83 万")
        out.append(_Reading(sum((q.value for q in kin), Fraction(0)), " + ".join(show(q, text) for q in kin), tuple(kin), "sum", weak=2))
    if len(run) >= 2:
        run.reverse()
        total = sum((q.value for q in run), Fraction(0))  # of one kind: as written ("annual costs" are costs)
        out.append(_Reading(total, " + ".join(show(q, text) for q in run), tuple(run), "sum", weak=int(len(run) < 3)))
    for j, (a, (va, da)) in enumerate(typed):
        for b, (vb, db) in typed[j + 1 :]:
            if a.value == 1 or b.value == 1:
                continue  # "38 GB × 1 张": a count of one multiplies nothing
            if cue and same_kind(a, s) and same_kind(b, s) and a.per == b.per and not s.bare:
                out.append(_Reading(abs(a.value - b.value), f"{show(a, text)} − {show(b, text)}", (a, b), "sum"))
            if loose and (a.bare or b.bare):  # as written, whatever the units
                out.append(_Reading(a.value * b.value, f"{show(a, text)} × {show(b, text)}", (a, b), "product"))
                out.append(_Reading(a.value / b.value, f"{show(a, text)} ÷ {show(b, text)}", (a, b), "ratio"))
                out.append(_Reading(b.value / a.value, f"{show(b, text)} ÷ {show(a, text)}", (b, a), "ratio"))
                continue
            if (da or db or a.per or b.per) and _combine(da, db, 1) == ds[1]:
                # a rate times a count: weak unless one of them says what it is per ("15 GB × 4 张" may be no rate)
                rate = bool(a.per or b.per) and bool(da or db)
                out.append(_Reading(va * vb / unit, f"{show(a, text)} × {show(b, text)}", (a, b), "product", weak=int(not rate)))
            for (n, vn, dn), (m, vm, dm) in (((a, va, da), (b, vb, db)), ((b, vb, db), (a, va, da))):
                if (dn or dm or s.per) and _combine(dn, dm, -1) == ds[1]:
                    rate = bool(s.per and (dn or dm)) or bool(dn and dm)  # "$ ÷ images = $ per image", "MW ÷ kW"
                    out.append(_Reading(vn / vm / unit, f"{show(n, text)} ÷ {show(m, text)}", (n, m), "ratio", weak=int(not rate)))
    return out


def _right(r: _Reading, s: Qty) -> bool:
    if s.word and s.tok.pct:
        return abs(r.value - s.value) <= s.value * _FRACTION_TOL
    return ok_within(r.value, s, rel(*r.operands) * abs(r.value))


def scale_slip(computed: Fraction, stated: Qty, slack: Fraction = Fraction(0)) -> bool:
    """The stated figure is the computed one with its scale slipped by one to four powers of ten, its digits
    right ("比 9 亿增加 3,000 万" for 3 亿, "$30 million" for $300 million): a slip, not another quantity."""
    if computed <= 0 or stated.value <= 0 or stated.tok.pct or stated.multiple:
        return False
    k = round(math.log10(float(stated.value / computed)))
    moved = computed * Fraction(10) ** k
    # the digits themselves right, not a small figure a coarse rounding lets pass ("1" is no 63 slipped)
    return 1 <= abs(k) <= 4 and abs(moved - stated.value) <= stated.value / 50 and ok_within(moved, stated, slack * Fraction(10) ** k)


def is_near(computed: float, stated: float) -> bool:
    """A stated figure within a factor of ``_NEAR`` of a computed one: a slip, not another quantity."""
    if computed == 0 or stated == 0:
        return False
    return abs(math.log(abs(computed) / abs(stated))) <= math.log(_NEAR)


def _near(r: _Reading, s: Qty) -> float | None:
    """How far the stated figure is from a reading (log of the ratio) when near: within a factor of ``_NEAR``,
    or off by a power of ten exactly (a slipped scale: "500 W × 20,000 = 100 MW")."""
    if r.value <= 0 or s.value <= 0:
        return None
    d = abs(math.log(float(r.value) / float(s.value)))
    scaled = r.relation in {"product", "ratio", "restatement"} and not s.tok.pct and not s.multiple
    if s.hedged and d <= math.log(1 + _HEDGED):
        return None  # "roughly 480 billion" for 468 billion: a round figure, no slip
    if d <= math.log(_NEAR):
        return d
    k = round(math.log10(float(s.value) / float(r.value)))
    if scaled and 1 <= abs(k) <= 3 and _right(_Reading(r.value * Fraction(10) ** k, r.shown, r.operands, r.relation), s):
        return d
    return None


def _said(text: str, s: Qty, after: int, hi: int) -> tuple[set[str], set[str]]:
    """The families of readings the words around a percentage allow (to flag it, to make it right): a change word
    ("同比增长", "growth") says a change, a share word ("占比", "of the total") a share; with neither only a part of
    a whole named so may make it wrong, any reading right. A multiple is a ratio or a change whatever the words."""
    every = {"", "part", "share", "change", "increment", "pcts"}
    if s.multiple:
        return every, every
    stop = _CLAUSE.search(text, s.end, hi)
    around = text[after : s.start] + " " + text[s.end : stop.start() if stop else hi]
    change, share = bool(CHANGE_WORDS.search(around)), bool(SHARE_WORDS.search(around))
    if change and not share:
        return {"", "part", "change", "increment", "pcts"}, {"", "part", "change", "increment", "pcts"}
    if share and not change:
        return {"", "part", "share"}, {"", "part", "share"}
    return ({"", "part", "share", "change"} if change else {"", "part"}), every


def find_near_misses(text: str, qs: Sequence[Qty], lo: int, hi: int) -> tuple[list[Check], set[int]]:
    """(checks of the figures presented as results that no reading makes right but one nearly does, the starts
    of the figures some reading makes right)."""
    every = sorted([*qs, *fraction_words(text, lo, hi)], key=lambda q: q.start)
    out: list[Check] = []
    right: set[int] = set()
    operands: set[int] = set()  # figures a later result is read from are no results themselves
    for i in range(len(every) - 1, -1, -1):
        s = every[i]
        how = _presented_as_result(text, every, i, lo, hi)
        if s.start in operands or not how:
            continue
        ops = [q for q in every if q is not s]
        # any figure may make it right; only the figures said before it may make it wrong
        flags, rights = _said(text, s, every[i - 1].end if i else lo, hi)
        readings = _readings(text, s, ops, lo=lo, cue=how == "cue")
        exact = [r for r in [*readings, *_readings(text, s, ops, loose=True, lo=lo)] if r.family in rights and _right(r, s)]
        strong = 1 if how == "cue" else 0  # a result word lets weak readings flag too
        if any(q.value == s.value and same_kind(q, s) for q in every[:i]):
            continue  # "600 − 150 = 450 千克 … 需要加 450 千克": a figure said again, no result
        # only figures said before it may make it wrong, the one right before it among them, none before a
        # semicolon ("营收 66.74 亿元，增长 37.82%；净利润 15.83 亿元，增长 56.83%": another thought)
        last = every[i - 1]
        semi = max([lo] + [m.end() for m in re.finditer(r"[;；]", text[:s.start])][-1:])
        readings = [
            r for r in readings
            if r.family in flags and r.weak <= strong and all(semi <= q.start < s.start for q in r.operands)
            and any(q is last for q in r.operands) and (how != "list" or r.relation == "sum")
        ]
        if s.tok.pct and own_subject(text, lo, last.end, s.start, _PCT_WORDS):
            readings = []  # "用户规模占全国人口的比例为 36.5%": said of a whole no figure gives
        if exact:
            right.add(s.start)
            operands.update(q.start for q in exact[0].operands)
            continue
        near = [(d, r) for r in readings if (d := _near(r, s)) is not None]
        if not near:
            continue
        _, best = min(near, key=lambda x: x[0])
        operands.update(q.start for q in best.operands)
        out.append(record(text, [*best.operands, s], s, best.value, best.relation, best.shown, False))
    out.reverse()
    return out, right
