"""Calculations written as reporters write them: a change by an amount then as a percentage, a cut as a multiple
and a percentage, an average per a shorter period, a division told in words, a rate of each item of a count, a
hedged round percentage. Each wrong draft beside the right one it was made from."""

from __future__ import annotations

import pytest

from assistant.check.written import find_written
from tests.test_check_implied import implied

# (draft, [(relation, stated, computed, consistent)])
CASES = [
    # a change by an amount to a level: the percentage is of the level before (Y − D), or Y + D after a fall
    ("Monthly users grew by 50 million to 300 million, a 20% increase.", [("percentage_change", 0.2, 0.2, True)]),
    ("Monthly users grew by 50 million to 300 million, a 25% increase.", [("percentage_change", 0.25, 0.2, False)]),
    ("订单量减少 20 万单，降至 80 万单，降幅 20%。", [("percentage_change", 0.2, 0.2, True)]),
    ("订单量减少 20 万单，降至 80 万单，降幅 25%。", [("percentage_change", 0.25, 0.2, False)]),
    ("日均活跃设备增加了 300 万台，达到 1,200 万台，增长约 33%。", [("percentage_change", 0.33, 0.3333, True)]),
    # a cut said as a multiple (X / Y) and restated as a percentage
    ("Storage costs fell from $50 to $5 per terabyte, a cut of 10 times, or 90%.",
     [("ratio", 10.0, 10.0, True), ("percentage_change", 0.9, 0.9, True)]),
    ("Storage costs fell from $50 to $10 per terabyte, a cut of 5 times, or 90%.",
     [("ratio", 5.0, 5.0, True), ("percentage_change", 0.9, 0.8, False)]),
    # a difference after a change, then the change as a percentage
    ("Output went from 20 GW to 30 GW, an increase of 10 GW, or 50%.",
     [("sum", 10e9, 10e9, True), ("percentage_change", 0.5, 0.5, True)]),
    ("Output went from 20 GW to 30 GW, an increase of 12 GW, or 50%.",
     [("sum", 12e9, 10e9, False), ("percentage_change", 0.5, 0.5, True)]),
    # a fall stated before "to Y from X"; "annualized" names no yearly rate
    ("The rental price fell 25% to $3 from $4.", [("percentage_change", 0.25, 0.25, True)]),
    ("The rental price fell 30% to $3 from $4.", [("percentage_change", 0.3, 0.25, False)]),
    ("Annualized revenue hit $9 billion, up from $6 billion, a rise of about 60%.",
     [("percentage_change", 0.6, 0.5, False)]),
    # an average over a shorter period restates a total
    ("The API served 864 million calls in a day, averaging 10,000 per second.", [("restatement", 10000.0, 10000.0, True)]),
    ("The API served 864 million calls in a day, averaging 12,000 per second.", [("restatement", 12000.0, 10000.0, False)]),
    ("该系统一天处理 4.32 亿张图片，平均每秒约 5,000 张。", [("restatement", 5000.0, 5000.0, True)]),
    # a list's items: a conjunction after the measure word is not what is counted
    ("两家工厂分别生产 12 万片和 8 万片，合计 20 万片。", [("sum", 2e5, 2e5, True)]),
    ("两家工厂分别生产 12 万片和 8 万片，合计 22 万片。", [("sum", 2.2e5, 2e5, False)]),
    # a hedged round percentage: its trailing zero is half significant
    ("总共 400 家企业中有 100 家已部署大模型，占比约 30%。", [("ratio", 0.3, 0.25, False)]),
    ("总共 400 家企业中有 112 家已部署大模型，占比约 30%。", [("ratio", 0.3, 0.28, True)]),
    # a rate "each" is of the count right before it; a count left over is one factor more
    ("A rack of 4 servers at 2 kW each draws 4 × 2 = 8 kW, so 50 racks draw 400 kW.", []),
    ("A rack of 4 servers at 2 kW each draws 9 kW.", [("product", 9000.0, 8000.0, False)]),
]


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_relations(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


@pytest.mark.parametrize(
    ("draft", "stated", "consistent"),
    [
        ("每月 2.592 亿次请求，除以 2,592,000 秒，平均每秒 100 次。", 100.0, True),
        ("每月 2.592 亿次请求，除以 2,592,000 秒，平均每秒 1,000 次。", 1000.0, False),
        ("年收入 36 亿元，除以 12，即每月 3 亿元。", 3e8, True),
    ],
)
def test_a_division_in_words_states_its_result_after_a_restating_word(draft: str, stated: float, consistent: bool) -> None:
    (check,) = [c for c in find_written(draft) if c.relation == "written"]
    assert (check.stated, check.consistent) == (pytest.approx(stated), consistent)
