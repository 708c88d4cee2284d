"""Scoring written calculations (FacTool's format) against a check report's recomputed arithmetic.

A labelled calculation is matched to an ``ArithmeticCheck`` by where it is written (the check's span overlaps the
expression-to-result span in the text) and by its stated result (the check's stated value equals it); when the
calculation cannot be found verbatim in the text, the stated value alone decides. So the score does not depend
on how the checker describes a relation.
"""

from __future__ import annotations

import re

from assistant.evaluate.cases import CalcCase, Calculation
from assistant.evaluate.scoring import CaseResult
from assistant.models import ArithmeticCheck, CheckReport

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def stated_value(stated: str) -> float | None:
    """The last plain number in a stated result ("$1,941,917.6" -> 1941917.6, "x = 316236" -> 316236)."""
    found = _NUMBER.findall(stated)
    if not found:
        return None
    try:
        return float(found[-1].replace(",", ""))
    except ValueError:
        return None


def calculation_span(text: str, calc: Calculation) -> tuple[int, int] | None:
    """Where ``calc`` is written in ``text``: from its expression to its stated result (None: not found)."""
    start = text.find(calc.expression)
    if start < 0:
        return None
    stated_at = text.find(calc.stated, start + len(calc.expression))
    end = stated_at + len(calc.stated) if 0 <= stated_at <= start + len(calc.expression) + 40 else start + len(
        calc.expression
    )
    return start, end


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6 * max(abs(a), abs(b)), 0.005)


def flagged(text: str, calc: Calculation, checks: list[ArithmeticCheck]) -> bool:
    """Whether an inconsistent check of the report is about ``calc``."""
    value = stated_value(calc.stated)
    span = calculation_span(text, calc)
    for check in checks:
        if check.consistent:
            continue
        same_value = value is not None and _same(check.stated, value)
        if span is None:
            if same_value:
                return True
        elif check.start < span[1] and span[0] < check.end and (same_value or value is None):
            return True
    return False


def score_calculations(case: CalcCase, report: CheckReport) -> CaseResult:
    """Every wrong calculation flagged and no right one: counts ``wrong``, ``wrong_flagged``, ``right``,
    ``right_flagged`` go into the totals."""
    wrong = [c for c in case.calculations if not c.right]
    right = [c for c in case.calculations if c.right]
    wrong_flagged = sum(flagged(case.text, c, report.arithmetic) for c in wrong)
    right_flagged = sum(flagged(case.text, c, report.arithmetic) for c in right)
    passed = wrong_flagged == len(wrong) and right_flagged == 0
    missed = [f"{c.expression} = {c.stated}" for c in wrong if not flagged(case.text, c, report.arithmetic)]
    false = [f"{c.expression} = {c.stated}" for c in right if flagged(case.text, c, report.arithmetic)]
    detail = "; ".join(
        x for x in (f"missed {' | '.join(missed)}" if missed else "", f"flagged right {' | '.join(false)}" if false else "")
        if x
    )
    return CaseResult(
        id=case.id,
        type="calc",
        passed=passed,
        checks={"all_wrong_flagged": wrong_flagged == len(wrong), "no_right_flagged": right_flagged == 0},
        counts={"wrong": len(wrong), "wrong_flagged": wrong_flagged, "right": len(right), "right_flagged": right_flagged},
        outcome=f"{len(report.arithmetic)} relation(s), {sum(not a.consistent for a in report.arithmetic)} inconsistent",
        detail=detail,
    )
