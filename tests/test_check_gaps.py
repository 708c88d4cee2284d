"""Differences stated between two figures of one kind (``assistant.check.gaps``), a compound rate over the span
between two named years and "by D to Y" with any verb (``assistant.check.changes``): each wrong draft beside the
right one it was made from, then sentences whose third figure is no gap."""

from __future__ import annotations

import pytest

from assistant.check.clauses import glued, subjects_in
from assistant.check.expr import tokenize
from assistant.check.quantities import read_quantities
from tests.test_check_implied import implied

# (draft, [(relation, stated, computed, consistent)])
CASES = [
    # the gap in a clause that names one of the two subjects again
    ("甲队初赛得 92.5 分，乙队得 85.1 分，甲队领先 7.4 分。", [("sum", 7.4, 7.4, True)]),
    ("甲队初赛得 92.5 分，乙队得 85.1 分，甲队领先 8.4 分。", [("sum", 8.4, 7.4, False)]),
    ("Kite-4 posted 71.2 on the reading test and Heron-2 posted 66.0, so Kite-4 sits 5.2 points clear.",
     [("sum", 5.2, 5.2, True)]),
    ("Kite-4 posted 71.2 on the reading test and Heron-2 posted 66.0, so Kite-4 sits 6.2 points clear.",
     [("sum", 6.2, 5.2, False)]),
    # in y's own clause, right after it
    ("这款芯片售价 1.8 万元，比上一代的 1.2 万元贵了 0.6 万元。", [("sum", 6000.0, 6000.0, True)]),
    ("这款芯片售价 1.8 万元，比上一代的 1.2 万元贵了 0.8 万元。", [("sum", 8000.0, 6000.0, False)]),
    ("Attendance hit 9,400, topping last year's 7,900 by 1,500.", [("sum", 1500.0, 1500.0, True)]),
    ("Attendance hit 9,400, topping last year's 7,900 by 1,300.", [("sum", 1300.0, 1500.0, False)]),
    # before the base of a comparison
    ("The new site employs 310 people, 45 fewer than the 355 at the old one.", [("sum", 45.0, 45.0, True)]),
    ("The new site employs 310 people, 55 fewer than the 355 at the old one.", [("sum", 55.0, 45.0, False)]),
    # a pair in one clause, then a clause naming only their gap
    ("两条产线的良率分别为 96.4 和 91.9，差了 4.5。", [("sum", 4.5, 4.5, True)]),
    ("两条产线的良率分别为 96.4 和 91.9，差了 5.5。", [("sum", 5.5, 4.5, False)]),
    # not a gap: a list, a subject or period of its own, a part, an average, a number of a name
    ("三个园区分别部署 50 台、30 台和 25 台机器人。", []),
    ("华东 1.2 万台，华南 0.9 万台，华北 0.4 万台。", []),
    ("云业务收入 50 亿元和广告收入 30 亿元，利润 15 亿元。", []),
    ("The H200 has 141 GB, of which 100 GB serve the cache.", []),
    ("见第 4 页第 2 段，得分 2.1。", []),
    # a compound rate over the span between two named years
    ("Shipments rose from 4.0 million units in 2020 to 9.0 million units in 2024, a compound annual rate of 22.5%.",
     [("percentage_change", 0.225, 0.2247, True)]),
    ("Shipments rose from 4.0 million units in 2020 to 9.0 million units in 2024, a compound annual rate of 30%.",
     [("percentage_change", 0.3, 0.2247, False)]),
    # "by D to Y": the change and the level, whatever the verb
    ("The backlog ballooned by $300 million to $1.2 billion, a 33% increase.",
     [("percentage_change", 0.33, 0.3333, True)]),
    ("The backlog ballooned by $300 million to $1.2 billion, a 25% increase.",
     [("percentage_change", 0.25, 0.3333, False)]),
    ("Staff numbers shrank by 150 to 600, a 20% drop.", [("percentage_change", 0.2, 0.2, True)]),
]


@pytest.mark.parametrize(("draft", "expected"), CASES)
def test_gaps(draft: str, expected: list[tuple[str, float, float, bool]]) -> None:
    assert implied(draft) == [(r, pytest.approx(s), pytest.approx(c, rel=1e-4), ok) for r, s, c, ok in expected]


@pytest.mark.parametrize(
    ("text", "names"),
    [("星河-2 得分 86.1", [True, False]), ("第 4 页 12 张卡", [True, False]), ("H100 有 80 GB", [False]),
     ("得分86.1，Table 3", [False, True])],
)
def test_glued(text: str, names: list[bool]) -> None:
    qs = read_quantities(text, tokenize(text), 0, len(text), [], ranges=True)
    assert [glued(text, q) for q in qs] == names


def test_subjects_in() -> None:
    assert subjects_in("星河-2 领先") == {"星河-2"}
    assert subjects_in("a gap of") == set()
    assert "去年" in subjects_in("比去年的")
