"""An amount converted into another currency at a rate the sentence states, recomputed exactly: "At 7.2 yuan to
the dollar, a 7.2 billion yuan contract is worth about $100 million", "按 1 美元兑 7.2 元计算，72 亿元约合 1 亿美元".

The rate is a money figure of one currency per one unit of another: "7.2 yuan per dollar", "7.2 yuan to the
dollar", "$1 = 7.2 yuan", "1 美元兑 7.2 元". The amounts are the sentence's other money figures: exactly one in each
of the two currencies, the later one linked to the earlier as its restatement ("worth", "约合", "or", "i.e."); the
figure written later is the stated result. Any other arrangement (two amounts in one currency, no link word, a
third currency) is left alone: amounts about different things are never operands of one conversion.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assistant.check.quantities import Qty, currency_of
from assistant.check.recompute import Check, ok_within, record, rel, show

# "7.2 yuan to the dollar", "for every euro"
_TO_ONE = re.compile(r"\s*(?:to|for|against)\s+(?:the|a|one|each|every)\s+(?P<cur>[A-Za-z]+)\b", re.IGNORECASE)
# "$1 = 7.2 yuan", "1 美元兑 7.2 元", "1 美元兑换 7.2 元人民币", "one dollar buys 7.2 yuan"
_EQUALS = re.compile(r"\s*(?:=|兑换?|换|buys|equals|is worth|to)\s*(?:约|about)?\s*$", re.IGNORECASE)
# what presents the later amount as the earlier one in another currency
_LINK = re.compile(
    r"worth|equal|amounts? to|comes? to|converts?|translates?|\bor\b|i\.e\.|that is|约合|折合|合|相当于|即|换算|=|[(（]",
    re.IGNORECASE,
)


def _rates(text: str, money: list[Qty]) -> list[tuple[Qty, str, Fraction, list[Qty]]]:
    """The exchange rates among ``money``: (the figure, the currency it is per, units of its own currency per one
    unit of that, the figures that state it)."""
    out: list[tuple[Qty, str, Fraction, list[Qty]]] = []
    for q in money:
        for keys, scale in q.per:
            cur = next((c for c in (currency_of(k) for k in keys) if c), "")
            if cur and cur != q.money and scale == 1:
                out.append((q, cur, q.value, [q]))
        m = _TO_ONE.match(text, q.end)
        cur = currency_of(m.group("cur")) if m else ""
        if m and cur and cur != q.money and not q.per:
            out.append((q, cur, q.value, [q]))
    for a, b in zip(money, money[1:], strict=False):
        if a.value == 1 and a.money != b.money and not a.per and not b.per and _EQUALS.search(text[a.end : b.start]):
            out.append((b, a.money, b.value, [a, b]))
    return out


def find_conversions(text: str, qs: list[Qty]) -> list[Check]:
    money = [q for q in qs if q.money and not q.tok.pct and not q.multiple and q.value > 0]
    rates = _rates(text, money)
    if len(rates) != 1:
        return []
    rate, base, value, used = rates[0]
    amounts = [q for q in money if q not in used and not q.per]
    own = [q for q in amounts if q.money == rate.money]
    other = [q for q in amounts if q.money == base]
    if len(own) != 1 or len(other) != 1 or len(amounts) != 2:
        return []
    first, stated = sorted((own[0], other[0]), key=lambda q: q.start)
    between = text[first.end : stated.start]
    if re.search(r"[。!?！？;；]|\.\s", between) or not _LINK.search(between):
        return []
    computed = first.value / value if stated is other[0] else first.value * value
    op = "÷" if stated is other[0] else "×"
    ok = ok_within(computed, stated, rel(first, rate) * computed)
    other_way = first.value * value if stated is other[0] else first.value / value
    ok = ok or ok_within(other_way, stated, rel(first, rate) * other_way)  # a rate said the other way round is no error
    return [record(text, (first, *used, stated), stated, computed, "product", f"{show(first, text)} {op} {show(rate, text)}", ok)]
