"""What a bare number counts, as lexicon concept ids shared by both languages.

A draft names it by the noun right after the figure ("512 个专家", "24 layers", "40 attention heads"); a source by
the label it gives the figure (a table cell's row label and column header, "| **Number of Experts** | 384 |", or
the words before it, "**Layers:** 64") or by its own noun after it. Two unit-less figures of one subject that
count the same thing, and nothing else, are the same quantity even across languages.
"""

from __future__ import annotations

import re

from assistant.check.context import FigureContext
from assistant.check.headers import label_terms
from assistant.check.lexicon import concept_kind, concept_terms, find_concepts

# Chinese measure words between a number and what it counts ("512 个专家").
_MEASURE = "个名家张块次位项种台座条枚件只"
# One-character nouns counted directly ("48 层"); as plain words they are too ambiguous for the lexicon.
_BARE_NOUNS = {"层": "layers", "步": "steps"}
# Where the counted noun ends: a number, punctuation, or an English preposition.
_NOUN_END = re.compile(
    r"[\d，。；、,.;:()（）\[\]|*的在为]|\s(?:for|of|on|in|at|with|and|per|to|from|by|as)\b"
)
_AFTER = 24
_LABEL_BEFORE = 40
_AFTER_NUMBER = re.compile(r"(?<![A-Za-z])\d[\d.,%]*")  # not the digits of a name ("BF16", "H20")


# "MoE Hidden Dimension (per Expert)": what follows "per"/"每" divides the quantity, it is not what is counted
_PER = re.compile(r"\bper\s+\w+|每个?\s*\S{1,4}", re.IGNORECASE)


# Nouns that say what a number counts but, as words anywhere in a sentence, would say too little about what it
# measures ("gradient_accumulation_steps"): recognised only right beside a figure or as its label.
_COUNTED_ONLY: dict[str, tuple[re.Pattern[str], str, str]] = {
    "steps": (re.compile(r"(?<![A-Za-z_])steps?\b|步数", re.I), "steps", "步数"),
    "checkpoints": (re.compile(r"(?<![A-Za-z_])checkpoints?\b|检查点", re.I), "checkpoints", "检查点"),
    # "employs around 350 people" / "550 名员工": people a firm counts are its headcount
    "headcount": (re.compile(r"(?<![A-Za-z_])(?:people|persons)\b", re.I), "employees", "员工"),
}


def _objects(text: str) -> set[str]:
    text = _PER.sub(" ", text)
    found = {c for c in find_concepts(text) if concept_kind(c) == "object"}
    return found | {cid for cid, (rx, _, _) in _COUNTED_ONLY.items() if rx.search(text)}


def counted_terms(cid: str) -> tuple[str, str]:
    """A counted concept as an English and a Chinese query term."""
    if cid in _COUNTED_ONLY:
        return _COUNTED_ONLY[cid][1], _COUNTED_ONLY[cid][2]
    return concept_terms(cid)


def counted_noun(ctx: FigureContext) -> set[str]:
    """The object concepts of the noun right after ``ctx``'s figure, within its clause."""
    s0 = ctx.sentence[0]
    fig = ctx.figure
    end = min(ctx.clause[1], fig.end + _AFTER)
    after = ctx.sentence_text[fig.end - s0 : end - s0].lstrip()
    if after[:1] and after[0] in _MEASURE:
        after = after[1:].lstrip()
    if after[:1] in _BARE_NOUNS:
        return {_BARE_NOUNS[after[0]]}
    m = _NOUN_END.search(after)
    return _objects(after[: m.start()] if m else after)


def source_label(ctx: FigureContext) -> str:
    """What a source names its figure by: a table cell's row and header, else the words just before it
    ("Embedding Size:")."""
    if ctx.header:
        # in the words of either language: "研发费用（亿元）" is the claim's "R&D spending"
        return f"{ctx.header} {label_terms(ctx.header)}".rstrip()
    s0 = ctx.sentence[0]
    lo = max(s0, ctx.figure.start - _LABEL_BEFORE)  # not just the clause: "Embedding Size: 6,144" breaks at ":"
    # ... but not past another figure: in "Heads: 48 for queries, 8 for keys" the 8 is labelled "for keys"
    return _AFTER_NUMBER.split(ctx.sentence_text[lo - s0 : ctx.figure.start - s0])[-1]


def source_count_label(ctx: FigureContext) -> tuple[set[str], int]:
    """(object concepts of what a source figure counts, how many words its label has): a table cell by its row
    label and header, else the words just before the figure (back to the previous number) and its noun after."""
    label = ctx.header or source_label(ctx)
    words = len(re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]", label))
    if ctx.header:
        return _objects(label), words
    # a noun right after the figure says what it counts; else the key before it ("**Layers:** 64")
    return counted_noun(ctx) or _objects(label), words


def compare_counts(own: set[str], claim: FigureContext, source: FigureContext) -> tuple[bool, float]:
    """How the claim's counted thing ``own`` (``counted_noun(claim)``, worked out once per claim) stands to a
    source figure's: (they visibly count different things: "48 层" against "Parameters: 314B"; a closeness in
    (0, 1] when both count the one named thing, preferring the source label saying least besides it: "Number of
    Experts" over "Number of Shared Experts", else 0)."""
    if not own or claim.figure.unit is not None or source.figure.unit is not None:
        return False, 0.0
    theirs, words = source_count_label(source)
    if theirs == own:
        return False, 1.0 / max(words, 1)
    return bool(theirs) and not own & theirs, 0.0
