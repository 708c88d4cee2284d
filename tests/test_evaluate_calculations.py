"""The written-calculation scorer: numbers in scientific notation, checks whose span starts before the label."""

from __future__ import annotations

import pytest

from assistant.evaluate.calculations import calculation_span, flagged, stated_value
from assistant.evaluate.cases import Calculation
from assistant.models import ArithmeticCheck


@pytest.mark.parametrize(
    ("stated", "value"),
    [
        ("6.3×10^23", 6.3e23),
        ("1.5e15 FLOP", 1.5e15),
        ("2 x 10^9", 2e9),
        ("3.2 * 10**4", 32000.0),
        ("$1,941,917.6", 1941917.6),
        ("x = 316236", 316236.0),
        ("10 x 5", 5.0),
    ],
)
def test_stated_value_reads_scientific_notation(stated: str, value: float) -> None:
    assert stated_value(stated) == value


def test_a_result_in_scientific_notation_is_located() -> None:
    calc = Calculation(expression="6 * 1.05e23", stated="6.3×10^23", right=False)
    assert calculation_span("6 * 1.05e23 = 6.3×10^23 FLOP", calc) == (0, 23)


def _check(text: str, part: str, stated: float) -> ArithmeticCheck:
    start = text.index(part)
    return ArithmeticCheck(
        text=part, start=start, end=start + len(part), relation="written", stated=stated, computed=0.0,
        consistent=False, explanation="",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "calc", "part", "stated", "expected"),
    [
        # a stated result in scientific notation, checked at the same precision
        (
            "6 * 1.05e23 = 6.3×10^23 FLOP",
            ("6 * 1.05e23", "6.3×10^23"),
            "6 * 1.05e23 = 6.3×10^23",
            6.3e23,
            True,
        ),
        # the check starts at the chain's beginning and ends on the labelled result
        ("p = 4(99) + 22 = 396 + 22 = 419", ("396 + 22", "419"), "4(99) + 22 = 396 + 22 = 419", 419.0, True),
        # a check on another result of the same text is not about this one
        ("a = 2 + 3 = 5 and 7 + 1 = 9", ("7 + 1", "9"), "2 + 3 = 5", 5.0, False),
        # a label written without the text's scale word ("900" for "900 万") is the check's 9,000,000
        ("注册用户从 300 万翻了一番，达到 900 万。", ("300 * 2", "900"), "300 万翻了一番，达到 900 万", 9.0e6, True),
        ("注册用户从 300 万翻了一番，达到 900 万。", ("300 * 2", "900"), "300 万翻了一番，达到 900 万", 9.0e5, False),
        ("Revenue rose to 900 this year.", ("300 * 2", "900"), "900", 9.0e6, False),
        # a label written in the draft's prefixed unit ("4.5" for "4.5 exaFLOPS") is the check's value in base units
        (
            "It delivers 4,500 TFLOPS, i.e. 4.5 exaFLOPS.",
            ("4500 / 1e6", "4.5"),
            "4,500 TFLOPS, i.e. 4.5 exaFLOPS",
            4.5e18,
            True,
        ),
        ("园区用电 1.2 吉瓦，即 12,000 兆瓦。", ("1.2 * 1000", "12000"), "1.2 吉瓦，即 12,000 兆瓦", 1.2e10, True),
        # a prefix letter that is no unit's ("Series M", "a 4.5 rating") gives no scale
        ("Series M raised 4.5 this year.", ("9 / 2", "4.5"), "4.5", 4.5e6, False),
    ],
)
def test_flagged(text: str, calc: tuple[str, str], part: str, stated: float, expected: bool) -> None:
    c = Calculation(expression=calc[0], stated=calc[1], right=False)
    assert flagged(text, c, [_check(text, part, stated)]) is expected
