"""Questions asking for two figures: what a later part shares with the part before it."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze, question_parts


@pytest.mark.parametrize(
    ("question", "shared", "not_shared"),
    [
        # the round and period of the first part place the figure the second asks
        ("Zorblax 今年 3 月那轮融资拿到多少钱？投后估值多少？", {"融资", "那轮"}, {"钱"}),
        # a bare change is of the measure asked before it
        ("Zorblax 上季度末的剩余履约义务有多少？同比增幅多大？", {"剩余", "履约", "义务"}, set()),
        # a change naming its own measure keeps it: the measure before is not carried
        ("Zorblax 单位性能成本每年下降多少？能效每年提升多少？", set(), {"下降"}),
    ],
)
def test_a_later_part_naming_nothing_shares_the_context_before_it(
    question: str, shared: set[str], not_shared: set[str]
) -> None:
    first, second = question_parts(analyze(question))
    context = {t.text for t in second.terms if not t.focus and not t.name}
    assert shared <= context
    assert not (not_shared & {t.text for t in second.terms})
    own = {t.text: t for t in analyze(second.question.split()[-1]).terms}
    carried = [t for t in second.terms if t.text in shared]
    assert all(not t.focus for t in carried)
    assert all(t.text not in own for t in carried)


def test_a_later_part_asking_how_much_asks_the_kind_before_it() -> None:
    first, second = question_parts(
        analyze("At what valuation did Zorblax close its Series F, and how much did it raise?")
    )
    assert first.asked is not None and second.asked is not None
    assert second.asked.name == first.asked.name == "money"


def test_a_later_part_naming_its_own_year_does_not_inherit_the_earlier_one() -> None:
    first, second = question_parts(analyze("Zorblax 2024 年净亏损多少？2023 年亏了多少？"))
    assert "2024" in {t.text for t in first.terms}
    assert {t.text for t in second.terms} & {"2023", "2024"} == {"2023"}
