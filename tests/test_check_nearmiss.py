"""Stated results read by type (``assistant.check.nearmiss``): each figure's value in base units and its dimension,
the readings of the sentence's other figures whose dimension equals its own, flagged only when none is exact and
one comes near. Each wrong draft beside the right one it was made from, then drafts whose figures are not a
calculation at all."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assistant.check.expr import tokenize
from assistant.check.nearmiss import _dim, fraction_words, is_near
from assistant.check.quantities import read_quantities
from tests.test_check_implied import implied

# (draft, [(relation, stated, computed, consistent)])
CASES = [
    # a rate times a count, the units composed: W × count = W, with a power of ten slipped
    ("The fleet grew from 3,000 to 9,000 GPUs; at 500 W each, the fleet draws 4.5 MW.",
     [("product", 4.5e6, 4.5e6, True)]),
    ("The fleet grew from 3,000 to 9,000 GPUs; at 500 W each, the fleet draws 6 MW.",
     [("product", 6e6, 4.5e6, False)]),
    ("Each card draws 400 W; 25,000 cards need about 100 MW.", [("product", 1e8, 1e7, False)]),
    ("每颗芯片功耗 600 瓦，5 万颗芯片共需 300 兆瓦。", [("product", 3e8, 3e7, False)]),
    # W ÷ W per unit = a count; $ ÷ count = $ each
    ("机房供电 80 兆瓦，每台服务器 10 千瓦，可容纳 8,000 台服务器。", [("product", 8000.0, 8000.0, True)]),
    ("机房供电 80 兆瓦，每台服务器 10 千瓦，可容纳 10,000 台服务器。", [("product", 10000.0, 8000.0, False)]),
    ("The $600 million fund backs 40 startups, giving each $15 million.", []),
    ("The $600 million fund backs 40 startups, giving each $20 million.", [("ratio", 2e7, 1.5e7, False)]),
    # the same quantity per another period or in another unit of time
    ("A crawler fetched 36 million pages a day, roughly 420 pages per second.",
     [("restatement", 420.0, 416.6667, True)]),
    ("A crawler fetched 36 million pages a day, roughly 600 pages per second.",
     [("restatement", 600.0, 416.6667, False)]),
    ("The training run lasted 4,320 minutes, that is 4 days.", [("restatement", 4.0, 3.0, False)]),
    # a share said as a fraction in words, of a whole named so
    ("Of the 800 papers submitted, 240 were accepted, close to a third.", []),
    ("Of the 800 papers submitted, 200 were accepted, close to a third.", [("ratio", 1 / 3, 0.25, False)]),
    ("在 900 家受访企业中，有 300 家已上线智能客服，约占三分之一。", []),
    ("在 900 家受访企业中，有 240 家已上线智能客服，约占三分之一。", [("ratio", 1 / 3, 0.2667, False)]),
    # a change word says the increase is over the base an amount was added to, not a share of the new level
    ("新增算力 200 PFLOPS 后，总算力达到 1,000 PFLOPS，增幅 25%。", []),
    ("新增算力 200 PFLOPS 后，总算力达到 1,000 PFLOPS，增幅 20%。", [("percentage_change", 0.2, 0.25, False)]),
    # a list of five, then what it comes to
    ("五个城市的装机分别为 1.2 吉瓦、0.8 吉瓦、0.5 吉瓦、0.3 吉瓦和 0.2 吉瓦，五地装机 3 吉瓦。", []),
    ("五个城市的装机分别为 1.2 吉瓦、0.8 吉瓦、0.5 吉瓦、0.3 吉瓦和 0.2 吉瓦，五地装机 3.3 吉瓦。",
     [("sum", 3.3e9, 3e9, False)]),
    # no calculation: another subject, another thought after a semicolon, figures that compose to nothing stated
    ("去年营收 100 亿元，今年利润 20 亿元，同比增长 15%。", []),
    ("The lab has 40 researchers and a $2 million budget, and 30% of its papers are on safety.", []),
    ("营收 80 亿元，同比增长 20%；净利润 12 亿元，同比增长 50%。", []),
    ("The model was trained on 2,048 GPUs for 54 days; the cluster draws 1.5 MW.", []),
    ("用户规模达到 5 亿人，较上年的 2.5 亿人翻了一番；用户占全国人口的比例为 36%。", []),
    ("It needed 600 kg of mix: 600 kg − 150 kg = 450 kg, so add 450 kg of water.", []),
    # a hedged figure within a few percent of a reading rounds it
    ("That branch has 128 experts. Each holds about 3.66 billion parameters; the network holds roughly 480 billion.",
     []),
]


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_nearmiss(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


def _qty(text: str):  # type: ignore[no-untyped-def]
    return read_quantities(text, tokenize(text), 0, len(text), [])[0]


@pytest.mark.parametrize(
    ("text", "value", "dims"),
    [
        ("1.5 MW", Fraction(1_500_000), {"watt": 1}),
        ("8 千瓦", Fraction(8000), {"watt": 1}),
        ("3 万台", Fraction(30000), {}),
        ("$2 per GPU hour", Fraction(2, 3600), {"$usd": 1, "s": -1}),
        ("1.8 TB every hour", Fraction(500_000_000), {"byte": 1, "s": -1}),
        ("4,320 minutes", Fraction(259200), {"s": 1}),
        ("2 days", Fraction(172800), {"s": 1}),
    ],
)
def test_dimension(text: str, value: Fraction, dims: dict[str, int]) -> None:
    assert _dim(_qty(text)) == (value, dims)


def test_per_minute_is_sixty_seconds() -> None:
    q = _qty("网关每分钟转发 24 万次请求")
    assert _dim(q) == (Fraction(4000), {"s": -1})


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("close to a third of them", [Fraction(1, 3)]),
        ("约占三分之一，另有四成和一半", [Fraction(1, 3), Fraction(2, 5), Fraction(1, 2)]),
        ("one in four labs", [Fraction(1, 4)]),
        ("成本四成本", []),  # "成本" is no fraction
    ],
)
def test_fraction_words(text: str, values: list[Fraction]) -> None:
    assert [q.value for q in fraction_words(text, 0, len(text))] == values


@pytest.mark.parametrize(
    ("computed", "stated", "near"),
    [(0.3, 0.35, True), (1040.0, 1100.0, True), (0.2, 4.0, False), (-0.25, 0.3, True), (0.0, 1.0, False)],
)
def test_is_near(computed: float, stated: float, near: bool) -> None:
    assert is_near(computed, stated) is near
