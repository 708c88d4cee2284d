"""Comparisons a sentence states between two of its figures: from X to Y (or Y against a base X) with a
percentage, percentage points, a multiple ("4x", "3 倍", "翻了两番", "增长了 1.5 倍" = 2.5 times) or, with a yearly
rate and a number of years, compound growth; a share ("Z% of the total", "占比 Z%"); one quantity restated in
another scale ("3,500 亿元，也就是 3.5 万亿元"). Shares are read by ``shares``."""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.clauses import operand, own_subject, parallel
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, half, ok_within, record, rel, same_kind, show
from tools.figures import CHANGE_BY

THAN = re.compile(
    r"\bthan\b|(?<![同环可对占类无正反好之])比(?![重例率值较])|(?<!比)较(?![为大高好少多低])|相比|compared (?:with|to)|versus|"
    r"\bvs\b\.?|\babove\b|\bbelow\b",
    re.IGNORECASE,
)  # not 同比, 环比, 占比, 比重, 比较, 较为: words with 比 or 较 that name no base
_TO = re.compile(r"\bto\b|到|至|→|->|达到|变为|变成", re.IGNORECASE)
_FROM = re.compile(
    r"(?:\bfrom|从|由)\s*(?:每[^\d，,。;；]{1,12}?\s*)?(?:about\s+|around\s+|roughly\s+|约|大约|近)?(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE
)
YEARLY = re.compile(
    r"[%％]\s*(?:a|per|each|every)\s+year|annual(?!i[sz]ed)|yearly|CAGR|compound|年均|每年|年复合|复合", re.IGNORECASE
)  # a rate per year ("20% a year"), not "a year earlier"
_POINTS = re.compile(r"\s*(?:percentage points?|pp\b|points?|个百分点|百分点)", re.IGNORECASE)
_COMPARE = re.compile(r"[多少高低长短]|收窄|收敛")  # "较户籍人口少 27,116 人": the figure is the difference
_SHARE_AFTER = re.compile(r"\s*of\s+(?:the|its|their|all|total)\b", re.IGNORECASE)
_RESTATE = re.compile(
    r"^\s*[,，]?\s*(?:or|i\.e\.,?|that is,?|which is|即|也就是|也就是说|亦即|合|约合|折合|相当于)\s*(?:about|roughly|约)?\s*(?:US)?[$€£¥￥]?$",
    re.IGNORECASE,
)
_CONVERT = re.compile(
    r"\s*(?:(?:of|into|in)\s+[^\d,.;:，。；]{1,30}?\s+)?(?:is|are|equals|equal to|=|gives|makes|comes to|即|合|等于|为|是|相当于)"
    r"\s*(?:about|roughly|约)?\s*$",
    re.IGNORECASE,
)
_GROWTH_BY = re.compile(r"(?:增长|增加|提高|提升|上涨|上升|扩大)了?\s*$")
_MULT_WORDS = [
    (re.compile(r"翻了?(?P<n>一|两|二|三|四)番"), None),
    (re.compile(r"翻了?(?:一)?倍|doubled|doubling|double[sd]?\b"), Fraction(2)),
    (re.compile(r"tripled|tripling|triple[sd]?\b"), Fraction(3)),
    (re.compile(r"quadrupled|quadrupling"), Fraction(4)),
    (re.compile(r"halved|halving|cut in half|减半|砍半|(?:下降|减少|降低|缩减|下跌)了?一半"), Fraction(1, 2)),
]
_MULT_BEFORE = re.compile(r"(?:doubling|tripling|quadrupling|halving|double|triple|halve|翻倍|减半)\s*(?:the\s+|of\s+)?$", re.I)
_ZH_DIGIT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}


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
    if _FROM.search(text[max(lo, x.start - 24) : x.start]):
        return "from"
    stretch = text[max(lo, x.start - 32) : x.start]
    cues = list(THAN.finditer(stretch))
    m = cues[-1] if cues else None
    if m is None or re.search(r"[，,。;；:：]", stretch[m.end() :]):
        return ""
    cue_at = x.start - len(stretch) + m.start()
    if re.search(r"[(（]", stretch[m.end() :]):
        return ""  # "比 2021 年同期（7 天）": an aside on the period, not the base
    if _UP.search(stretch[m.end() :]) or _DOWN.search(stretch[m.end() :]) or _COMPARE.search(stretch[m.end() :]):
        return ""  # "较上届上升 0.27", "比上年提高 0.16 个百分点": the figure is the change, not the base
    return "" if any(cue_at < q.start < x.start for q in qs) else "than"


_DOWN = re.compile(
    r"drop|fall|fell|declin|decreas|\bdown\b|\bcut\b|reduc|lower|cheaper|less|下降|下调|降低|减少|下跌|下滑|缩减|缩小|回落|降|跌",
    re.I,
)
_UP = re.compile(r"\brise|\brose|increas|grow|grew|\bup\b|gain|jump|surge|more|higher|上涨|增长|增加|提高|上升|提升|扩大|反弹|增|涨", re.I)


def change_ends(text: str, a: Qty, b: Qty) -> bool:
    """``a`` and ``b`` (in this order) are where one change starts and ends ("从 100 元降到 25 元", "from $30 to
    $10"): one quantity said twice, never a rate and a total."""
    between = text[a.end : b.start]
    return bool(_FROM.search(text[max(0, a.start - 24) : a.start])) and len(between) <= 30 and bool(
        _TO.search(between)
    ) and not re.search(r"[，,。;；!?！？]", between)


def _runs_to(text: str, rest: list[Qty], x: Qty) -> str:
    """ "from" when a figure with a unit runs to the next figure of its kind with no base word ("5.6 亿元的收入一年后
    变成 8.4 亿元"): a "to" word between them, in one clause."""
    y = next((q for q in rest if same_kind(q, x)), None)
    if x.bare or y is None or y.bare:
        return ""
    between = text[x.end : y.start]
    return "from" if len(between) <= 30 and _TO.search(between) and not re.search(r"[。;；!?！？]", between) else ""


def _direction(text: str, r: Qty, lo: int) -> bool | None:
    """True when the words next to a percentage say a fall, False a rise, None when they say neither."""
    best: tuple[int, bool] | None = None
    # ten characters either side; before, as far as the clause's start within twenty ("an increase of 20%")
    breaks = [m.end() for m in re.finditer(r"[，,;；。:：]", text[max(lo, r.start - 20) : r.start])]
    start = min(r.start - 10, max(lo, r.start - 20) + (breaks[-1] if breaks else 0))
    for regex, down in ((_DOWN, True), (_UP, False)):
        for m in regex.finditer(text, max(lo, start), r.tok.end + 10):
            dist = r.start - m.end() if m.end() <= r.start else m.start() - r.tok.end
            if dist >= 0 and (best is None or dist < best[0]):
                best = (dist, down)
    return None if best is None else best[1]


def _kin(text: str, q: Qty, x: Qty) -> bool:
    """``q`` can be the other end of a comparison with ``x``: the same kind of quantity, not a multiple or points."""
    if q is x or q.multiple or _POINTS.match(text, q.tok.end):
        return False
    return same_kind(q, x) or (x.bare and not q.tok.pct) or (q.bare and not x.tok.pct)


def find_changes(text: str, qs: list[Qty], lo: int, hi: int) -> list[Check]:
    """From X to Y (or Y against a base X) with a percentage, points or a multiple. The stated result is the
    figure written last, unless Y comes before its base ("up 20% from $10M" states the 20%)."""
    if YEARLY.search(text, lo, hi):
        return _compound(text, qs, lo, hi)
    out = _by_then_to(text, qs, lo)
    stated = {at for _, at, _ in out}
    out += [c for c in _from_to(text, qs, lo) if c[1] not in stated]
    stated = {at for _, at, _ in out}
    out += [c for c in _then_to(text, qs, lo) if c[1] not in stated]
    stated = {at for _, at, _ in out}
    return out + [c for c in _two_amounts(text, qs, lo) if c[1] not in stated]


_THEN_TO = re.compile(
    r"(?:\bthen|\bfurther|\blater|再|又|随后|进一步)\s*(?:[a-z]+\s+)?(?:to|到|至)\s*(?:about\s+|约)?(?:US)?[$€£¥￥]?\s*$", re.IGNORECASE
)


def _then_to(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """A change that goes on from where the one before ended: "from $0.60 to $0.15, …, and then to $0.12, a
    further 20% cut", "从 10 亿元增至 15 亿元，随后又增至 18 亿元，增长 20%": the base is the figure of its kind
    before it, the percentage the one right after it."""
    out: list[Check] = []
    for i, y in enumerate(qs):
        if y.tok.pct or y.multiple or not _THEN_TO.search(text, max(lo, y.start - 24), y.start):
            continue
        x = next((q for q in reversed(qs[:i]) if not q.tok.pct and not q.multiple and same_kind(q, y)), None)
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if x is None or x.value == 0 or nxt is None or not nxt.tok.pct or len(text[y.end : nxt.start]) > 30:
            continue
        if re.search(r"[。!?！？]|\.\s", text[x.end : nxt.start]):
            continue
        found = _change(text, x, y, [nxt], lo)
        if found is not None:
            out.append(found)
    return out


def _from_to(text: str, qs: list[Qty], lo: int) -> list[Check]:
    out: list[Check] = []
    for i, x in enumerate(qs):
        lead = text[max(lo, x.start - 14) : x.start]
        verb = _multiplier(lead, 0, len(lead)) if _MULT_BEFORE.search(lead) else None
        cue = _base_cue(text, qs, x, lo) or _runs_to(text, qs[i + 1 :], x)
        if not (cue or verb) or x.value == 0 or x.multiple or _POINTS.match(text, x.tok.end):
            continue
        if not verb and _amount_of_change(text, x, lo):
            continue  # "增加 1.5 亿次，达到 4.5 亿次": the amount of a change is no base (``_by_then_to``)

        y = next((q for q in qs[i + 1 :] if _kin(text, q, x)), None) if cue != "than" else None
        if y is not None and not verb and not _TO.search(text[x.end : y.start][:40]):
            y = None  # "737% from $229 million a year earlier, and … revenue was $981.6 million": no "to"
        if y is None and not verb:
            kin = [q for q in reversed(qs[:i]) if _kin(text, q, x)]
            y = next((q for q in kin if same_kind(q, x) and not q.bare), kin[0] if kin else None)
            if y is not None and (len(text[y.end : x.start]) > 60 or re.search(r"[。;；!?！？]", text[y.end : x.start])):
                y = None  # Y against a base X is said in one stretch: "4.8 TB/s, 43% more than the H100's 3.35 TB/s"
        if y is None or y.multiple:
            continue
        first, last = (x, y) if y.start > x.start else (y, x)
        # the result is written between the two, right after the second or right before the first ("grew 3x,
        # from 2M to 6M"); not further on, where it may start the next comparison ("从 61.5% 提升至 62.8%，GSM8K 从 70.2%")
        between = [q for q in qs if first.start < q.start < last.start]
        nxt = next((q for q in qs if q.start > last.start), None)
        if nxt is not None and (
            _base_cue(text, qs, nxt, lo)
            or re.search(r"\bfrom\b|从|由", text[last.end : nxt.start], re.IGNORECASE)
            or len(text[last.end : nxt.start]) > 40
            or re.search(r"[。;；!?！？]", text[last.end : nxt.start])
        ):
            nxt = None
        prev = next((q for q in reversed(qs) if q.start < first.start), None)
        joined = r"\s*[,，:：]?\s*(?:from|从|由)?\s*" if y.start > x.start else r"\s*(?:to|到|至)\s*(?:US)?[$€£¥￥]?\s*"
        if prev is not None and (
            not re.fullmatch(joined, text[prev.end : first.start], re.IGNORECASE) or not (prev.tok.pct or prev.multiple)
        ):
            prev = None  # only "grew 3x, from 2M to 6M", "fell 75%, from $60 to $15", "fell 40% to $2.40 from $3.20"
        others = [*between, *([nxt] if nxt else []), *([prev] if prev else [])]
        found = None if verb else _change(text, x, y, others, lo)
        if found is not None and x.tok.pct and y.tok.pct:
            out += _relative(text, x, y, [q for q in qs if q.start > y.start and q.start != found[1]][:3])
        if y.start > x.start:
            diff = _difference(text, x, y, [q for q in others if q.start > y.start and (found is None or q.start != found[1])])
            out += diff + [c for d in diff for c in _restated(text, qs, x, y, d[1], lo)]
        if found is not None:
            out.append(found)
            out += _restated(text, qs, x, y, found[1], lo)
            continue
        if y.start < x.start:
            continue
        found_mult = verb or _multiplier(text, max(lo, x.start - 30), y.start)
        if found_mult is not None:
            mult = found_mult[0]
            ok = ok_within(x.value * mult, y, rel(x) * abs(x.value * mult))
            out.append(record(text, (x, y), y, x.value * mult, "ratio", f"{show(x, text)} × {mult}", ok))
    return out


# words a change's own clause may carry without naming a subject of its own
CHANGE_WORDS = re.compile(
    rf"{_UP.pattern}|{_DOWN.pattern}|同比|环比|增幅|降幅|涨幅|幅度|sequential(?:ly)?|year[- ](?:on|over)[- ]year|yoy|"
    r"quarter[- ](?:on|over)[- ]quarter|qoq|month[- ](?:on|over)[- ]month|by|percent|further|additional|another|再|又|进一步",
    re.IGNORECASE,
)


def _two_amounts(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """One quantity said twice, then the change between them: "去年收入 2.5 亿元，今年 3.5 亿元，同比增长 40%",
    "$820M in Q1 and $1,030M in Q2, a 26% sequential increase". The two figures are parallel (``clauses``),
    the last two of their kind before a percentage that a change word describes, in no clause of its own."""
    out: list[Check] = []
    for r in qs:
        said = _direction(text, r, lo)
        if said is None:  # "a 21% sequential increase": the change word a few words on, in the same clause
            clause = re.split(r"[，,；;。]", text[r.tok.end : r.tok.end + 30])[0]
            said = True if _DOWN.search(clause) else False if _UP.search(clause) else None
        sign = text[max(0, r.start - 1) : r.start] if r.tok.text[:1].isdigit() else r.tok.text[:1]
        if said is None and sign in {"+", "-", "−"}:  # "+30%", "−12%": the sign says the direction
            said = sign != "+"
        if not r.tok.pct or r.per or _POINTS.match(text, r.tok.end) or said is None:
            continue
        behind = [q for q in qs if q.start < r.start and not q.tok.pct and not q.multiple and not q.word and not operand(text, q)]
        if len(behind) < 2 or not same_kind(behind[-2], behind[-1]):
            continue
        x, y = behind[-2], behind[-1]
        if _amount_of_change(text, x, lo):
            continue  # "增加 1.5 亿次，达到 4.5 亿次": the amount of a change is no level (``_by_then_to``)
        if not (x.per_keys <= y.per_keys or y.per_keys <= x.per_keys):
            continue  # "每小时 2.8 美元 … 每小时 2.1 美元": one may leave out what the other says it is per
        if x.value <= 0 or not parallel(text, x, y, lo) or own_subject(text, lo, y.end, r.start, CHANGE_WORDS):
            continue
        if re.search(r"[。!?！？]|\.\s", text[x.end : r.start]):
            continue
        change = abs(y.value / x.value - 1)
        ok = ok_within(change, r, (y.value / x.value) * rel(x, y)) and said == (y.value < x.value)
        shown = f"({show(y, text)} − {show(x, text)}) / {show(x, text)}"
        out.append(record(text, (x, y, r), r, change, "percentage_change", shown, ok))
    return out


# "5M more downloads than before", "增加了 2 亿元", "多出 300 台": the figure after a change is its difference
_MORE_AFTER = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,2}?(?:more|fewer|less|higher|lower|larger|smaller)\b(?:\s+\w+)?\s+than\s+(?:before|earlier|previously|last)", re.I)
_MORE_BEFORE = re.compile(
    r"(?:增加|减少|增长|下降|多出|少了|多了|提高|降低|新增)了?\s*(?:约|大约)?\s*$|"
    r"\b(?:an?\s+)?(?:increase|rise|gain|jump|drop|fall|decline|decrease|reduction|cut)\s+of\s+(?:about\s+|roughly\s+|some\s+)?(?:US)?[$€£¥￥]?$|"
    r"\b(?:up|down|added|gained|adding|gaining|(?:grew|rose|increased|fell|dropped|declined|decreased|climbed|jumped)\s+by)\s+"
    r"(?:about\s+|roughly\s+)?(?:US)?[$€£¥￥]?$",
    re.IGNORECASE,
)


_RELATIVE = re.compile(r"\s*(?:in relative terms|relative|in relative|相对)|.{0,6}相对", re.IGNORECASE)


def _relative(text: str, x: Qty, y: Qty, after: list[Qty]) -> list[Check]:
    """After a change between two percentages in points, the same change in relative terms: "from 30% to 45%, 15
    points, or 50% in relative terms"."""
    for r in after:
        if r.tok.pct and x.value and (_RELATIVE.match(text, r.tok.end) or re.search(r"relative|相对", text[max(0, r.start - 14) : r.start], re.I)):
            change = abs(y.value / x.value - 1)
            ok = ok_within(change, r, (y.value / x.value) * rel(x, y))
            shown = f"({show(y, text)} − {show(x, text)}) / {show(x, text)}"
            return [record(text, (x, y, r), r, change, "percentage_change", shown, ok)]
    return []


def _difference(text: str, x: Qty, y: Qty, after: list[Qty]) -> list[Check]:
    """The figure right after a change from X to Y that says by how much it is more or less: Y − X."""
    if not after:
        return []
    d = after[0]
    if d.tok.pct or d.multiple or not (same_kind(d, x) or d.bare or x.bare) or _POINTS.match(text, d.tok.end):
        return []
    if not (_MORE_AFTER.match(text, d.tok.end) or _MORE_BEFORE.search(text[max(0, d.start - 24) : d.start])):
        return []
    diff = abs(y.value - x.value)
    ok = ok_within(diff, d, half(x) + half(y))
    return [record(text, (x, y, d), d, diff, "sum", f"{show(y, text)} − {show(x, text)}", ok)]


# what joins one stated result of a change to the next that restates it: "a cut of 6 times, or 90%", "增加了
# 2.66 亿人，增幅约为 86%", "an increase of 4.2 GW, or 64%"
_AGAIN = re.compile(
    r"\s*[,，]?\s*(?:or|i\.e\.,?|that is,?|即|也就是|相当于|(?:(?:an?\s+)?[a-z]+\s+of|增幅|降幅|涨幅|幅度)\s*(?:约|大约)?\s*(?:为|是|达)?)?"
    r"\s*(?:about|roughly|nearly|some|约|大约|近)?\s*",
    re.IGNORECASE,
)


def _restated(text: str, qs: list[Qty], x: Qty, y: Qty, at: int, lo: int) -> list[Check]:
    """The figure right after a change's stated result that states the same change once more, another way: the
    change from X to Y as a percentage, in points or as a multiple."""
    stated = next((q for q in qs if q.start == at), None)
    r = next((q for q in qs if q.start > at), None)
    if stated is None or r is None or not _AGAIN.fullmatch(text[stated.end : r.start]):
        return []
    if r.tok.pct and not r.per and not _POINTS.match(text, r.tok.end) and not (x.tok.pct and y.tok.pct):
        ratio = y.value / x.value
        change = abs(ratio - 1)
        said = _direction(text, r, lo)
        ok = ok_within(change, r, ratio * rel(x, y)) and said in (None, y.value < x.value)
        shown = f"({show(y, text)} − {show(x, text)}) / {show(x, text)}"
        return [record(text, (x, y, r), r, change, "percentage_change", shown, ok)]
    found = _change(text, x, y, [r], lo) if r.multiple or _POINTS.match(text, r.tok.end) else None
    return [found] if found is not None else []


# "swelled by", "ballooned by", "shrank by": whatever the verb, "by D to Y" says D is the change and Y the level
VERB_BY = CHANGE_BY


def _amount_of_change(text: str, q: Qty, lo: int) -> bool:
    """``q`` is the amount a quantity changed by ("增加 1.5 亿次", "swelled by $600 million"), no level."""
    lead = text[max(lo, q.start - 24) : q.start]
    return bool(_MORE_BEFORE.search(lead) or VERB_BY.search(lead))


def _by_then_to(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """A change by an amount to a new level, then as a percentage: "grew by 100 million to 400 million, a 33%
    increase", "增加 1.5 亿次，达到 4.5 亿次，增幅为 50%": the percentage is of the level before, Y − D (Y + D for a
    fall)."""
    out: list[Check] = []
    for i, d in enumerate(qs):
        lead = text[max(lo, d.start - 24) : d.start]
        cue = _MORE_BEFORE.search(lead) or VERB_BY.search(lead)
        if cue is None or d.tok.pct or d.multiple or d.value <= 0:
            continue
        y = next((q for q in qs[i + 1 :] if not q.tok.pct and not q.multiple), None)
        if y is None or not same_kind(d, y) and not (y.bare or d.bare):
            continue
        if not (d.per_keys <= y.per_keys or y.per_keys <= d.per_keys):
            continue  # "日均增加 1.5 亿次，达到 4.5 亿次": a period said once holds for both
        between = text[d.end : y.start]
        if len(between) > 30 or not _TO.search(between) or re.search(r"[。;；!?！？]|\.\s", between):
            continue
        r = next((q for q in qs if q.start > y.start), None)
        if r is None or not r.tok.pct or r.per or _POINTS.match(text, r.tok.end) or _SHARE_AFTER.match(text, r.tok.end):
            continue
        gap = text[y.end : r.start]
        if len(gap) > 30 or re.search(r"[。;；!?！？]|\.\s", gap) or own_subject(text, lo, y.end, r.start, CHANGE_WORDS):
            continue
        said = _direction(text, r, lo)
        # a verb of no known direction ("shrank by", "swelled by") takes the one the percentage's words say
        fall = bool(_DOWN.search(cue.group(0))) or (not _UP.search(cue.group(0)) and said is True)
        base = y.value + d.value if fall else y.value - d.value
        if base <= 0 or said not in (None, fall):
            continue
        change = d.value / base
        ok = ok_within(change, r, change * (rel(d) + (half(d) + half(y)) / base))
        shown = f"{show(d, text)} / ({show(y, text)} {'+' if fall else '−'} {show(d, text)})"
        out.append(record(text, (d, y, r), r, change, "percentage_change", shown, ok))
    return out


def _change(text: str, x: Qty, y: Qty, others: list[Qty], lo: int) -> Check | None:
    ratio = y.value / x.value
    for r in others:
        after = text[r.tok.end : r.tok.end + 16]
        before = text[max(lo, r.start - 12) : r.start]
        in_points = bool(_POINTS.match(text, r.tok.end))
        if x.tok.pct and y.tok.pct and (in_points or (r.tok.pct and _direction(text, r, lo) is not None)):
            points = abs(y.value - x.value) * (1 if r.tok.pct else 100)
            slack = (half(x) + half(y)) * (1 if r.tok.pct else 100)
            ok = ok_within(points, r, slack) or (not in_points and ok_within(abs(ratio - 1), r, ratio * rel(x, y)))
            return record(text, (x, y, r), r, points, "percentage_change", f"{show(y, text)} − {show(x, text)}", ok)
        if in_points and not r.tok.pct:  # "85.2 on MMLU, 3.1 points above the previous 82.1"
            points = abs(y.value - x.value)
            shown = f"{show(y, text)} − {show(x, text)}"
            ok = ok_within(points, r, half(x) + half(y))
            return record(text, (x, y, r), r, points, "percentage_change", shown, ok)
        if r.tok.pct and not r.per and not _SHARE_AFTER.match(text, r.tok.end):
            if r.start > max(x.end, y.end) and own_subject(text, lo, max(x.end, y.end), r.start, CHANGE_WORDS):
                continue  # "从 32K 扩展到 128K，推理成本下降了 40%": the percentage is said of something else
            change = abs(ratio - 1)
            if _direction(text, r, lo) is None or not r.value / 100 <= change <= r.value * 100:
                continue  # a percentage no change word describes ("比例维持在 35%"), or one a scale apart
            shown = f"({show(y, text)} − {show(x, text)}) / {show(x, text)}"
            said = _direction(text, r, lo)  # "增长到130亿元，下降了30%": the draft says a fall
            ok = ok_within(change, r, ratio * rel(x, y)) and said in (None, y.value < x.value)
            return record(text, (x, y, r), r, change, "percentage_change", shown, ok)
        if r.nouns & {"times"} or re.match(r"\s*(?:x\b|×|倍|times\b|-fold)", after, re.I):
            by = bool(_GROWTH_BY.search(before))  # "增长了 1.5 倍" is 2.5 times; "增长到 3 倍" is 3 times
            if r.start < y.start:
                computed = x.value * (r.value + 1 if by else r.value)
                shown = f"{show(x, text)} × {'(1 + ' + show(r, text) + ')' if by else show(r, text)}"
                ok = ok_within(computed, y, rel(x) * abs(computed))
                return record(text, (x, r, y), y, computed, "ratio", shown, ok)
            want = ratio - 1 if by else ratio
            if not by and ratio < 1 < r.value:  # "from $30 to $3, a cut of 10 times": the multiple is X / Y
                want = 1 / ratio
            ok = ok_within(want, r, want * rel(x, y))
            if not ok and re.match(r"\s*times (?:more|higher|larger|bigger)", after):
                ok = ok_within(ratio - 1, r, ratio * rel(x, y))  # "3 times more" is read both ways
            shown = f"{show(y, text)} / {show(x, text)}" + (" − 1" if by else "")
            if want != ratio and not by:
                shown = f"{show(x, text)} / {show(y, text)}"
            return record(text, (x, y, r), r, want, "ratio", shown, ok)
    return None


_YEAR = re.compile(r"(?<![\d.,$€£¥￥])(?:19|20)\d\d(?![\d%]|[.,]\d)")


def _year_span(text: str, qs: list[Qty], lo: int, hi: int) -> int | None:
    """The years between the two years a sentence names ("from $1.0B in 2021 to $2.7B in 2024", "2019 至 2023
    年"): the number of years a compound rate runs over when no count of years is said. None unless exactly two."""
    found = {int(m.group(0)) for m in _YEAR.finditer(text, lo, hi) if not any(q.start <= m.start() < q.end for q in qs)}
    if len(found) != 2:
        return None
    return max(found) - min(found)


def _compound(text: str, qs: list[Qty], lo: int, hi: int) -> list[Check]:
    """A yearly rate over whole years: "$10M growing 20% a year for two years reaches $14.4M", "from $2B to $8B in
    two years, a compound annual growth rate of 100%"; the years may be the span between two years named ("from
    $1.0B in 2021 to $2.7B in 2024")."""
    rates = [q for q in qs if q.tok.pct and not _POINTS.match(text, q.tok.end)]
    years = [q for q in qs if q.nouns & {"year"} and not q.tok.pct]
    values = [q for q in qs if q not in rates and q not in years and not q.tok.pct and not q.bare]
    if len(rates) != 1 or len(years) > 1 or len(values) != 2 or not same_kind(*values):
        return []
    span = _year_span(text, qs, lo, hi) if not years else None
    if not years and span is None:
        return []
    (r,), (x, y) = rates, values
    count = years[0].value if years else Fraction(span or 0)
    said = [years[0]] if years else []
    if count.denominator != 1 or not 1 <= count <= 50 or x.value <= 0 or y.value <= 0:
        return []
    if r.start < y.start:
        computed = x.value * (1 + r.value) ** int(count)
        ok = ok_within(computed, y, rel(x) * abs(computed))
        shown = f"{show(x, text)} × (1 + {show(r, text)})^{count}"
        return [record(text, (x, r, *said, y), y, computed, "percentage_change", shown, ok)]
    growth = Fraction(float(y.value / x.value) ** (1 / float(count))) - 1
    ok = ok_within(growth, r, (1 + growth) * rel(x, y) / count) or abs(growth - r.value) <= Fraction(1, 10**9)
    shown = f"({show(y, text)} / {show(x, text)})^(1/{count}) − 1"
    return [record(text, (x, y, r), r, growth, "percentage_change", shown, ok)]


_BINARY = {Fraction(10**3): Fraction(2**10), Fraction(10**6): Fraction(2**20), Fraction(10**9): Fraction(2**30)}


def _unit_word(text: str, q: Qty) -> str:
    return text[q.tok.end : q.end].strip().lower()


def find_restatements(text: str, qs: list[Qty]) -> list[Check]:
    out: list[Check] = []
    for a, b in zip(qs, qs[1:], strict=False):
        if not same_kind(a, b) or a.per_keys != b.per_keys or a.tok.pct:
            continue
        if re.search(r"(?:\btimes|[×xX*·]|乘以?|除以)\s*$", text[max(0, a.start - 8) : a.start]):
            continue  # "64 times 700 W is 44.8 kW": an operand of a calculation, not a quantity restated
        # "36 PB of training data is 3,600 TB": one quantity in another unit of its dimension
        converted = bool(a.nouns) and _unit_word(text, a) != _unit_word(text, b) and not a.money
        if a.tok.scale == b.tok.scale and not converted:
            continue
        if not (_RESTATE.match(text[a.end : b.start]) or (converted and _CONVERT.match(text[a.end : b.start]))):
            continue
        hedged = b.hedged or bool(re.search(r"约|about|roughly", text[a.end : b.start]))
        ok = ok_within(a.value, b, half(a), hedged) or (
            # "128K tokens, i.e. 131,072": K, M, G after a count of bytes or tokens may be powers of 1024
            a.tok.scale in _BINARY and ok_within(a.value / a.tok.scale * _BINARY[a.tok.scale], b, Fraction(0), hedged)
        )
        if converted and b.factor != 1:  # in the stated figure's unit: "36 PB = 36,000 TB"
            check, at, used = record(text, (a, b), b, a.value / b.factor, "restatement", show(a, text), ok, b.value / b.factor)
            plain = check.computed_text
            check.computed_text = f"{plain} {text[b.tok.end : b.end].strip()}"
            check.explanation = check.explanation.replace(f"= {plain}", f"= {check.computed_text}", 1)
            out.append((check, at, used))
            continue
        out.append(record(text, (a, b), b, a.value, "restatement", show(a, text), ok))
    return out
