"""Whether a source figure's evidence is specific to the quantity the claim states, from the words that say what
is measured rather than whose figure it is.

A claim names what it measures with a name of its own ("MMLU", "C-Eval", "RewardBench", "bfloat16"): a word
written as a name (two capitals or a digit) that is none of its subjects and no unit word. A source figure whose table row,
column header or own stretch of sentence repeats that name measures the same thing; a figure of the same
model beside which the name is missing, while another figure carries it, measures something else (the
Arena-Hard row under an MMLU claim). And an amount of money or a percentage is said of many quantities of
one firm (a round, a valuation, the total raised; a quarter's revenue and a year's): only wording that lines
up with the claim's, not the metric word alone, lets such a figure contradict it. Where a change starts ("from
70.2%") is never the figure where it ends ("to 77.7%").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.check.compare import unit_group
from assistant.check.context import FigureContext
from assistant.check.entities import find_entities
from assistant.check.lexicon import find_concepts
from assistant.check.match import names_measured, parties
from assistant.text import CHANGED_TO
from tools.units import CURRENCY_CODES, match_unit

if TYPE_CHECKING:
    from assistant.check.claims import DraftClaim
    from assistant.check.judge import Candidate

# A word written as a name: a digit with letters ("GSM8K", "bfloat16"), or two capitals ("MMLU", "HumanEval").
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-])\d[\d,.]*(?![A-Za-z0-9])")
_OWNERS = {"model", "company", "org", "chip", "name"}
_BEFORE = 60  # characters of a source sentence before its figure that may name what the figure measures
_AFTER = 30  # "... 70.1 on HumanEval"
# Kinds of amount that many quantities of one subject share, so that the metric word alone does not tie two
# figures together (a funding round and the total raised are both "raised"; a quarter's revenue and a year's).
_LOOSE_UNITS = CURRENCY_CODES | {"percent"}
_LOOSE_ALIGN = 0.35  # below the alignment of a weakly matching sentence: the words around the figure differ
_LOOSE_LABEL = 0.5


def measure_names(claim: DraftClaim) -> list[str]:
    """The claim's names of what it measures: its words written as names that are none of its subjects (models,
    firms, chips, index names; a product only beside a model or firm) in its figure's own words ("MMLU" in
    "Granite-3.0-8B-Instruct posted an MMLU score of 68.27"): the whole sentence when it states one figure,
    else the figure's clause up to it and the words right after it."""
    ctx = claim.ctx
    s0 = ctx.sentence[0]
    text = ctx.sentence_text
    owners = [e for e in [*claim.subjects, *ctx.sentence_entities] if e.cls in _OWNERS]
    if not any(e.cls in _OWNERS - {"chip"} for e in claim.subjects):
        # "3FS" alone: the product is whose figure it is
        owners += [e for e in claim.subjects if e.cls == "product"]
    # a word right beside a name is part of it ("H800 SXM5", "Qwen3 MoE"); a model named as a baseline is an owner
    # too ("高于 GPT-3.5-Turbo-0613")
    owned = [(e.start - s0 - 1, e.start - s0 + len(e.surface) + 2) for e in owners]
    others = [e for e in find_entities(text) if e.cls in _OWNERS]
    owned += [(e.start - 1, e.start + len(e.surface) + 2) for e in others]
    owner_words = {w.casefold() for e in [*owners, *others] for w in _WORD.findall(e.surface)}
    at, end = ctx.figure.start - s0, ctx.figure.end - s0
    if ctx.masked.count("#") <= 1:
        lo, hi = 0, len(text)
    else:
        lo = max(0, ctx.clause[0] - s0)
        hi = end + len(_after(text, end, ctx.clause[1] - s0))
    out: list[str] = []
    for m in _WORD.finditer(text, lo, hi):
        word = m.group()
        if not _written_as_name(word) or word.casefold() in owner_words or _unit_word(word):
            continue
        if any(a <= m.start() < b or a < m.end() <= b for a, b in [*owned, (at, end)]):
            continue
        out.append(word.casefold())
    return list(dict.fromkeys(out))


def _unit_word(word: str) -> bool:
    """A unit or metric word the vocabulary knows ("GPU", "GB", "TFLOPS"): it says the kind, not the measure."""
    unit = match_unit(word, 0)
    return (unit is not None and unit[2] == len(word)) or bool(find_concepts(word))


def _written_as_name(word: str) -> bool:
    letters = sum(ch.isalpha() for ch in word)
    if letters < 2:
        return False
    return any(ch.isdigit() for ch in word) or sum(ch.isupper() for ch in word) >= 2


def names_where_measured(names: Sequence[str], source: FigureContext, *, tight: bool = False) -> bool:
    """Whether the words that label ``source``'s figure name one of ``names``: a cell's header and its row up to
    the cell, or its clause up to it and the words right after it. ``tight``: for a sentence, only the words
    since the figure before it, so the name is said of this figure first ("GSM8K 由 60.3 提高到 72.4" names the
    60.3)."""
    label = _label_text(source, tight=tight).casefold()
    return any(n in label for n in names)


def names_anywhere(names: Sequence[str], source: FigureContext) -> bool:
    hay = f"{source.sentence_text} {source.header}".casefold()
    return any(n in hay for n in names)


def _label_text(source: FigureContext, *, tight: bool = False) -> str:
    s0 = source.sentence[0]
    text = source.sentence_text
    at, end = source.figure.start - s0, source.figure.end - s0
    if source.header:
        return f"{source.header} {text[:at]}"
    # the figure's clause up to it ("GSM8K的测试精度从 70.2% 提升至 77.7%"), and the words right after it
    # ("70.1 on HumanEval")
    before = text[max(0, source.clause[0] - s0, at - _BEFORE) : at]
    if tight and (numbers := list(_NUMBER.finditer(before))):
        cut = numbers[-1].end()
        if _CHANGE_TO.fullmatch(before[cut:]):
            # "GSM8K 由 60.3 提高到 72.4": where a change ends is labelled by the words before where it started
            cut = numbers[-2].end() if len(numbers) > 1 else 0
        before = before[cut:]
    return f"{before} {_after(text, end, source.clause[1] - s0)}"


_CHANGE_TO = re.compile(rf"\s*%?\s*{CHANGED_TO}了?\s*", re.I)
_CHANGE_FROM = re.compile(rf"\s*{CHANGED_TO}了?\s*\d", re.I)


def is_change_start(ctx: FigureContext) -> bool:
    """The figure is where a change started: "60.3" in "由 60.3 提高到 72.4", "70.2%" in "from 70.2% to 77.7%"."""
    end = ctx.figure.end - ctx.sentence[0]
    return _CHANGE_FROM.match(ctx.sentence_text, end) is not None


def is_change_end(ctx: FigureContext) -> bool:
    """The figure is where a change ended: "77.7%" in "from 70.2% to 77.7%"."""
    s0 = ctx.sentence[0]
    before = ctx.sentence_text[max(0, ctx.figure.start - s0 - 16) : ctx.figure.start - s0]
    numbers = list(_NUMBER.finditer(before))
    return bool(numbers) and _CHANGE_TO.fullmatch(before[numbers[-1].end() :]) is not None


def same_role(claim: FigureContext, source: FigureContext) -> bool:
    """Where a change started is stated only by a start, where it ended not by a start."""
    if is_change_start(claim):
        return not is_change_end(source)
    return not is_change_start(source)


# What follows a figure stops being about it at the next figure, the clause's end or a joining word.
_STOP = re.compile(r"\s(?:and|against|versus|vs\.?|while|compared)\s|[和及与、，,;；]|(?<![A-Za-z0-9.\-])\d")


def _after(text: str, end: int, clause_end: int) -> str:
    after = text[end : min(end + _AFTER, max(end, clause_end))]
    stop = _STOP.search(after)
    return after[: stop.start()] if stop else after


def refine(claim: DraftClaim, candidates: list[Candidate]) -> None:
    """Adjust the candidates' strength (in place) by whether they name what the claim measures (module doc)."""
    names = measure_names(claim)
    if not names:
        return
    hits = {
        id(c)
        for c in candidates
        if names_where_measured(names, c.source.ctx) and same_role(claim.ctx, c.source.ctx)
    }
    for c in candidates:
        c.measured = id(c) in hits
        if c.measured:
            first = bool(c.source.ctx.header) or names_where_measured(names, c.source.ctx, tight=True)
            if first and c.match.strength == "weak" and c.match.entity_level != "none":
                # the claim's subject owns the figure and its row or words name the claim's measure
                c.match.strength = "strong"
        elif (
            c.match.strength == "strong"
            and c.outcome == "mismatch"
            and (hits or not names_anywhere(names, c.source.ctx))
            and c.match.counted == 0
        ):
            c.match.strength = "weak"  # another figure is the measured one, or nothing here names it
    candidates.sort(key=lambda c: -c.score)


def addressed(claim: DraftClaim, src: FigureContext) -> bool:
    """A table cell whose row and column together name every one of the claim's two or more names ("MiniMax-M1-80K
    on LongBench-v2" for the LongBench-v2 row under the MiniMax-M1-80K column): the cell is that pair's figure."""
    names = {e.surface.casefold() for e in claim.subjects}
    return len(names) >= 2 and all(_compact(n) in _compact(src.header.casefold()) for n in names)


def _compact(text: str) -> str:
    return re.sub(r"[\s*_`\-]+", "", text)


def specific_enough(claim: DraftClaim, cand: Candidate) -> bool:
    """A strong mismatch may contradict: except a table cell whose row and header share no word with a claim
    figure written without a unit, and an amount or percentage whose words do not line up with the claim's (module doc)."""
    m = cand.match
    if m.counted > 0 or cand.measured:
        return True
    src = cand.source.ctx
    unitless = claim.ctx.figure.unit is None
    if src.header and unitless and m.label == 0 and not names_measured(claim.ctx, src) and not addressed(claim, src):
        return False  # the embedder likes any row of the model's table ("| BBH |" for "80 层")
    if unit_group(claim.ctx.figure.unit) in _LOOSE_UNITS:
        # two named parties in the source figure's own clause tie it to the claim's ("Microsoft put $1 billion
        # into OpenAI" against "微软向OpenAI追加投资100亿美元")
        tied = m.entity_level == "clause" and len(parties(claim.subjects)) >= 2
        return tied or m.align >= _LOOSE_ALIGN or m.label >= _LOOSE_LABEL
    return True
