"""Shares a sentence states between its figures, recomputed exactly: a part in its whole ("3.1M of the 4.5M
accelerators …, a 58% share", "毛利 52 亿元，毛利率 65%", "激活比例约为 8.5%"), the whole a share implies ("$17B
were 21% of DRAM revenue … about $81B"), or the part it implies ("其中 40% 用于算力租赁，也就是 1.28 亿元").

A share is read when a cue binds the percentage to figures: a share word before it ("占比", "share of", "a
utilization of", "准确率"), after it ("a 58% share", "% of the", "% gross margin"), or a part-of word ("其中", "i.e.").
The figures are those of one kind (or unlabelled ones) in the sentence; the part is the figure nearest before
the percentage. Every natural reading is tried: the part in each larger figure, and for a margin the rest in the
whole too ("cost of sales $7.5B on $30B revenue, a 75% gross margin"); the share is wrong only when none holds.

Not read (``clauses``): two figures that are one quantity said twice ("2024 年出货 380 万台，2025 年 450 万台") are no
part and whole; a percentage in a clause with its own subject ("B 芯片的良率为 60%", ", and data center revenue was
78%") or with a whole no figure carries ("70% of its engineers") is about something else; "其中 38%" with no
figure after it states no part.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.changes import _POINTS, _SHARE_AFTER, _direction
from assistant.check.clauses import operand, own_subject, parallel, whole_named
from assistant.check.clauses import part_of as part_of_mark
from assistant.check.quantities import GENERIC_MEASURE, Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show

_SHARE = re.compile(
    r"占(?:比|到|了|[^\d\s，,。;；]{1,6}?的|(?:[^，,。;；]|(?<=\d),(?=\d)){1,16}?的)?\s*(?:约|大约)?\s*$|(?:share of|accounting for|accounts? for|made up|makes? up|represent(?:s|ing)?|"
    r"which is|that is|i\.e\.,?|or)\s*(?:about|roughly|nearly|around|some)?\s*$|(?:即|也就是)\s*(?:约|大约)?\s*$",
    re.IGNORECASE,
)
# "17B of its 400B parameters …, about 4%": a part named in its whole, then the share with no word of its own
_PART_IN_WHOLE = re.compile(r"\s*(?:of|out of)\s+(?:the\s+|its\s+|their\s+|our\s+)?[$€£¥￥]?", re.IGNORECASE)
_BARE_CLAUSE = re.compile(r"[,，]\s*(?:about|roughly|nearly|around|some|approximately|约|大约|近)?\s*$", re.IGNORECASE)
_BRACKETED = re.compile(r".?[(（]\s*$")
_THAT_IS = re.compile(r"[^\d。;；]{0,30}?(?:,\s*|，\s*)(?:i\.e\.|that is|which is|即|也就是)\s*(?:about\s+|约\s*)?[$€£¥￥]?\d")
_PART_OF = re.compile(r"其中\s*(?:约|大约)?\s*$")
# a rate of something other than a part in its whole: growth, interest, tax, speeds
_NOT_SHARE_RATE = re.compile(
    r"(?:growth|interest|tax|exchange|discount|inflation|learning|frame|bit|sampling|refresh|clock|burn|"
    r"hourly|daily|monthly|annual|yearly|rental|price)\s+rate|(?<![润毛净])利率|(?:长|税|汇|频|效|速)率",
    re.IGNORECASE,
)
# "a success rate of 84%", "利用率为 85%", "accuracy of 85.75%", "毛利率 65%": a rate of the part in the whole (when no
# change word says it is a growth rate)
_RATE = re.compile(
    r"(?:\brate|\bratio|accuracy|proportion|utili[sz]ation|margin|率|比例|比重)\s*(?:of|was|is|at|stood at|came to|为|是|达到?|约为)?"
    r"\s*(?:about|roughly|约|大约)?\s*$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(r"\s*(?:share\b|(?:gross\s+|net\s+|operating\s+)?margin\b|的(?:份额|比重|比例))", re.IGNORECASE)
_MARGIN = re.compile(r"margin|毛利率|净利率|利润率", re.IGNORECASE)
# words a share's own clause may carry without naming a subject of its own
# words a share's own clause may carry without naming a subject of its own: share words, and the rates that are a
# part's share of its whole ("success rate", "准确率"); "资产负债率" names a ratio of other figures
_PART_RATES = (
    r"success|pass|acceptance|hit|error|failure|churn|conversion|completion|response|win|approval|occupancy|"
    r"penetration|adoption|retention|activation|utili[sz]ation|yield|gross|net|operating|profit|"
    r"准确|正确|成功|通过|命中|错误|失败|流失|转化|完成|利用|使用|占用|渗透|采用|覆盖|激活|付费|留存|良|毛利|净利|利润|营业利润"
)
SHARE_WORDS = re.compile(
    rf"(?:(?:{_PART_RATES})\s*)?(?:rate|ratio|margin|share|率|比例|比重|份额)|proportion|utili[sz]ation|accuracy|percent|"
    r"overall|total|占比?|[总共计]",
    re.IGNORECASE,
)
# a margin says which profit it is a share of: gross, net, operating
_QUALIFIERS = [re.compile(r"gross|毛", re.I), re.compile(r"\bnet\b|净", re.I), re.compile(r"operating|营业", re.I)]
_OF_NOUN = re.compile(
    r"\s*of\s+(?:the\s+|its\s+|their\s+|our\s+|all\s+)?(?P<np>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,2})", re.IGNORECASE
)
# the whole named in the share's own phrase, after "of": "35% of the company's $21.0B", "12% of total revenue of"
_OF_WHOLE = re.compile(r"\s*of\b[^\d,，;；。!?]{0,40}$", re.IGNORECASE)
_JOINED = re.compile(r"^\s*(?:and|while|but|whereas|而|且|并且|同时)\s*$", re.IGNORECASE)
_GENERIC_WHOLE = {"total", "all", "that", "this", "it", "them", "those", "these", "whole", "sum"}
# a comma between digits ("4,200") separates thousands, it ends no clause
_CLAUSE = re.compile(r"[，；;：:]|(?<!\d),|,(?!\d)")


def _clause_before(text: str, r: Qty, lo: int, reach: int = 30) -> str:
    stretch = text[max(lo, r.start - reach) : r.start]
    breaks = list(_CLAUSE.finditer(stretch))
    # "…, or 70%", "…，占比 15%": the cue may sit right after the break
    return stretch[breaks[-1].end() :] if breaks else stretch


def _whole_named(text: str, r: Qty, values: list[Qty], lo: int) -> bool:
    """ "21% of DRAM revenue": the whole the percentage names after "of" is what some figure of the sentence
    carries in its words; "70% of its engineers", with no figure of engineers, is a share of something else."""
    m = _OF_NOUN.match(text, r.tok.end)
    if not m:
        return True
    words = [w for w in re.findall(r"[A-Za-z]{3,}", m.group("np")) if w.lower() not in _GENERIC_WHOLE]
    if not words or m.group("np").split()[0].lower() in _GENERIC_WHOLE:
        return True
    labels = " ".join(_label(text, q, lo) for q in values)
    return any(w.lower()[:5] in labels.lower() for w in words)


def _label(text: str, q: Qty, lo: int) -> str:
    """The words that say what a figure is: its clause up to it and its unit words."""
    stretch = text[max(lo, q.start - 40) : q.end]
    breaks = list(_CLAUSE.finditer(stretch, 0, max(0, len(stretch) - (q.end - q.start))))
    return stretch[breaks[-1].end() :] if breaks else stretch


def _unlabelled(q: Qty) -> bool:
    """Nothing but a generic measure word says what ``q`` counts ("其中开源 12 个"): the noun said before."""
    return q.bare or (not q.money and not q.tok.pct and bool(q.nouns) and q.nouns <= GENERIC_MEASURE)


def _compatible(a: Qty, b: Qty) -> bool:
    """A part and a whole count the same thing, or one of them says nothing of what it counts."""
    return same_kind(a, b) or ((_unlabelled(a) or _unlabelled(b)) and not a.money and not b.money)


def _in_sentence(text: str, a: Qty, b: Qty) -> bool:
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return not re.search(r"[。!?！？]|\.\s", text[lo:hi].replace("i.e.", ""))


def find_shares(text: str, qs: list[Qty], lo: int) -> list[Check]:
    out: list[Check] = []
    for r in qs:
        if not r.tok.pct or r.per or _POINTS.match(text, r.tok.end):
            continue
        before = _clause_before(text, r, lo)
        rate = bool(_RATE.search(before)) and not _NOT_SHARE_RATE.search(before)
        cue = bool(_SHARE.search(before) or _SHARE_AFTER.match(text, r.tok.end) or _CUE_AFTER.match(text, r.tok.end))
        cue = cue or bool(_OF_NOUN.match(text, r.tok.end) and re.search(r"\b(?:were|was|is|are|be)\s*$", before))
        part_of = bool(_PART_OF.search(before) or _THAT_IS.match(text, r.tok.end, min(len(text), r.tok.end + 40)))
        values = [
            q for q in qs
            if not q.tok.pct and not q.multiple and not q.word and q.value > 0 and _in_sentence(text, q, r) and not operand(text, q)
        ]  # fmt: skip
        behind = [q for q in values if q.start < r.start]
        named = len(behind) >= 2 and _PART_IN_WHOLE.fullmatch(text, behind[-2].end, behind[-1].start) is not None
        cue = cue or (named and bool(_BARE_CLAUSE.search(text, max(lo, r.start - 20), r.start)))
        # "3.5 billion yuan, of which 700 million (20%)", "1.8T parameters, of which 280B are active, about 15%": a
        # part-of word between the two figures before, the percentage in a bare clause or brackets of its own
        cue = cue or (
            len(behind) >= 2 and part_of_mark(text[behind[-2].end : behind[-1].start]) and _direction(text, r, lo) is None
            and bool(_BARE_CLAUSE.search(text, max(lo, r.start - 20), r.start) or _BRACKETED.match(text[max(lo, r.start - 2) : r.start]))
        )  # fmt: skip; "…, of which generative AI drew $33.9B, 18.7% more than in 2023" is a change
        if not (cue or ((part_of or rate) and _direction(text, r, lo) is None)):
            continue
        margin = bool(_MARGIN.search(before) or _MARGIN.match(text, r.tok.end, r.tok.end + 30))
        if margin and behind and _other_profit(text, r, behind[-1], before, lo):
            continue  # "净利润 320 亿元 … 毛利率 53%": a gross margin is no share of net profit
        for a in values:  # "37B of its 671B parameters": the part counts what the whole counts
            nxt = next((q for q in values if q.start > a.start), None)
            if a.bare and nxt is not None and re.fullmatch(r"\s*of\s+(?:its|the|their)?\s*", text[a.end : nxt.start]):
                a.nouns, a.money = nxt.nouns, nxt.money
        if _JOINED.search(before) and not _whole_named(text, r, values, lo):
            continue  # ", and 70% of its engineers …": a clause of its own, about the whole it names
        ahead = [q for q in values if q.start > r.start]
        # "40% of the $90B in sales, about $36B": the whole named right after the share, the part after it
        leading = rate or bool(ahead and _PART_IN_WHOLE.fullmatch(text, r.tok.end, ahead[0].start))
        found = _implied(text, r, behind, ahead, part_of, rate, leading, lo) if ahead else None
        if found is None and _PART_OF.search(before):
            continue  # "其中 38% 来自光伏": the part is not stated
        if found is None and behind:
            found = _stated(text, r, behind, margin, lo)
        if found is not None:
            out.append(found)
    return out


def _other_profit(text: str, r: Qty, part: Qty, before: str, lo: int) -> bool:
    """The margin names one kind of profit (gross, net, operating) and the part's own words another."""
    cue = before + text[r.tok.end : r.tok.end + 30]
    label = _label(text, part, lo)
    said = {i for i, q in enumerate(_QUALIFIERS) if q.search(cue)}
    named = {i for i, q in enumerate(_QUALIFIERS) if q.search(label)}
    return bool(said and named and not said & named)


def _implied(
    text: str, r: Qty, behind: list[Qty], ahead: list[Qty], part_of: bool, rate: bool, leading: bool, lo: int
) -> Check | None:
    """The figure after the percentage is what it implies: the part ("3.2 亿元，其中 40% …，也就是 1.28 亿元"), the
    whole ("研发投入 45 亿元，占营收的 15%，营收约为 300 亿元"), or, after a share stated first (``leading``: a rate, or
    one naming its whole right after it), the part of the whole that follows ("利用率为 60%，1,000 张卡中实际在用 700 张",
    "40% of the $90B in sales, about $36B")."""
    after = ahead[0]
    if not behind:
        if (
            leading and len(ahead) >= 2 and _compatible(ahead[0], ahead[1]) and ahead[1].value < ahead[0].value
            and not own_subject(text, lo, ahead[0].end, ahead[1].start, SHARE_WORDS)
        ):  # fmt: skip
            whole, part = ahead[0], ahead[1]
            computed = whole.value * r.value
            ok = ok_within(computed, part, computed * rel(whole))
            return record(text, (r, whole, part), part, computed, "ratio", f"{show(whole, text)} × {show(r, text)}", ok)
        return None
    near = behind[-1]
    if not _compatible(near, after) or not r.value:
        return None
    if after.value < near.value and (part_of or rate):
        computed = near.value * r.value
        ok = ok_within(computed, after, computed * rel(near))
        return record(text, (near, r, after), after, computed, "ratio", f"{show(near, text)} × {show(r, text)}", ok)
    if own_subject(text, lo, r.tok.end, after.start, SHARE_WORDS):
        return None  # "占 24%，国内收入 114 亿元": the figure after is another part, not the whole
    if after.value > near.value and not part_of and not any(_compatible(q, near) and q.value > near.value for q in behind):
        if _OF_WHOLE.match(text[r.tok.end : after.start]):
            # "$8.4B accounted for 35% of the company's $21.0B": part and whole both given, the share is what
            # the sentence computes; right when either reading holds
            share = near.value / after.value
            ok = ok_within(share, r, share * rel(near, after)) or ok_within(near.value / r.value, after, near.value / r.value * rel(near))
            return record(text, (near, r, after), r, share, "ratio", f"{show(near, text)} / {show(after, text)}", ok)
        computed = near.value / r.value
        ok = ok_within(computed, after, computed * rel(near))
        return record(text, (near, r, after), after, computed, "ratio", f"{show(near, text)} ÷ {show(r, text)}", ok)
    return None


def _stated(text: str, r: Qty, behind: list[Qty], margin: bool, lo: int) -> Check | None:
    """The percentage states the share of the figure nearest before it in another figure before it: any such
    pair whose share (or, for a margin, the rest's share) rounds to it makes it right."""
    near = behind[-1]
    if own_subject(text, lo, near.end, r.start, SHARE_WORDS):
        return None
    pairs = []
    for o in behind[:-1]:
        a, b = (near, o) if near.value < o.value else (o, near)
        named = not near.money and not o.money and whole_named(text, max(near, o, key=lambda q: q.value), lo)
        if not (_compatible(near, o) or named) or parallel(text, min(near, o, key=lambda q: q.start), max(near, o, key=lambda q: q.start), lo):
            continue
        if a.value == b.value or not r.value / 100 <= a.value / b.value <= r.value * 100:
            continue  # a share a scale apart from the stated one is another pair of figures
        pairs.append((a, b))
    if not pairs:
        return None
    readings = [(a, b, a.value / b.value) for a, b in pairs]
    if margin:
        readings += [(a, b, (b.value - a.value) / b.value) for a, b in pairs]
    for a, b, computed in readings:
        if ok_within(computed, r, computed * rel(a, b)):
            return record(text, (a, b, r), r, computed, "ratio", _shown(text, a, b, computed, a.value / b.value), True)
    # shown against the pair in which the nearest figure is the part, the whole the nearest larger figure
    larger = [p for p in pairs if p[0] is near]
    a, b = larger[-1] if larger else pairs[-1]
    # a margin is shown as the rest's share when the part is the cost ("成本 120 元" of "售价 199 元")
    rest = margin and not _MARGIN.search(_label(text, a, lo)) and not re.search(r"profit|利润|毛利|净利", _label(text, a, lo), re.I)
    computed = (b.value - a.value) / b.value if rest else a.value / b.value
    return record(text, (a, b, r), r, computed, "ratio", _shown(text, a, b, computed, a.value / b.value), False)


def _shown(text: str, a: Qty, b: Qty, computed: Fraction, share: Fraction) -> str:
    if computed == share:
        return f"{show(a, text)} / {show(b, text)}"
    return f"({show(b, text)} − {show(a, text)}) / {show(b, text)}"
