"""The kinds a question admits (``assistant.ask.admitted``), the names it may leave out (``assistant.ask.keynames``)
and the smaller structural readings beside them: offline, table-driven."""

from __future__ import annotations

import pytest

from assistant.ask.admitted import admitted_kinds, asks_level, compares, kinds_named, measure_kind
from assistant.ask.analyze import analyze, asked_kind, how_words
from assistant.ask.keynames import excusable_names, held_names, possessors
from assistant.ask.kinds import asks_per_unit


def _kinds(question: str) -> tuple[str | None, list[str]]:
    focus, asked = asked_kind(question)
    first, admitted = admitted_kinds(question, focus, asked)
    return (first.name if first else None), [k.name for k in admitted]


@pytest.mark.parametrize(
    ("question", "first", "admitted"),
    [
        # a change asked "to" a level asks the level, in the measure the question names
        ("What did the on-demand price of the card drop to per hour?", "money", []),
        ("该集群的算力增长到了多少？", "flops", []),
        ("园区的 PUE 降到了多少？", None, []),
        # a change asked "by" admits the measure's own unit after it
        ("By how much was the hourly rent of a card cut?", "change", ["money"]),
        ("包月租金降了多少？", "money", ["change"]),
        # a comparison of degree admits a change and a multiple
        ("How much cheaper are the prices than at the end of 2024?", "money", ["change", "times"]),
        ("How much power did the server draw?", "power", []),  # "power" is no comparative
        ("女性用户占比是多少？", "ratio", []),  # 占比 / 比例 compare nothing
        # a part of a whole admits a share
        ("How much of the market did the chips take?", "gpu", ["ratio"]),
        ("推理服务的节点占用峰值是多少？", "node", []),  # 占用 occupies, it is no part
        # the head of the focus phrase, when the kind read first comes from a modifier after it
        ("What is the monthly rent of a card after the March price cut?", "change", ["money"]),
        ("What hourly rental rate did capacity reach?", "money", []),
        ("How many GPU hours did the run take?", "gpu_hour", []),
    ],
)
def test_admitted_kinds(question: str, first: str | None, admitted: list[str]) -> None:
    assert _kinds(question) == (first, admitted)


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("What did the median listing drop to per GPU hour?", True),
        ("What did revenue fall back to in 2024?", True),
        ("By how much did installed compute grow from the end of 2024 to June 2025?", False),
        ("How much did the price fall?", False),
        ("价格降至多少？", True),
        ("价格降了多少？", False),
        ("H100租金从每小时4.5美元降到3.8美元，经过12个月，每月下降多少？", False),  # a level given, a change asked
        ("If H100 rent falls from $4.50 to $3.80 an hour, what is the monthly rate of decline?", False),
    ],
)
def test_asks_level(question: str, level: bool) -> None:
    assert asks_level(question) is level


@pytest.mark.parametrize(
    ("question", "comparison"),
    [
        ("how much faster than the h100 is it?", True),
        ("how much more did it cost?", True),
        ("versus 2024, how much cheaper did prices become?", True),
        ("how much power did it draw?", False),
        ("how much cheaper did it get?", False),  # nothing it is compared with
        ("比 h100 快多少？", True),
        ("研发投入占营收的比例是多少？", False),
    ],
)
def test_compares(question: str, comparison: bool) -> None:
    assert compares(question) is comparison


def test_kinds_named_inside_a_longer_kind_word() -> None:
    assert [k.name for k in kinds_named("h800 gpu hours")] == ["gpu_hour"]
    assert [k.name for k in kinds_named("monthly rent after the price cut")] == ["money", "change"]


def test_measure_kind_skips_denominators_and_given_times() -> None:
    assert measure_kind("What did the listing drop to per GPU hour?") is None
    assert measure_kind("截至 6 月的 12 个月收入增长了多少？").name == "money"  # type: ignore[union-attr]
    assert measure_kind("单位性能成本每年下降多少？").name == "money"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("question", "per"),
    [
        ("Per Caixin, what price did NVIDIA pay to acquire Groq?", False),
        ("According to Epoch AI, what is the price per GPU hour?", True),
        ("What is the price per GPU hour?", True),
        ("What is the output price per million tokens?", True),
    ],
)
def test_attribution_is_no_unit(question: str, per: bool) -> None:
    assert asks_per_unit(question) is per


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("How fast is NVLink compared with InfiniBand?", ["fast"]),
        ("How big is the model, and how long a prompt can it take?", ["big", "long"]),
        ("How much did it cost and how many GPUs?", []),
    ],
)
def test_how_words(question: str, words: list[str]) -> None:
    assert how_words(question) == words


@pytest.mark.parametrize(
    ("question", "pairs"),
    [
        ("How much did Ilya Sutskever's Safe Superintelligence raise?", [(["ilya", "sutskever"], ["safe", "superintelligence"])]),
        ("Mira Murati 创办的 Thinking Machines Lab 融了多少？", [(["mira", "murati"], ["thinking", "machines", "lab"])]),
        ("How many layers does Alibaba's QwQ-32B reasoning model have?", [(["alibaba"], ["qwq32b"])]),
        ("谷歌 TPU v7x 的 bf16 算力是多少？", []),  # a bare 的: a thing and what is asked of it
        ("How does MiniMax-M1 compare with Claude 4 Opus?", []),
    ],
)
def test_possessors(question: str, pairs: list[tuple[list[str], list[str]]]) -> None:
    names = [t for t in analyze(question).terms if t.name]
    got = [([t.text for t in a], [t.text for t in b]) for a, b in possessors(question, names)]
    assert got == pairs


def test_excused_names_need_their_heads_held() -> None:
    question = "How much did Ilya Sutskever's Safe Superintelligence raise?"
    names = [t for t in analyze(question).terms if t.name]
    excused = excusable_names(question, names)
    assert held_names({"safe", "superintelligence"}, excused) == {"safe", "superintelligence", "ilya", "sutskever"}
    assert held_names({"safe"}, excused) == {"safe"}  # the qualified name is not all held: nothing is excused
