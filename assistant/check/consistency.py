"""Figures that contradict each other inside the draft: one quantity stated twice with different values."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.check.claims import DraftClaim
from assistant.check.compare import compare_values
from assistant.check.match import same_quantity
from assistant.models import ArithmeticCheck


def restatements(text: str, claims: Sequence[DraftClaim]) -> list[ArithmeticCheck]:
    """Pairs of claims in different sentences that state the same quantity (strong match) with values that
    cannot both be right. Each later statement is reported once, against the first statement it disagrees with."""
    out: list[ArithmeticCheck] = []
    reported: set[int] = set()
    for j, later in enumerate(claims):
        for earlier in claims[:j]:
            if earlier.ctx.sentence == later.ctx.sentence or later.ctx.figure.start in reported:
                continue
            if not later.subjects or later.ctx.figure.unit == "date":
                continue  # without a named subject two figures are too easily about different things
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
