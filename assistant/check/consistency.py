"""Figures that contradict each other inside the draft: one quantity stated twice with different values.

Two figures are one quantity only when they are about the same subject: "Charlie's cluster has 3x as many GPUs ...
James's cluster has 4x as many" states two quantities. When each clause names someone the other does not
(entities, capitalised words the draft never writes in lower case, organisations such as "乙公司"), the figures
are about different subjects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.check.claims import DraftClaim
from assistant.check.compare import compare_values
from assistant.check.context import FigureContext
from assistant.check.match import same_quantity
from assistant.models import ArithmeticCheck

_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9-]*[A-Za-z0-9]")
_ORG_ZH = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:公司|集团|团队|实验室|大学|研究院|厂商)")


def _names(text: str, ctx: FigureContext, lower_words: set[str]) -> set[str]:
    """Who or what the figure's clause names: its entities, capitalised words that the draft never uses in
    lower case (so "Charlie" counts, a sentence-initial "The" does not), and Chinese organisation names."""
    clause = text[ctx.clause[0] : ctx.clause[1]]
    names = {e.key for e in ctx.clause_entities}
    names |= {w.lower() for w in _CAPITALISED.findall(clause) if w.lower() not in lower_words}
    names |= set(_ORG_ZH.findall(clause))
    return names


def restatements(
    text: str, claims: Sequence[DraftClaim], skip: Sequence[tuple[int, int]] = ()
) -> list[ArithmeticCheck]:
    """Pairs of claims in different sentences that state the same quantity (strong match) with values that
    cannot both be right. Each later statement is reported once, against the first statement it disagrees with.
    Claims inside the ``skip`` spans (written calculations) are left out: a step of a calculation restates
    nothing."""
    out: list[ArithmeticCheck] = []
    reported: set[int] = set()
    lower_words = set(re.findall(r"\b[a-z][a-z0-9'’-]*", text))
    claims = [c for c in claims if not any(a <= c.ctx.figure.start < b for a, b in skip)]
    for j, later in enumerate(claims):
        for earlier in claims[:j]:
            if earlier.ctx.sentence == later.ctx.sentence or later.ctx.figure.start in reported:
                continue
            if not later.subjects or later.ctx.figure.unit == "date":
                continue  # without a named subject two figures are too easily about different things
            a_names, b_names = _names(text, earlier.ctx, lower_words), _names(text, later.ctx, lower_words)
            if a_names - b_names and b_names - a_names:
                continue  # each names someone the other does not: different subjects
            m = same_quantity(later.ctx, earlier.ctx, later.subjects)
            if m.strength != "strong" or m.entity_level not in {"clause", "sentence"}:
                continue
            if compare_values(later.ctx.figure, earlier.ctx.figure) != "mismatch":
                continue
            a, b = earlier.ctx.figure, later.ctx.figure
            start, end = earlier.ctx.sentence[0], later.ctx.sentence[1]
            reported.add(b.start)
            out.append(
                ArithmeticCheck(
                    text=text[start:end],
                    start=start,
                    end=end,
                    relation="restatement",
                    stated=b.value,
                    computed=a.value,
                    consistent=False,
                    explanation=f"The draft gives {later.subject_text or 'this quantity'} as {a.text.strip()} "
                    f"and later as {b.text.strip()}.",
                )
            )
    return out
