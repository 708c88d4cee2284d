"""Qualifiers a question sets that a candidate does not give at all (``assistant.ask.absent``)."""

from __future__ import annotations

import pytest

from assistant.ask.absent import Asked, absent_verdict, asked_qualifiers, basis_verdict
from assistant.ask.terms import Term


def _name(text: str, *, focus: bool = False) -> Term:
    return Term(text=text.lower().replace(" ", ""), label=text, forms=(text.lower(),), weight=4.0, name=True, focus=focus)


@pytest.mark.parametrize(
    ("question", "names", "coded", "configs", "latin", "cjk"),
    [
        # a coded setting is a qualifier; the focus ("几张 H100") and a name without a digit are not
        ("Vega-9 用 FP8 精度推理需要几张 H100？", [_name("Vega-9"), _name("FP8"), _name("H100", focus=True)],
         ["FP8"], [], set(), set()),
        ("What does Acme-3 reach on Z20?", [_name("Acme-3"), _name("Z20")], ["Z20"], [], set(), set()),
        # the first coded name, with the names joined to it, is the subject, not a qualifier
        ("How long a context does Yuan 2.0-2B take?", [_name("Yuan 2.0"), _name("2.0-2B"), _name("2B")], [], [],
         set(), set()),
        # a configuration is read whole: its first part alone is no qualifier
        ("Throughput of Quux-2 on SM90 with EP 8 x 4?", [_name("Quux-2"), _name("SM90"), _name("EP 8")],
         ["SM90"], ["ep8x4"], set(), set()),
        ("功耗在 128 x 400G 配置下是多少？", [], [], ["128x400g"], set(), set()),
        # the basis of a rate, in either language; a Chinese measure word names no basis
        ("What does the API charge per generated image?", [], [], [], {"generated", "image"}, set()),
        ("What is the price per GPU-hour?", [], [], [], {"gpu", "hour"}, set()),
        ("每块 Z20 GPU 的售价是多少？", [], [], [], {"z20", "gpu"}, set()),
        ("每卡时的租赁价格是多少？", [], [], [], set(), {"卡", "时"}),
        ("What was the revenue in 2024?", [], [], [], set(), set()),
    ],
)
def test_asked_qualifiers(
    question: str, names: list[Term], coded: list[str], configs: list[str], latin: set[str], cjk: set[str]
) -> None:
    asked = asked_qualifiers(question, names)
    assert [t.label for t in asked.coded] == coded
    assert list(asked.configs) == configs
    assert asked.basis_latin == latin
    assert asked.basis_cjk == cjk


_EMPTY = Asked((), (), frozenset(), frozenset())


@pytest.mark.parametrize(
    ("basis", "clause", "scope", "verdict"),
    [
        (({"gpu"}, set()), "the last of which is $600 per share", "", False),  # another basis
        (({"gpu"}, set()), "priced at $30,000 per GPU", "", True),
        (({"token", "million", "output"}, set()), "$2.40 per million output tokens", "", True),
        ((set(), {"卡", "时"}), "报价为每卡时 8.5 元", "", True),
        ((set(), {"服", "务", "器"}), "报价为每百万 token 1.2 元", "", False),
        ((set(), {"卡", "时"}), "priced at $2 per hour", "", None),  # the other script: not compared
        (({"port"}, set()), "lists at $38,000", "Pricing", False),  # no basis anywhere
        (({"port"}, set()), "lists at $38,000", "Price ($/port)", None),  # written in the header
        (({"gpu"}, set()), "costs $30,000", "each GPU board", None),  # the basis' word is around it
        (({"gpu", "hour"}, set()), "H100 | 2.49", "gpu_type | price_per_hour", None),  # a field's name
        (({"ten", "share"}, set()), "拟派发现金红利 1.6 元", "", None),  # the other script
    ],
)
def test_basis_verdict(basis: tuple[set[str], set[str]], clause: str, scope: str, verdict: bool | None) -> None:
    asked = Asked((), (), frozenset(basis[0]), frozenset(basis[1]))
    assert basis_verdict(asked, clause, f"{clause}\n{scope}") is verdict
    assert basis_verdict(_EMPTY, clause, scope) is None


@pytest.mark.parametrize(
    ("coded", "configs", "own", "scope", "absent"),
    [
        (["FP8"], [], "| Vega-9 | BF16 | H100 x 2 |", ["| Model | Precision | GPUs |", "Inference", "Vega"], True),
        (["FP8"], [], "| Vega-9 | FP8 | H100 x 1 |", ["| Model | Precision | GPUs |"], False),
        # implicit: the heading or the title gives it
        (["FP8"], [], "| Vega-9 | H100 x 1 |", ["| Model | GPUs |", "FP8 inference"], False),
        (["Z20"], [], "It reaches 1,200 tokens per second.", ["", "", "Quux on Z20: benchmarks"], False),
        (["CO2"], [], "Emissions were 2290 tCO2eq.", [], False),  # inside a longer token
        (["Yuan 2.0"], [], "源2.0 支持 8192 个 token", [], False),  # a Chinese text writes the word its own way
        (["Yuan 2.0"], [], "源2.5 支持 8192 个 token", [], True),
        # a configuration: "8 x 2" and a bare "EP 8" do not give "8 x 4"
        ([], ["ep8x4"], "| SM90 | EP 8 x 2 | 90 GB/s |", [], True),
        ([], ["ep8x4"], "| SM90 | EP 8 | 600 GB/s |", [], True),
        ([], ["ep8x4"], "| SM90 | EP 8 x 4 | 61 GB/s |", [], False),
        ([], ["ep8x4"], "| SM90 | EP 8×4 | 61 GB/s |", [], False),
        ([], ["64x400g"], "| X7 | 64 x 400G | 1.1 kW |", [], False),
        ([], ["64x400g"], "| X7 | 64 x 800G | 1.1 kW |", [], True),
    ],
)
def test_absent_verdict(coded: list[str], configs: list[str], own: str, scope: list[str], absent: bool) -> None:
    asked = Asked(tuple(_name(c) for c in coded), tuple(configs), frozenset(), frozenset())
    assert absent_verdict(asked, own, own, scope) is absent
