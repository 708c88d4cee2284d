"""Relations of a rate to counts: a quantity *per* something times a count of that thing is the total.

Matched by what the figures count (``quantities``), not by position ("每台 8 张卡 … 45 台 … 360 张", "$3,000 per GPU …
1,200 GPUs … $3.6M", "$3.1M each … 3 teams … $10M"); the figure written last is the stated result. A total stated
as such may take its rate from the sentence before (see ``implied``). GPUs × duration = GPU hours.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.changes import THAN, change_ends
from assistant.check.quantities import GENERIC_MEASURE, Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show

_TAIL = r"(?:\s|[为是约达了有:：]|to\b|of\b|is\b|was\b|about\b|roughly\b|around\b|nearly\b|US|[$€£¥￥]|大约|高达|达到)*$"
_TOTAL_WORDS = (
    r"(?:in total|total(?:ling|ing|s)?|altogether|combined|together|sum(?:s)?|add(?:s|ing)? up|"
    r"总计|合计|共计|累计|总共|一共|总额|总和|加起来|共有|共|合共|总数)"
)
TOTAL_BEFORE = re.compile(_TOTAL_WORDS + _TAIL, re.IGNORECASE)  # the cue right before the total: "共发布短信 7 次" is not the total of the figures before it
TOTAL_AFTER = re.compile(r"\s*(?:in all|in total|altogether|combined|all told|between them)\b", re.IGNORECASE)


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
_CALENDAR = {**_SECONDS, "month": 30 * 86400, "year": 365 * 86400}  # "$36,000 a month" against "a 3-year lease"


def _matches_per(key: frozenset[str], n: Qty, p: Qty) -> Fraction | None:
    """The factor that turns ``n`` into units of ``key`` (1 when it counts the same thing; 3600 for hours against
    "per second"), or None when ``n`` does not count what ``p`` is per."""
    if n.tok.pct or n.money or not n.nouns:
        return None
    if key == frozenset({"*"}):
        return None if n.nouns & p.nouns else Fraction(1)
    if key & n.nouns:
        return Fraction(1)
    a = next((k for k in key if k in _CALENDAR), None)
    b = next((k for k in n.nouns if k in _CALENDAR), None)
    if a is None or b is None:
        return None
    if {a, b} == {"month", "year"}:
        return Fraction(12) if b == "year" else Fraction(1, 12)  # a year is twelve months, not 365 / 30 of them
    return Fraction(_CALENDAR[b], _CALENDAR[a])


def is_total(text: str, t: Qty) -> bool:
    return bool(TOTAL_BEFORE.search(text[max(0, t.start - 30) : t.start]) or TOTAL_AFTER.match(text, t.end))


def _bare_rate(text: str, p: Qty) -> bool:
    """ "200 per annotator": a rate that names no unit, only what it is per, right after the number."""
    return bool(re.match(r"\s*(?:per|each|apiece|/)\b", text[p.tok.end : p.tok.end + 10], re.IGNORECASE))


def gpu_hours(text: str, qs: list[Qty]) -> list[Check]:
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
        computed, shown = g.value * duration, f"{show(g, text)} × {show(d, text)}"
    elif stated is g:
        computed, shown = h.value / duration, f"{show(h, text)} ÷ {show(d, text)}"
    else:
        computed = h.value / g.value * 3600 / _SECONDS[next(k for k in d.nouns if k in _SECONDS)]
        shown = f"{show(h, text)} ÷ {show(g, text)}"
    if computed == 0:
        return []
    ok = ok_within(computed, stated, rel(g, d, h, but=stated) * abs(computed))
    return [record(text, (g, d, h), stated, computed, "product", shown, ok)]


# what joins a count to the rate of each of its items: "8 GPUs at 1,000 W each", "2,000 台服务器，每台"
_EACH_JOIN = re.compile(r"\s*(?:at|of|with|drawing|costing|for)?\s*(?:US)?[$€£¥￥]?\s*", re.IGNORECASE)


def _counted(q: Qty) -> bool:
    return bool(q.nouns) and not q.per and not q.money and not q.tok.pct and not q.multiple


def _each_of(text: str, qs: list[Qty], p: Qty) -> Qty | None:
    """The count a rate "each" or "apiece" is of, when it is written right before the rate: "8 GPUs at 1,000 W
    each" is per GPU, whatever other counts the sentence holds."""
    before = [q for q in qs if q.end <= p.start]
    if not before or not (_counted(before[-1]) or before[-1].per and not before[-1].money) or not _EACH_JOIN.fullmatch(text[before[-1].end : p.start]):
        return None
    return before[-1]


def _timed(q: Qty) -> bool:
    return bool(q.nouns & (_SECONDS.keys() | {"month", "year"})) and not q.per and not q.money


def _same_per(a: frozenset[frozenset[str]], b: frozenset[frozenset[str]]) -> bool:
    """Both sides are per the same things; a period may be said on one side only ("costs $2.4M a year, i.e.
    $200,000 per engineer", "每天标注 300 条 … 一天共标注 6,000 条")."""
    if a == b:
        return True
    timed_a = {k for k in a if k & _SECONDS.keys() or k & {"month", "year"}}
    timed_b = {k for k in b if k & _SECONDS.keys() or k & {"month", "year"}}
    return a - timed_a == b - timed_b and not (timed_a and timed_b)


def per_unit(text: str, qs: list[Qty], listed: set[int]) -> list[Check]:
    out: list[Check] = []
    # a figure in a comparison ("比 2021 年同期（7 天", "than the 2023 budget") is not a count or a total here
    qs = [q for q in qs if not q.multiple and not THAN.search(text[max(0, q.start - 12) : q.start])]
    for p in qs:
        best: tuple[int, Qty, Qty, Fraction] | None = None
        for key, scale in p.per:
            rest = p.per_keys - {key}
            owner = _each_of(text, qs, p) if key == frozenset({"*"}) else None
            for n in qs:
                factor = None if n is p or n.start in listed or owner not in (None, n) else _matches_per(key, n, p)
                if factor is None:
                    continue
                for t in qs:
                    if t in (p, n) or t.start in listed or t.tok.pct or t.multiple:
                        continue
                    if t.nouns & key:
                        continue  # the total counts what the rate counts, not what it is per
                    if not (same_kind(t, p) and not t.bare) and not (p.bare and t.nouns and _bare_rate(text, p)) and not (
                        t.bare and is_total(text, t) and t.start > max(p.start, n.start)
                    ):
                        continue  # "8 GPUs, 128 in total" counts what the rate counts, as the result
                    if not _same_per(t.per_keys, rest | n.per_keys) or key in t.per_keys:
                        continue
                    if key & _CALENDAR.keys() and any(k & _CALENDAR.keys() for k in t.per_keys):
                        continue  # "每月 84 万元 … 30 天 … 每天 2.8 万元": a rate per month restated per day
                    trio = (p, n, t)
                    if any(change_ends(text, *sorted(pair, key=lambda q: q.start)) for pair in ((p, t), (p, n), (n, t))):
                        continue  # "单价从 100 元降到 25 元": a change's two ends are one quantity, not a rate and a total
                    if t.per_keys != rest | n.per_keys and any(_timed(q) for q in qs if q not in trio):
                        continue  # a period said on one side only, and a duration left over: more factors than three
                    lo, hi = min(q.start for q in trio), max(q.start for q in trio)
                    if any(q.bare and not q.word and lo < q.start < hi for q in qs if q not in trio):
                        continue  # an unlabelled figure in between may be the one meant ("… 0.3M, 2.7M in total")
                    if owner is not None and any(_counted(q) and owner.start < q.start < t.start for q in qs if q not in trio):
                        continue  # "8 GPUs at 1,000 W each …, so 128 nodes need 1.024 MW": a count left over, a factor more
                    if best is None or hi - lo < best[0]:
                        best = (hi - lo, n, t, scale / factor)
        if best is None:
            continue
        _, n, t, scale = best
        stated = max((p, n, t), key=lambda q: q.start)
        if stated is t:
            computed = p.value * n.value / scale
            shown = f"{show(p, text)} × {show(n, text)}"
        elif stated is p:
            computed = t.value * scale / n.value
            shown = f"{show(t, text)} ÷ {show(n, text)}"
        else:
            computed = t.value * scale / p.value
            shown = f"{show(t, text)} ÷ {show(p, text)}"
        ok = ok_within(computed, stated, rel(p, n, t, but=stated) * abs(computed))
        out.append(record(text, (p, n, t), stated, computed, "product", shown, ok))
    return out


def _factors(p: Qty) -> list[frozenset[str]]:
    """What a rate is per, one key per factor: "per GPU-hour" is per GPU and per hour."""
    out: list[frozenset[str]] = []
    for key in p.per_keys:
        out += [frozenset({"gpu"}), frozenset({"hour"})] if key == frozenset({"gpu_hour"}) else [key]
    return out


def _covers(keys: list[frozenset[str]], n: Qty, p: Qty) -> tuple[list[frozenset[str]], Fraction] | None:
    """The factor keys a count ``n`` accounts for, with its conversion: a GPU-hour count is GPUs times hours."""
    if "gpu_hour" in n.nouns and not n.per and not n.money:
        took = [k for k in keys if k in ({"gpu"}, {"hour"})]
        return (took, Fraction(1)) if frozenset({"hour"}) in took else None
    for k in keys:
        f = _matches_per(k, n, p) if k != {"*"} else None
        if f is not None and not n.per:
            return [k], f
    return None


def rate_products(text: str, qs: list[Qty], listed: set[int]) -> list[Check]:
    """A rate per several things times a count of each ("每卡每小时 2 美元，2048 张卡，30 天，总租金 …"), or a rate
    per hour times GPU hours ("278.8 万 GPU 小时，按每小时 2 美元计"), or hours per GPU times GPUs = GPU hours
    ("9,600 GPU 小时除以 48 张卡，每张卡 250 小时"): the relations ``per_unit`` (one count, one rate) leaves."""
    out: list[Check] = []
    qs = [q for q in qs if not q.multiple and not q.word and not THAN.search(text[max(0, q.start - 12) : q.start])]
    for p in qs:
        keys = _factors(p)
        if not keys or p.tok.pct:
            continue
        counts: list[tuple[Qty, Fraction]] = []
        left = list(keys)
        for n in sorted((q for q in qs if q is not p and q.start not in listed), key=lambda q: abs(q.start - p.start)):
            took = _covers(left, n, p) if left else None
            if took is not None:
                counts.append((n, took[1]))
                left = [k for k in left if k not in took[0]]
        gpu_hour_total = "hour" in p.nouns and {"gpu"} in keys
        if left or not counts or (len(keys) < 2 and not any("gpu_hour" in n.nouns for n, _ in counts) and not gpu_hour_total):
            continue
        used = [p, *(n for n, _ in counts)]
        totals = [
            t for t in qs
            if t not in used and t.start not in listed and not t.per and not t.tok.pct
            and ((same_kind(t, p) and not t.bare) or (gpu_hour_total and t.nouns == {"gpu_hour"}))
        ]  # fmt: skip
        if len(totals) != 1:
            continue
        t = totals[0]
        if gpu_hour_total and t.nouns != {"gpu_hour"}:
            continue
        trio = [*used, t]
        lo, hi = min(q.start for q in trio), max(q.start for q in trio)
        if any(q.bare and lo < q.start < hi for q in qs if q not in trio):
            continue  # an unlabelled figure in between may be the one meant ("2.4M GPU hours … 0.3M, 2.7M in total")
        product = p.value
        for n, f in counts:
            product *= n.value * f
        stated = max(trio, key=lambda q: q.start)
        if product == 0 or stated.value == 0:
            continue
        computed = product if stated is t else t.value * stated.value / product
        shown = " × ".join(show(q, text) for q in used)
        if stated is not t:
            shown = f"{show(t, text)} ÷ ({' × '.join(show(q, text) for q in used if q is not stated)})"
        ok = ok_within(computed, stated, rel(*trio, but=stated) * abs(computed))
        out.append(record(text, trio, stated, computed, "product", shown, ok))
    return out


# --- one quantity restated per another period or in another unit of time ------------------------------------------

_TIME_KEYS = {**{k: k for k in _CALENDAR}, "s": "second", "sec": "second", "min": "minute", "hr": "hour"}
# a period said beside a figure rather than as "per": "年化收入 36 亿元", "年租金", "annual revenue", "2.1B requests last
# week"; not a date ("2024 年营收")
_PERIOD_BEFORE = re.compile(
    r"(?P<year>年化|年度|全年|每年|annual(?:i[sz]ed)?|yearly|(?<![\d\u4e00-\u9fff])(?<!\d\s)年(?=[\u4e00-\u9fff]))|"
    r"(?P<month>月度|每月|monthly|(?<![\d\u4e00-\u9fff])(?<!\d\s)月(?=[\u4e00-\u9fff]))|(?P<week>每周|weekly)|"
    r"(?P<day>每天|每日|daily|(?<!第)[一单](?:天|日)(?![\d内]))|(?P<hour>每小时|hourly|(?<!第)一小时)",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(r"^[A-Za-z\s]{0,16}?\b(?:last|this|past|per|an?|each|every)\s+(year|month|week|day|hour)\b", re.IGNORECASE)
# what links a figure to its restatement: "i.e. about", "折合每月约", "comes to about", ", roughly"
_LINK = re.compile(
    r"(?:\bor|i\.e\.,?|that is,?|which is|即|也就是|也就是说|合|约合|折合|相当于|comes? to|works? out to|=|about|roughly|around|"
    r"nearly|approximately|约|大约|近|"
    # an average over a shorter period restates the total: "4.32 亿次，平均每秒 5,000 次", "averaging 500 a second"
    r"averag(?:e|es|ed|ing)(?:\s+(?:of|out\s+to|at))?|an\s+average\s+of|平均(?:为|是)?)\s*(?:每[\u4e00-\u9fff]{1,2}|every\s+\w+)?\s*(?:about|roughly|约|大约)?\s*(?:US)?[$€£¥￥]?$",
    re.IGNORECASE,
)


def _elided(q: Qty) -> bool:
    """Nothing but a generic measure word says what it counts ("平均每秒约 2,000 个"): the noun said before."""
    return q.bare or (not q.money and not q.tok.pct and bool(q.nouns) and q.nouns <= GENERIC_MEASURE)


def _time_key(keys: frozenset[str]) -> str | None:
    found = {_TIME_KEYS[k] for k in keys if k in _TIME_KEYS}
    return next(iter(found)) if len(found) == 1 else None


def _period_of(text: str, q: Qty, lo: int) -> str | None:
    """The period a figure is counted over: its "per" ("$45,000 per month", "每月 3.5 亿元"), else a period word
    in its clause before it ("年化收入 36 亿元") or right after it ("2.1B requests last week")."""
    timed = [k for k in q.per_keys if _time_key(k)]
    if timed:
        return _time_key(timed[0]) if len(timed) == 1 else None
    after = _PERIOD_AFTER.match(text[q.tok.end : q.end + 24])
    if after:
        return _TIME_KEYS[after.group(1).lower()]
    clause = re.split(r"[，,；;。]", text[max(lo, q.start - 16) : q.start])[-1]
    m = _PERIOD_BEFORE.search(clause)
    return next(k for k, v in m.groupdict().items() if v) if m else None


def _per_scale(q: Qty) -> Fraction:
    """How many of its period's unit a figure is per ("每分钟" is per 60 seconds); 1 for most."""
    return next((scale for keys, scale in q.per if _time_key(keys)), Fraction(1))


def _span(key: str) -> Fraction:
    return Fraction(_CALENDAR[key])


# a sentence that opens by restating what the sentence before says: "That works out to …", "换算下来，…"
RESTATE_OPENER = re.compile(
    r"\s*(?:that|this|which)\s+(?:works out to|comes to|is|means|equals|amounts to)\b|\s*(?:in other words|i\.e\.|that is)\b|"
    r"\s*(?:换算下来|折算下来|折合|换算成?|算下来|也就是说?|即)",
    re.IGNORECASE,
)


def find_periods(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """A figure restated right after itself per another period or in another unit of time: "年化收入 36 亿元，
    折合每月约 3 亿元", "$45,000 per month … about $540,000 a year", "2.5M seconds, i.e. about 29 days"; a
    sentence may restate the one before when it opens saying so ("每天处理 4.32 亿次请求。换算下来，每秒约 5,000 次")."""
    out: list[Check] = []
    for a, b in zip(qs, qs[1:], strict=False):
        between = text[a.end : b.start]
        if a.tok.pct or b.tok.pct or a.multiple or b.multiple or len(between) > 60:
            continue
        ends = list(re.finditer(r"[。;；!?！？]|\.\s", between.replace("i.e.", "i_e_")))
        if len(ends) > 1 or (ends and not RESTATE_OPENER.match(between, ends[0].end())):
            continue
        if not (_LINK.search(between) or ends):
            continue
        da, db = _time_key(a.nouns), _time_key(b.nouns)
        if da is not None and db is not None and not a.per and not b.per and not a.money and not b.money:
            factor = _span(da) / _span(db)  # "3,750 万秒，约合 434 天"
        else:
            if not (same_kind(a, b) or (_elided(b) and not a.bare)):
                continue
            pa, pb = _period_of(text, a, lo), _period_of(text, b, lo)
            rest_a = {k for k in a.per_keys if not _time_key(k)}
            rest_b = {k for k in b.per_keys if not _time_key(k)}
            if pa is None or pb is None or rest_a != rest_b:
                continue
            if {pa, pb} == {"month", "year"}:
                factor = Fraction(1, 12) if pa == "year" else Fraction(12)  # twelve months, not 365 / 30 days
            else:  # "每分钟" is per 60 seconds
                factor = _span(pb) * _per_scale(b) / (_span(pa) * _per_scale(a))
        if factor == 1:
            continue
        computed = a.value * factor
        hedged = b.hedged or bool(re.search(r"约|about|roughly|around|nearly|approximately", between, re.IGNORECASE))
        ok = ok_within(computed, b, rel(a) * abs(computed), hedged)
        out.append(record(text, (a, b), b, computed, "restatement", f"{show(a, text)} × {_show_factor(factor)}", ok))
    return out


def _show_factor(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"1/{f.denominator}" if f.numerator == 1 else f"{f.numerator}/{f.denominator}"
