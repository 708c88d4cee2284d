"""The kinds of figure a question admits: the kind its focus names first, and the others its structure allows.

A question's words are often ambiguous between kinds: "how much cheaper" is answered by a percentage or by a
difference in money, "what price did X pay to acquire Y" by an amount, "降了多少" by a percentage or by the
amount it fell. Reading one kind and barring every figure of another refuses right answers. Here the question's
structure says which kinds it admits, in order of preference (the first is ``QuestionAnalysis.asked``, the rest
``QuestionAnalysis.admitted``); selection ranks a figure of a later kind below one of an earlier kind, and the
gate refuses only a figure of no admitted kind.

- Every kind the focus phrase names (what the question word governs): "the monthly rent after the March price
  cut" names a rent (money) and a change; the first in the kind table's order stays first.
- A change asked "to" a level ("drop to", "降到", "增长至") asks the level: the kind is the measure the question
  names besides the change ("price", "算力"), not the change. A change asked "by" ("fell by how much", "降了多少")
  admits the measure's own unit after the change (an amount it fell by).
- A comparison of degree ("how much cheaper", "比 … 便宜多少") admits a change (a percentage) and a multiple,
  besides the measure.
- A part of a whole ("how much of the market", "占 … 多少") admits a share.
"""

from __future__ import annotations

import re

from assistant.ask.kindtable import KINDS, AskedKind, kind
from tools.figures import parse_figures
from tools.units import DURATION_UNITS

# A word of a change (the change kind's pattern).
_CHANGE = re.compile(next(k.pattern for k in KINDS if k.name == "change"))
# What follows a change word when the question asks the level it came to: "to" (with at most one word between,
# "drop back to"), 到/至 right after a Chinese change verb ("降到", "增长到了", "提升至").
_TO_AFTER = re.compile(r"\w*(?:\s+\w+)?\s+to\b(?!\s+(?:be|have|make|reach)\b)", re.I)
# Chinese change verbs, one character or two ("降", "增长")
_ZH_CHANGE_VERB = "降|涨|升|增|减|跌|提高|提升|下调|上调|增长|下降|降低|减少|增加|上涨|上升"
_ZH_TO = re.compile(rf"(?:{_ZH_CHANGE_VERB})(?:到|至)")
# A Chinese change verb asked "了多少" ("降了多少", "增长了几个百分点"): the change, or the amount it changed by.
_ZH_BY = re.compile(rf"(?:{_ZH_CHANGE_VERB}|缩|缩小|扩大)了(?:多少|几)")
# A comparison of degree in English: "how much" before a comparative ("how much cheaper", "how much more").
# (a word ending "-er" is a comparative only when the question names what it is compared with: "how much power"
# is no comparison)
_EN_COMPARATIVE = re.compile(r"\bhow\s+much\s+(?:(?P<more>more|less|fewer)|[a-z]{3,}er)\b", re.I)
_COMPARED_WITH = re.compile(r"\b(?:than|versus|vs\.?|compared|relative\s+to|against)\b", re.I)
# A Chinese comparison: 比 … followed by the question word ("比 H100 便宜多少", "比去年高了几个百分点").
# (比 of a compound noun, 比例 / 比重 / 比率, compares nothing)
_ZH_COMPARATIVE = re.compile(r"(?<![占对之])比(?![例重率值])[^，。？?；;]{1,30}?(?:多少|几)")
# A part of a whole: "how much of the market", "占 … 多少 / 几成".
_PORTION = re.compile(r"\bhow\s+much\s+of\s+(?:the|its|their|this|that)\b|占(?!用)[^，。？?；;]{0,12}?(?:多少|几成)", re.I)
# A rate's denominator ("per GPU hour", "每小时"): a kind named there is what the figure is counted per, not the
# measure asked.
_PER_PHRASE = re.compile(r"\bper\s+(?:[\w-]+\s+){0,2}[\w-]+|每[^，。？?\s]{1,6}", re.I)


def admitted_kinds(
    question: str, focus: str, asked: AskedKind | None
) -> tuple[AskedKind | None, tuple[AskedKind, ...]]:
    """The kind a question asks first (``asked`` unless the question asks the level a change came to) and the
    further kinds its structure admits, in order of preference."""
    if asked is None:
        return None, ()
    low = question.lower()
    first = asked
    if asked.name == "change" and asks_level(question):
        level = measure_kind(question)  # "what did the listing drop to": its price, not a percentage
        if level is None:
            return None, ()
        first = level
    out: list[AskedKind] = head_kinds(focus, first)
    if first.name == "change":
        measure = measure_kind(question)
        out += [measure] if measure is not None else []
    if _ZH_BY.search(low):
        out += [kind("change")]
    if compares(low):
        out += [kind("change"), kind("times")]
    if _PORTION.search(low):
        out += [kind("ratio")]
    seen = {first.name}
    admitted = []
    for k in out:
        if k.name not in seen:
            seen.add(k.name)
            admitted.append(k)
    return first, tuple(admitted)


def compares(low: str) -> bool:
    """Whether the (lowered) question asks a comparison of degree: "how much cheaper … than", "比 … 便宜多少"."""
    m = _EN_COMPARATIVE.search(low)
    return bool(m and (m["more"] or _COMPARED_WITH.search(low))) or bool(_ZH_COMPARATIVE.search(low))


# A level the question gives after "to" ("falls from $4.50 to $3.80", "降到3.8美元"): the premise, not what is asked.
_GIVEN_LEVEL = re.compile(r"\s*了?\s*[$¥€£]?\s*\d")


def asks_level(question: str) -> bool:
    """Whether the question asks the level a change came to ("what did it drop to", "降到了多少"), not the change
    (nor a level it gives: "从 4.5 美元降到 3.8 美元，每月下降多少")."""
    if any(not _GIVEN_LEVEL.match(question, m.end()) for m in _ZH_TO.finditer(question)):
        return True
    low = question.lower()
    return any(
        (to := _TO_AFTER.match(low, m.end())) is not None and not _GIVEN_LEVEL.match(low, to.end())
        for m in _CHANGE.finditer(low)
    )


def kinds_named(text: str) -> list[AskedKind]:
    """Every kind whose words ``text`` writes, in the order they are written; a word inside the words of a kind
    earlier in the kind table is part of that one ("GPU hours" names GPU hours, not GPUs and hours)."""
    claimed: list[tuple[int, int]] = []
    found = []
    for i, k in enumerate(KINDS):
        for m in re.finditer(k.pattern, text):
            if m.end() > m.start() and not any(s < m.end() and m.start() < e for s, e in claimed):
                claimed.append(m.span())
                found.append((m.start(), i, k))
                break
    return [k for _, _, k in sorted(found, key=lambda x: (x[0], x[1]))]


# Where the head of an English focus phrase ends: a preposition opening a modifier ("the monthly rent | of a card
# after the March price cut").
_MODIFIER = re.compile(r"\s(?:of|after|before|since|following|from|in|on|at|for|with|by|during|under)\s", re.I)


def head_kinds(focus: str, first: AskedKind) -> list[AskedKind]:
    """The kinds the head of the focus phrase names when the kind asked first comes only from a modifier after it
    ("the monthly rent … after the March price cut": a rent, read first as a change); otherwise none."""
    head = _MODIFIER.split(focus.lower(), maxsplit=1)[0]
    named = kinds_named(head)
    if not named or any(k.name == first.name for k in named) or head == focus.lower():
        return []
    return named


def measure_kind(question: str) -> AskedKind | None:
    """The kind of the measure a question names besides its change words and a rate's denominator ("the
    on-demand price … drop to per hour": money), the first written; None when it names none."""
    low = question.lower()
    for f in reversed(parse_figures(low)):
        if f.unit in DURATION_UNITS or f.unit == "date":
            low = low[: f.start] + " " * (f.end - f.start) + low[f.end :]  # a time given is no measure asked
    low = _CHANGE.sub(" ", _PER_PHRASE.sub(" ", low))
    named = [k for k in kinds_named(low) if k.name != "change"]
    # (in the kind table's order, as the focus phrase is read: "单位性能成本" is a cost, "price of a card" a price)
    return min(named, key=KINDS.index) if named else None
