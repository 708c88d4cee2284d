"""Scoring written calculations (FacTool's format) against a check report's recomputed arithmetic.

Numbers may be written in scientific notation ("6.3×10^23", "1.5e15"). Labelled expressions are often normalised ("1 cup * 180 days" is labelled "1 * 180"), so a calculation is located
in the text by its operands: the numbers of the expression appearing in order, followed closely by the stated
result. A check is about a calculation when its span overlaps that place and its stated value equals the
calculation's (at the precision written) or its span lies inside the calculation; a calculation that cannot be
located is matched by its stated value alone. So the score does not depend on how the checker describes a
relation.
"""

from __future__ import annotations

import re

from assistant.evaluate.cases import CalcCase, Calculation
from assistant.evaluate.scoring import CaseResult
from assistant.models import ArithmeticCheck, CheckReport

_NUMBER = re.compile(
    r"(?P<m>\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s?(?:[×xX*·]\s?10\s?(?:\^|\*\*)\s?|[eE])(?P<exp>[-+]?\d{1,3})(?![\d.]))?"
)  # scientific notation ("6.3×10^23", "1.5e15") is one number
# how far the stated result may follow the last operand ("= ", " cups = ", " is ")
_GAP = 40


def _numbers(text: str) -> list[tuple[float, int, int, str]]:
    out = []
    for m in _NUMBER.finditer(text):
        exp = m.group("exp")
        raw = m.group("m").replace(",", "") + (f"e{exp}" if exp else "")
        try:
            out.append((float(raw), m.start(), m.end(), raw))
        except ValueError:
            continue
    return out


def stated_value(stated: str) -> float | None:
    """The last plain number in a stated result ("$1,941,917.6" -> 1941917.6, "x = 316236" -> 316236)."""
    found = _numbers(stated)
    return found[-1][0] if found else None


def _precision(stated: str) -> float:
    """Half a unit of the last digit written: "1143860" -> 0.5, "3241047.1" -> 0.05."""
    found = _numbers(stated)
    if not found:
        return 0.5
    mantissa, _, exp = found[-1][3].partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 0.5 * 10 ** (int(exp or 0) - decimals)


def calculation_span(text: str, calc: Calculation) -> tuple[int, int] | None:
    """Where ``calc`` is written in ``text``: its operands in order, then its stated result (None: not found)."""
    operands = [n[0] for n in _numbers(calc.expression)]
    result = stated_value(calc.stated)
    if not operands or result is None:
        return None
    tokens = _numbers(text)
    k = len(operands)
    for i in range(len(tokens) - k):
        if [t[0] for t in tokens[i : i + k]] != operands:
            continue
        for t in tokens[i + k : i + k + 2]:
            if t[1] - tokens[i + k - 1][2] > _GAP:
                break
            if abs(t[0] - result) <= _precision(calc.stated):
                return tokens[i][1], t[2]
    return None


_SCALE_WORDS = re.compile(r"万亿|亿|万|千|thousand|million|billion|trillion|\d\s?[KMBT]\b")
_SCALE_OF = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9,
             "trillion": 1e12, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}  # fmt: skip


# a unit's metric prefix: "4.5 exaFLOPS", "1,200 MW", "2 GB", "300 兆瓦" (a check states watts, FLOP/s, bytes)
_PREFIXES = re.compile(
    r"\b(?P<word>exa|peta|tera|giga|mega|kilo)(?=[a-z]*(?:flop|watt|byte|hertz))"
    r"|(?<![A-Za-z])(?P<letter>[kMGTPE])(?=FLOP|W(?:h)?\b|B\b|bps\b|Hz\b)"
    r"|(?P<han>千|兆|吉|太)(?=瓦|字节)",
    re.IGNORECASE,
)
_PREFIX_OF = {"kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12, "peta": 1e15, "exa": 1e18,
              "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
              "千": 1e3, "兆": 1e6, "吉": 1e9, "太": 1e12}  # fmt: skip


def _scales(text: str) -> set[float]:
    """The scales written in ``text``: a label may give "900" for "900 万" where a check states 9,000,000, or "4.5"
    for "4.5 exaFLOPS" where a check states 4.5e18 FLOP/s (units are compared in their base unit)."""
    words = {_SCALE_OF[m.group(0)[-1] if m.group(0)[0].isdigit() else m.group(0)] for m in _SCALE_WORDS.finditer(text)}
    prefixes = set()
    for m in _PREFIXES.finditer(text):
        key = m.group("word").lower() if m.group("word") else (m.group("letter") or m.group("han"))
        prefixes.add(_PREFIX_OF[key])
    return {1.0} | words | prefixes


def flagged(text: str, calc: Calculation, checks: list[ArithmeticCheck]) -> bool:
    """Whether an inconsistent check of the report is about ``calc``."""
    value = stated_value(calc.stated)
    span = calculation_span(text, calc)
    scales = _scales(text)
    for check in checks:
        if check.consistent:
            continue
        same_value = value is not None and any(
            abs(check.stated - value * s) <= _precision(calc.stated) * s for s in scales
        )
        if span is None:
            if same_value:
                return True
        elif check.start < span[1] and span[0] < check.end:
            inside = span[0] - 5 <= check.start and check.end <= span[1] + 5
            # a check whose span starts earlier (a chain, "x = 4(9) + 2 = 38") but ends on the same stated result
            same_end = abs(check.end - span[1]) <= 5
            if same_value or inside or same_end:
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
