"""Wrong figures the checker must not pass: a scale word for another, a change in percent for one in points, a
period read from a table's header or taken from a comparison's base year, and "by X to Y" read as a range."""

from __future__ import annotations

import pytest

from assistant.check.compare import compare_values, scale_error
from assistant.check.context import Period, comparison_base, header_periods
from assistant.check.match import points_for_percent
from tools.figures import parse_figures


def _fig(text: str):
    return parse_figures(text)[0]


@pytest.mark.parametrize(
    ("claim", "source", "outcome"),
    [
        ("$455 million", "$455 billion", "mismatch"),  # both write their scale: the scale is wrong
        ("17.74 万元", "17.74 亿元", "mismatch"),
        ("18 billion tokens", "18 trillion tokens", "mismatch"),
        ("$455 million", "455", "compatible"),  # the source lost its scale word: no say
        ("3550", "3550亿", "compatible"),
        ("$455 billion", "455 billion dollars", "match"),
    ],
)
def test_scale_words(claim: str, source: str, outcome: str) -> None:
    assert compare_values(_fig(claim), _fig(source)) == outcome


@pytest.mark.parametrize(
    ("claim", "source", "expected"),
    [
        ("$455 million", "$455 billion", True),
        ("4.55 亿美元", "455 million dollars", False),  # the same value
        ("32B", "32K", False),  # a millionfold apart: not one scale word for another
        ("455", "$455 billion", False),
    ],
)
def test_scale_error(claim: str, source: str, expected: bool) -> None:
    assert scale_error(_fig(claim), _fig(source)) is expected


@pytest.mark.parametrize(
    ("claim", "source", "outcome"),
    [
        ("2.94%", "2.94 个百分点", "mismatch"),  # the source's change in points, called a percent change
        ("2.94%", "-2.94 个百分点", "mismatch"),  # signs are directions, compared by the words
        ("+4.6 pts", "4.6%", "mismatch"),
        ("4.4%", "2.94 个百分点", "compatible"),  # perhaps the relative change: no say
        ("2.94%", "2.94%", None),  # not a pair of percent and points
    ],
)
def test_points_for_percent(claim: str, source: str, outcome: str | None) -> None:
    assert points_for_percent(_fig(claim), _fig(source)) == outcome


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("fell by 2.94% in 2024 to 63.72%", [("2.94%", "percent"), ("2024", "date"), ("63.72%", "percent")]),
        ("rose by 4.6% to 13.0%", [("4.6%", "percent"), ("13.0%", "percent")]),
        ("between 12% to 18%", [("12% to 18%", "percent")]),
    ],
)
def test_change_then_level_is_no_range(text: str, figures: list[tuple[str, str]]) -> None:
    assert [(f.text, f.unit) for f in parse_figures(text)] == figures


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("全年综合毛利率为 63.72%，较 2023 年下降 2.94 个百分点。", True),
        ("revenue rose 5% compared with 2023", True),
        ("margin was lower than in 2023", True),
        ("2024 年营收增长 5%", False),
        ("revenue in 2023 rose", False),
    ],
)
def test_comparison_base(text: str, base: bool) -> None:
    date = next(f for f in parse_figures(text) if f.unit == "date")
    assert comparison_base(text, date) is base


@pytest.mark.parametrize(
    ("header", "periods"),
    [
        ("Microsoft 2023", [Period(202301, 202312, False)]),
        ("Revenue Q2 FY2024", [Period(202401, 202412, True)]),
        ("dc electricity twh 2022", [Period(202201, 202212, False)]),
        ("Meta Change", []),
    ],
)
def test_header_periods(header: str, periods: list[Period]) -> None:
    assert header_periods(header) == periods
