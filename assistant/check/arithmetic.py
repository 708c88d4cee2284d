"""The draft's own arithmetic: the relations its figures imply, recomputed exactly.

Each relation is computed in one place:

- sums and averages of a list, and the breakdown of a total: ``implied``;
- a rate times a count ("$3,000 per GPU × 1,200 GPUs"), several counts ("每卡每小时 2 美元 × 2048 张 × 30 天"), GPUs ×
  duration = GPU hours: ``rates``;
- changes from X to Y, or between one quantity said twice (percent, points, multiples, compound growth), one
  figure restated in another scale: ``changes``; a figure restated per another period or in another unit of time:
  ``rates``;
- shares of a part in its whole, the whole or part a share implies, margins: ``shares`` (whether the sentence's
  words bind the figures at all: ``clauses``);
- speed-ups ("30% faster, so 770 GPUs instead of 1,000") and "A is N times B": ``multiples``;
- comparisons of two named subjects ("A 的价格比 B 低 50%", "X is 30% cheaper than Y"), each name bound to its own
  figure: ``named``; a range computed from a range, end by end: ``ranges``; fractions in words, discounts and
  shares of a whole said the sentence before: ``parts``.

A stated result is right when it equals the exact result rounded to the digits written (after a hedge, 1% more),
within what the operands' own rounding allows (``recompute``). Calculations the draft writes out ("2048 × 60 × 24 =
2,949,120") are read by ``written``; their figures take part in no relation here.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.check.context import FigureContext
from assistant.check.implied import find_implied
from assistant.models import ArithmeticCheck


def find_relations(
    text: str,
    contexts: Sequence[FigureContext],
    sentences: Sequence[tuple[int, int]],
    skip: Sequence[tuple[int, int]] = (),
) -> list[ArithmeticCheck]:
    """Every arithmetic relation the draft implies between its own figures, recomputed. Figures inside the
    ``skip`` spans (calculations the draft writes out, checked on their own) take part in none. ``contexts``
    (the claims' figures) are not needed: relations read the sentence's own quantities."""
    del contexts
    checks = [check for check, _, _ in find_implied(text, sentences, skip)]
    checks.sort(key=lambda c: c.start)
    return checks
