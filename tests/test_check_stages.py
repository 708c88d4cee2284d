"""Stages of one quantity in a sentence, changes derived from a source's two levels, and the one reading of
"from/by X to Y is a change, not a range"."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.check.claims import find_claims
from assistant.check.context import FigureContext, build_contexts
from assistant.check.derived import derive
from assistant.check.evidence import SourceFigure
from assistant.check.figures import read_figures
from assistant.check.stages import is_change, is_part, source_is_base, stage_pairs
from assistant.text import split_sentences
from tools.figures import change_not_range, parse_figures


@pytest.mark.parametrize(
    ("lead", "after", "change"),
    [
        ("grew from ", "", True),
        ("营收从 ", "", True),
        ("rose by ", "", True),
        ("swelled by about $", "", True),
        ("prices range from $", "", False),
        ("anywhere from ", "", False),
        ("从 ", " 不等", False),
        ("multiplied by ", "", False),
        ("takes ", "", False),
    ],
)
def test_change_not_range(lead: str, after: str, change: bool) -> None:
    assert change_not_range(lead, after) is change


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("from 29 to 119 languages", []),
        ("rose by 4.6% to 13.0%", []),
        ("价格从 2 到 4 美元", []),
        ("从 3 到 5 周不等", ["3 到 5 周"]),
        ("prices range from $2 to $4", ["$2 to $4"]),
        ("3到5年", ["3到5年"]),
    ],
)
def test_figure_ranges_follow_the_shared_reading(text: str, ranges: list[str]) -> None:
    assert [f.text for f in parse_figures(text) if f.low is not None] == ranges


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("The context length doubled from 64K to 128K tokens.", [("64K", "128K tokens")]),
        (
            "The models handle 256K tokens natively, extendable to 1 million tokens.",
            [("256K tokens", "1 million tokens")],
        ),
        ("Its data spans 96 languages, up from 36 for the last release.", [("36", "96")]),
        ("上下文长度由上一代的 32K 提升到 128K。", [("32K", "128K")]),
        ("Net margin improved to 15.8% from 12.2% in 2023.", [("12.2%", "15.8%")]),
        # a change and the level it reached are no two stages; nor are two subjects compared
        ("Gross margin rose 3.4% to 41.3%.", []),
        ("Headcount increased by 1,360 to 6,480.", []),
        ("It scored 65.8, compared to 38.8 for the other model.", []),
        ("Revenue grew 48.6% to $8.42 billion.", []),
    ],
)
def test_stage_pairs(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(p.base.text, p.target.text) for p in stage_pairs(text)] == pairs


@pytest.mark.parametrize(
    ("text", "figure", "change"),
    [
        ("Revenue grew 48.6% to $8.42 billion.", "48.6%", True),
        ("营收同比增长 45.9%，达到 63.8 亿元。", "45.9%", True),
        ("Headcount increased by 1,360 to 6,480.", "1,360", True),
        ("Headcount increased by 1,360 to 6,480.", "6,480", False),
        ("It handles 256K tokens natively.", "256K tokens", False),
    ],
)
def test_is_change(text: str, figure: str, change: bool) -> None:
    fig = next(f for f in read_figures(text) if f.text == figure)
    assert is_change(text, fig) is change


def _contexts(text: str) -> dict[str, FigureContext]:
    return {c.figure.text: c for c in build_contexts(text, read_figures(text), split_sentences(text))}


@pytest.mark.parametrize(
    ("text", "figure", "year"),
    [
        ("Revenue came to $8.42 billion, compared with $5.31 billion in 2023.", "$8.42 billion", None),
        ("Revenue came to $8.42 billion, compared with $5.31 billion in 2023.", "$5.31 billion", 2023),
        ("公司综合毛利率为 28.4%，2023 年为 31.7%。", "28.4%", None),
        ("公司综合毛利率为 28.4%，2023 年为 31.7%。", "31.7%", 2023),
        ("In 2024, revenue came to $8.42 billion.", "$8.42 billion", 2024),
        # a figure dated "the year before" counts back from the sentence's date, whoever's clause holds it
        ("甲骨文预计 2026 财年资本开支约为 350 亿美元，而上一财年为 122 亿美元。", "122 亿美元", 2025),
    ],
)
def test_a_date_of_another_figure_does_not_date_this_one(text: str, figure: str, year: int | None) -> None:
    periods = _contexts(text)[figure].periods
    assert ([p.low // 100 for p in periods] or [None]) == [year]


@pytest.mark.parametrize(
    ("text", "figure", "part"),
    [
        ("公司共运营 11 个算力中心，其中 4 个位于西部地区。", "4", True),
        ("公司共运营 11 个算力中心，其中 4 个位于西部地区。", "11", False),
        ("It ran 14 data centers, 9 of them in North America.", "9", True),
        ("It has 22 offices, including 7 in Europe.", "7", True),
        ("It ran 9 data centers at the end of 2024.", "9", False),
    ],
)
def test_is_part(text: str, figure: str, part: bool) -> None:
    assert is_part(_contexts(text)[figure]) is part


def test_source_base() -> None:
    ctx = _contexts("Headcount stood at 6,480, up from 5,120 a year before.")
    assert source_is_base(ctx["5,120"]) and not source_is_base(ctx["6,480"])


@dataclass
class _Finder:
    """Hands out the figures of one source text, as the evidence finder does for a retrieved chunk."""

    figures_of: list[SourceFigure]

    def figures(self, passage: object, rank: int) -> list[SourceFigure]:
        return self.figures_of


_SOURCE = (
    "Revenue for the year 2024 came to $8.42 billion, compared with $5.31 billion in 2023. "
    "Gross margin was 41.3% in 2024, against 37.9% a year earlier. "
    "Headcount stood at 6,480 at the end of 2024, up from 5,120 a year before."
)


@pytest.mark.parametrize(
    ("claim", "level", "outcome", "value"),
    [
        ("Revenue grew 58.6% in 2024 to $8.42 billion.", "$8.42 billion", "match", 0.5857),
        ("Revenue grew 48.6% in 2024 to $8.42 billion.", "$8.42 billion", "mismatch", 0.5857),
        ("Gross margin widened by 3.4 percentage points to 41.3% in 2024.", "41.3%", "match", 0.034),
        ("Gross margin widened by 4.3 points in 2024 to 41.3%.", "41.3%", "mismatch", 0.034),
        # the points between two percentages written as a percent (not the relative change, 9.0%): the points shown
        ("Gross margin rose 3.4% in 2024 to 41.3%.", "41.3%", "mismatch", 0.034),
        ("Headcount increased by 1,360 to 6,480 in 2024.", "6,480", "match", 1360),
        ("Headcount increased by 1,630 to 6,480 in 2024.", "6,480", "mismatch", 1360),
        ("Revenue grew roughly 57% in 2024 to $8.42 billion.", "$8.42 billion", "none", 0.5857),
    ],
)
def test_derived_change(claim: str, level: str, outcome: str, value: float) -> None:
    sources = [SourceFigure(c, None, 0) for c in _contexts(_SOURCE).values()]  # type: ignore[arg-type]
    finder = _Finder(sources)
    change = find_claims(claim)[0][0]
    y = next(s for s in sources if s.ctx.figure.text == level)
    d = derive(change, y, finder)  # type: ignore[arg-type]
    assert d is not None
    assert d.outcome == outcome
    assert d.value == pytest.approx(value, rel=1e-3)
