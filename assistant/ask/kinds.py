"""Whether a parsed figure is of the kind a question asks for ("how many GPU hours" wants a GPU-hour figure).

A figure in one of the kind's units answers; a bare number (a table cell, "reached 278") answers when a focus
word of the question, the kind's cue word, its column's header or its section heading stands by it. Among
several, the figure whose clause holds most of the question's key words is taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ask.analyze import AskedKind, match_kind
from assistant.ask.terms import MatchText, Term
from tools.figures import Figure
from tools.units import PRICE_PER_HOUR_UNITS

# A bare number counts for the asked kind when a focus word (or the kind's cue) stands this close.
CUE_WINDOW = 40
_ASKS_RATE = re.compile(
    r"\bper\b|/\s*(?:hr|hour|h)\b|an?\s+hour|hourly|\bprice|\brent|每|单价|价格|租金|租赁|报价|售价|时薪|小时", re.IGNORECASE
)


def asks_rate(question: str) -> bool:
    """Whether a question asks for money per unit ("price per GPU hour", "租金"), not an amount ("training cost")."""
    return bool(_ASKS_RATE.search(question))


# Kinds whose bare numbers need a focus word beside them, not just the kind's generic word.
_NO_GENERIC_CUES = frozenset({"money", "ratio", "percent", "change"})
_CLAUSE_SPLIT = re.compile(
    r"[,;:，；、：]\s*|\s+(?:while|whereas|but|with)\s+|\s+(?:and|or)\s+(?=\W?\d)|以及|并且|而且|或者?"
)


def focus_cues(terms: Sequence[Term]) -> tuple[str, ...]:
    """Words that make a unit-less number answer the question: the focus words ("GPU hours", "单价")."""
    return tuple(f for t in terms if t.focus and not t.name for f in t.forms)


def kind_hit(
    asked: AskedKind,
    figures: Sequence[Figure],
    text: str,
    given: Sequence[float],
    *,
    cues: Sequence[str] = (),
    terms: Sequence[Term] = (),
    header: str = "",
    context: str = "",
    names: Sequence[Term] = (),
    rate_asked: bool = True,
) -> tuple[float, Figure | None]:
    """How well ``figures`` (parsed from ``text``) answer the asked kind.

    (1.0, fig) for a figure in one of the kind's units, (0.8, fig) for a unit-less number with a focus word within
    ``CUE_WINDOW`` characters (or in its column's header, for a table row), (0.6, fig) with only the kind's
    generic word there (not for money and shares, where a bare number by "cost" is too often something else),
    else (0.0, None). Figures equal to
    one the question gives are skipped (the answer is not the number the asker already wrote), and so are zeros.
    Among several, the figure whose clause holds most of the question's key words is taken ("reduces the KV
    cache by 93.3%", not "saves 42.5% of training costs").
    """
    low = text.lower()
    columns = [c.strip().lower() for c in header.strip().strip("|").split("|")] if header else []
    hits: list[tuple[float, Figure]] = []
    for f in figures:
        if f.value == 0 or any(_close(f.value, g) for g in given):
            continue
        if f.unit is None and _other_measure(low, f, columns, asked):
            continue  # a bare number under "Training tokens" is a token count, whatever the question's words
        if f.unit in asked.units and (rate_asked or f.unit not in PRICE_PER_HOUR_UNITS):
            strength = 1.0
        elif f.unit in asked.units:
            strength = 0.6  # "what did training cost": a price per GPU hour is a premise, not the amount
        elif f.unit is None and cues and (_cued(low, f, cues, columns) or _any_in(context, cues)):
            strength = 0.8
        elif f.unit is None and asked.name not in _NO_GENERIC_CUES and _cued(low, f, asked.cues, columns):
            strength = 0.6  # only the kind's generic word ("weeks", "TFLOPS") stands by it
        else:
            continue
        named = NAMED_CLAUSE * _named_before(text, f, names)
        hits.append((strength * (0.5 + _clause_coverage(text, f, terms) + named), f))
    if not hits:
        return 0.0, None
    score, best = max(hits, key=lambda h: h[0])
    if best.unit in asked.units and (rate_asked or best.unit not in PRICE_PER_HOUR_UNITS):
        return 1.0, best
    cued = cues and (_cued(low, best, cues, columns) or _any_in(context, cues))
    return (0.8 if cued else 0.6), best


def _other_measure(low: str, f: Figure, columns: Sequence[str], asked: AskedKind) -> bool:
    """Whether the column of a table row's figure names a measure of another kind than the one asked."""
    column = _column_of(low, f, columns)
    found = match_kind(column) if column else None
    return found is not None and found.name != asked.name


def _column_of(low: str, f: Figure, columns: Sequence[str]) -> str:
    if not columns:
        return ""
    col = low[: f.start].lstrip().lstrip("|").count("|")
    return columns[col] if col < len(columns) else ""


def _any_in(text: str, cues: Sequence[str]) -> bool:
    return bool(text) and any(cue in text for cue in cues)


def _cued(low: str, f: Figure, cues: Sequence[str], columns: Sequence[str]) -> bool:
    window = low[max(0, f.start - CUE_WINDOW) : f.end + CUE_WINDOW]
    if any(cue in window for cue in cues):
        return True
    column = _column_of(low, f, columns)
    return bool(column) and any(cue in column for cue in cues)


# A figure whose part of the sentence names the asked thing ("while GLM-4.5-Air adopts ... 12 billion active
# parameters") beats one of the same kind in a part naming something else.
NAMED_CLAUSE = 0.3
_PART_SPLIT = re.compile(r"[;；。]\s*|[,，]\s*(?:while|whereas|but)\s+|\s+(?:while|whereas)\s+|而|但")


def _named_before(text: str, f: Figure, names: Sequence[Term]) -> bool:
    """Whether one of the question's names stands in the part of the sentence that leads up to ``f``."""
    if not names:
        return False
    lo = max((m.end() for m in _PART_SPLIT.finditer(text, 0, f.start)), default=0)
    part = MatchText(text[lo : f.start])
    return any(part.has(t) for t in names)


def _clause_coverage(text: str, f: Figure, terms: Sequence[Term]) -> float:
    """Weighted share of the key terms in the clause holding the figure ("119K GPU hours for the context length
    extension" vs "5K GPU hours for post-training")."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    lo = max((m.end() for m in _CLAUSE_SPLIT.finditer(text, 0, f.start)), default=0)
    m = _CLAUSE_SPLIT.search(text, f.end)
    clause = MatchText(text[lo : m.start() if m else len(text)])
    return sum(t.weight for t in terms if clause.has(t)) / total


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
