"""Two ways a draft states a part of a whole that ``shares`` does not read within one sentence, recomputed exactly:

- a fraction in words ("Half of the 3,400 GPUs, some 1,700", "A quarter of the 2.8 billion parameters, roughly
  700 million", "共 45 人，其中三分之一，即 15 人"): the whole is the figure the fraction is "of" (or, in Chinese,
  the figure before it in the sentence), the part the figure right after it that restates it;
- a fraction in words of where a change began ("从 60 元降到 4 元，只相当于原来的十分之一", "fell from $60 to $20, a
  third of the original"): the figure the change ends at over the one it starts from;
- a discount: a price, a percentage off it ("a 10% discount", "10% off", "优惠 10%"), and the price after it
  ("$75M; with a 10% discount the bill is $67.5M"): the whole less that share;
- a share whose whole is the sentence before's ("全球共部署 5,000 台机器人。其中 1,250 台在仓储领域，占比 25%",
  "The fund manages $2.5 billion. Its AI holdings are worth $600 million, 24% of the portfolio."): the share's
  sentence says one figure, the part, before a share word, and no whole of its own; the sentence before says
  exactly one figure of the part's kind, larger than it, and says it as a whole (共, total, manages) or the share's
  sentence opens on its parts (其中, Of these, Its): a figure of another subject is no whole.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.expr import Tok
from assistant.check.quantities import Qty
from assistant.check.recompute import Check, ok_within, record, rel, same_kind, show

_EN_FRACTIONS = {
    "half": Fraction(1, 2), "a half": Fraction(1, 2), "one half": Fraction(1, 2), "a third": Fraction(1, 3),
    "one third": Fraction(1, 3), "one-third": Fraction(1, 3), "two thirds": Fraction(2, 3),
    "two-thirds": Fraction(2, 3), "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4),
    "one-quarter": Fraction(1, 4), "three quarters": Fraction(3, 4), "three-quarters": Fraction(3, 4),
    "a fifth": Fraction(1, 5), "one fifth": Fraction(1, 5), "a tenth": Fraction(1, 10), "one tenth": Fraction(1, 10),
}  # fmt: skip
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_FRACTION = re.compile(
    r"(?<![A-Za-z])(?P<w>" + "|".join(sorted((re.escape(k) for k in _EN_FRACTIONS), key=len, reverse=True)) + r")"
    r"\s+of\s+(?:the\s+|its\s+|their\s+|our\s+|all\s+)?(?:US)?[$€£¥￥]?\s*$",
    re.IGNORECASE,
)
_ZH_FRACTION = re.compile(r"(?P<d>[一二两三四五六七八九十])分之(?P<n>[一二两三四五六七八九])|(?P<half>一半|半数)")
# the part restates the fraction: ", some 1,700", "，即 15 人", ", or roughly 700 million"
_RESTATES = re.compile(
    r"^[^\d。;；!?！？]{0,40}?[,，(（]\s*(?:i\.e\.,?|that is,?|or|some|about|roughly|around|nearly|approximately|即|也就是|约|大约|共|计)?"
    r"\s*(?:some|about|roughly|around|nearly|approximately|约|大约)?\s*(?:US)?[$€£¥￥]?\s*$",
    re.IGNORECASE,
)
_SHARE_CUE = re.compile(
    r"(?:占比?|占[^\d，,。;；]{0,8}的|比例为?|比重为?|share of|accounting for|accounts? for|makes? up|represent(?:s|ing)?)"
    r"\s*(?:约|大约|about|roughly|nearly|some)?\s*$",
    re.IGNORECASE,
)
_SHARE_AFTER = re.compile(r"\s*(?:of\s+(?:the|its|their|our|all)\b|share\b|的份额|的比例)", re.IGNORECASE)
_CHANGE = re.compile(r"growth|grew|rise|rose|increase|decrease|decline|drop|fell|up\b|down\b|增长|增加|下降|减少|同比|环比", re.I)


_DISCOUNT_AFTER = re.compile(r"\s*(?:discount|off\b|rebate|reduction|折扣|优惠|的折扣|的优惠)", re.IGNORECASE)
_DISCOUNT_BEFORE = re.compile(r"(?:discount of|rebate of|折扣|优惠|减免|让利)\s*(?:约|about)?\s*$", re.IGNORECASE)


def _kin(a: Qty, b: Qty) -> bool:
    return same_kind(a, b) or ((a.bare or b.bare) and not a.money and not b.money and not a.tok.pct and not b.tok.pct)


def _fraction_at(text: str, lo: int, pos: int) -> tuple[Fraction, int, int] | None:
    """The Chinese fraction word written last in ``text[lo:pos]`` (value, start, end)."""
    found = list(_ZH_FRACTION.finditer(text, lo, pos))
    if not found:
        return None
    m = found[-1]
    if m.group("half"):
        return Fraction(1, 2), m.start(), m.end()
    return Fraction(_ZH_DIGITS[m.group("n")], _ZH_DIGITS[m.group("d")]), m.start(), m.end()


def find_fractions(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """A fraction in words of a whole, restated as the part (see the module's docstring)."""
    out: list[Check] = []
    values = [q for q in qs if not q.tok.pct and not q.multiple and not q.word and q.value > 0]
    for i, whole in enumerate(values[:-1]):
        part = values[i + 1]
        # the part restates the fraction, so it may name its units its own way ("3,400 GPUs, some 1,700 units")
        if re.search(r"[。!?！？]|\.\s", text[whole.end : part.start]) or whole.money != part.money:
            continue
        m = _EN_FRACTION.search(text, max(lo, whole.start - 30), whole.start)
        if m:
            frac = _EN_FRACTIONS[m.group("w").lower()]
            if not _RESTATES.match(text[whole.end : part.start]):
                continue
        else:
            z = _fraction_at(text, whole.end, part.start)
            if z is None:
                continue
            frac = z[0]
            if not _RESTATES.match(text[z[2] : part.start]) or len(text[whole.end : z[1]]) > 16:
                continue
        computed = whole.value * frac
        if not part.value < whole.value:
            continue
        ok = ok_within(computed, part, computed * rel(whole))
        shown = f"{show(whole, text)} × {frac.numerator}/{frac.denominator}"
        out.append(record(text, (whole, part), part, computed, "ratio", shown, ok))
    return out


# the start of a change named as the whole of a fraction: "原来的十分之一" (before it), "a third of the original" (after)
_ORIGINAL_ZH = re.compile(r"(?:原来|原先|之前|此前|以前|过去|原价|原有水平|原水平)的?\s*$")
_ORIGINAL_EN = re.compile(
    r"\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:original|previous|old|prior|former|earlier|starting)\b|\s+of what it (?:was|had been)",
    re.IGNORECASE,
)
_EN_FRACTION_WORD = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(sorted((re.escape(k) for k in _EN_FRACTIONS), key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
# "从 60 元降到 4 元", "from $60 to $4": the two figures are the ends of one change
_CHANGE_TO = re.compile(r"(?:到|至)|\bto\b", re.IGNORECASE)
_HEDGE = re.compile(r"(?:约|大约|近|不到|about|roughly|around|nearly|approximately|almost)\s*$", re.IGNORECASE)


def find_fractions_of_start(text: str, qs: list[Qty], lo: int, hi: int) -> list[Check]:
    """A fraction in words of the figure a change started from, stated of the figure it ended at (see the
    module's docstring). A fraction in words states itself within a twentieth (after a hedge, a tenth)."""
    out: list[Check] = []
    values = [q for q in qs if not q.tok.pct and not q.multiple and not q.word and q.value > 0]
    found = [(m, _fraction_at(text, m.start(), m.end())) for m in _ZH_FRACTION.finditer(text, lo, hi)]
    words = [(m, _EN_FRACTIONS[m.group(0).lower()]) for m in _EN_FRACTION_WORD.finditer(text, lo, hi)]
    for m, frac in [(m, z[0]) for m, z in found if z is not None and _ORIGINAL_ZH.search(text, lo, m.start())] + [
        (m, f) for m, f in words if _ORIGINAL_EN.match(text, m.end())
    ]:
        before = [q for q in values if q.end <= m.start()]
        if len(before) < 2:
            continue
        old, new = before[-2], before[-1]
        between = text[old.end : new.start]
        if not same_kind(old, new) or not _CHANGE_TO.search(between) or re.search(r"[。!?！？;；]|\.\s", text[old.end : m.start()]):
            continue
        computed = new.value / old.value
        hedged = bool(_HEDGE.search(text, max(lo, m.start() - 12), m.start()))
        ok = abs(computed - frac) <= frac / (10 if hedged else 20) + computed * rel(old, new)
        stated = Qty(Tok("num", "", m.start(), m.end(), frac), m.start(), m.end())
        out.append(record(text, (old, new, stated), stated, computed, "ratio", f"{show(new, text)} / {show(old, text)}", ok))
    return out


# the sentence before's figure is a whole: said as a total, or the share's sentence opens naming its parts
_WHOLE_BEFORE = re.compile(r"(?:共|总|合计|累计|全部|整体|全年|in total|total|overall|altogether|all|manages?|whole)[^，,。;；]{0,12}$", re.I)
_PARTS_OPEN = re.compile(r"\s*(?:其中|这其中|在这些|of (?:these|them|those|this|that|the total)\b|among (?:them|these|those)\b|its\b|their\b)", re.I)


def find_carried_shares(text: str, prev: list[Qty], qs: list[Qty], lo: int) -> list[Check]:
    """A share of a whole said in the sentence before (see the module's docstring)."""
    out: list[Check] = []
    if not prev:
        return out
    for r in qs:
        if not r.tok.pct or r.per:
            continue
        cue = _SHARE_CUE.search(text, max(lo, r.start - 20), r.start) or _SHARE_AFTER.match(text, r.tok.end)
        if not cue or _CHANGE.search(text, max(lo, r.start - 20), r.tok.end + 12):
            continue
        behind = [q for q in qs if q.start < r.start and not q.tok.pct and not q.multiple and not q.word]
        ahead = [q for q in qs if q.start > r.start and not q.tok.pct and not q.multiple]
        if len(behind) != 1 or any(_kin(q, behind[0]) for q in ahead):
            continue
        part = behind[0]
        wholes = [q for q in prev if not q.tok.pct and not q.multiple and not q.word and _kin(q, part)]
        if len(wholes) != 1 or not wholes[0].value > part.value:
            continue
        whole = wholes[0]
        total_named = re.match(r"\s*of\s+(?:the\s+)?(?:total|overall|whole)\b", text[r.tok.end : r.tok.end + 20], re.I) or re.search(
            r"占(?:总|全部|整体)", text[max(lo, r.start - 12) : r.start]
        )  # "30% of the total", "占总数的 25%": the share names its whole as the total
        if not (total_named or _PARTS_OPEN.match(text, lo) or _WHOLE_BEFORE.search(text, max(0, whole.start - 24), whole.start)):
            continue  # "Nvidia shipped 3.76M GPUs. AMD sold 0.5M, a 12% share": another subject, not the whole
        computed = part.value / whole.value
        ok = ok_within(computed, r, computed * rel(part, whole))
        out.append(record(text, (whole, part, r), r, computed, "ratio", f"{show(part, text)} / {show(whole, text)}", ok))
    return out


def find_discounts(text: str, qs: list[Qty], lo: int) -> list[Check]:
    """A price less a percentage off it (see the module's docstring)."""
    out: list[Check] = []
    for r in qs:
        if not r.tok.pct or r.per or not 0 < r.value < 1:
            continue
        if not (_DISCOUNT_AFTER.match(text, r.tok.end) or _DISCOUNT_BEFORE.search(text, max(lo, r.start - 12), r.start)):
            continue
        behind = [q for q in qs if q.start < r.start and not q.tok.pct and not q.multiple and not q.word and q.value > 0]
        if not behind:
            continue
        whole = behind[-1]
        ahead = [q for q in qs if q.start > r.start and not q.tok.pct and not q.multiple and _kin(q, whole)]
        if not ahead or not ahead[0].value < whole.value or re.search(r"[。!?！？]|\.\s", text[whole.end : ahead[0].start]):
            continue
        paid = ahead[0]
        computed = whole.value * (1 - r.value)
        ok = ok_within(computed, paid, computed * rel(whole, r))
        out.append(record(text, (whole, r, paid), paid, computed, "percentage_change", f"{show(whole, text)} × (1 − {show(r, text)})", ok))
    return out
