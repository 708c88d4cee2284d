"""One table of units (tools.units) read by the figure parser, the draft checker's quantities and the asked kinds;
kind words read as words, not inside longer ones (but for the heads of compounds); one reading of "the year before"."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from assistant.ask.analyze import asked_kind
from assistant.ask.years import asked_years
from assistant.check.context import _PREVIOUS_AFTER, _PREVIOUS_BEFORE
from assistant.check.quantities import measure_unit
from tools.figures import parse_figures
from tools.units import DIMENSIONS, ENERGY_UNITS, POWER_UNITS, dimension


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("150 MW", [("150 MW", 150.0, "megawatt")]),
        ("29581 kW", [("29581 kW", 29581.0, "kilowatt")]),
        ("1.3 GW", [("1.3 GW", 1.3, "gigawatt")]),
        ("TDP of 700W", [("700W", 700.0, "watt")]),
        ("835 megawatts", [("835 megawatts", 835.0, "megawatt")]),
        ("5.5 gigawatts", [("5.5 gigawatts", 5.5, "gigawatt")]),
        ("300 兆瓦", [("300 兆瓦", 300.0, "megawatt")]),
        ("100 万千瓦", [("100 万千瓦", 1_000_000.0, "kilowatt")]),
        ("3000 千兆瓦", [("3000 千兆瓦", 3000.0, "gigawatt")]),
        ("239 MWh", [("239 MWh", 239.0, "megawatt_hour")]),
        ("415 terawatt-hours", [("415 terawatt-hours", 415.0, "terawatt_hour")]),
        ("5 千瓦时", [("5 千瓦时", 5.0, "kilowatt_hour")]),
        ("300万千瓦时", [("300万千瓦时", 3_000_000.0, "kilowatt_hour")]),
        ("1000 亿度电", [("1000 亿度电", 1e11, "kilowatt_hour")]),
        ("30 分钟", [("30 分钟", 30.0, "minute")]),
        ("10 min", [("10 min", 10.0, "minute")]),
        ("24h", [("24h", 24.0, "hour")]),
        ("3 hours", [("3 hours", 3.0, "hour")]),
        ("2 bytes per parameter", [("2 bytes", 2.0, "byte")]),
        ("80 GB", [("80 GB", 8e10, "byte")]),
        ("14.8万亿 token", [("14.8万亿 token", 1.48e13, "token")]),
        ("每 100 万 tokens", [("100 万 tokens", 1e6, "token")]),
        ("2 千", [("2 千", 2000.0, None)]),
        ("8 H100", []),
        ("in 1H 2024", [("2024", 2024.0, "date")]),
    ],
)
def test_figures_read_the_unit_table(text: str, figures: list[tuple[str, float, str | None]]) -> None:
    assert [(f.text, f.value, f.unit) for f in parse_figures(text)] == figures


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("watt", ("watt", Decimal(1))),
        ("kilowatt", ("watt", Decimal(1000))),
        ("megawatt", ("watt", Decimal(10**6))),
        ("gigawatt", ("watt", Decimal(10**9))),
        ("megawatt_hour", ("watt_hour", Decimal(10**6))),
        ("minute", ("second", Decimal(60))),
        ("byte", ("byte", Decimal(1))),
        ("usd", None),
        ("gpu", None),
        (None, None),
    ],
)
def test_dimension(unit: str | None, expected: tuple[str, Decimal] | None) -> None:
    assert dimension(unit) == expected


def test_every_power_and_energy_unit_has_a_dimension() -> None:
    assert {DIMENSIONS[u][0] for u in POWER_UNITS} == {"watt"}
    assert {DIMENSIONS[u][0] for u in ENERGY_UNITS} == {"watt_hour"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44.8 kW", ("watt", Fraction(1000))),
        ("3 MW", ("watt", Fraction(10**6))),
        ("700 W", ("watt", Fraction(1))),
        ("700 瓦", ("watt", Fraction(1))),
        ("300 兆瓦", ("watt", Fraction(10**6))),
        ("1.2 GW", ("watt", Fraction(10**9))),
        ("239 MWh", ("watt_hour", Fraction(10**6))),
        ("80 GB", ("byte", Fraction(10**9))),
        ("2 bytes", ("byte", Fraction(1))),
        ("120 ms", ("second", Fraction(1, 1000))),
        ("8 GPUs", None),
        ("$5", None),
    ],
)
def test_quantities_measure_units_from_the_table(text: str, expected: tuple[str, Fraction] | None) -> None:
    end = len(text.split()[0]) if not text.startswith("$") else len(text)
    assert measure_unit(text, end) == expected


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("谷歌向 Kairos Power 采购的小型模块化反应堆电力总共多少兆瓦？", "power"),
        ("多少兆瓦", "power"),
        ("模块功耗是多少？", "power"),
        ("How many megawatts will the first project start at?", "power"),
        ("What power draw in kW does the list give for Frontier?", "power"),
        ("OLMo 训练耗电多少兆瓦时？", "energy"),
        ("文心 4.5 训练一共耗了多少度电？", "energy"),
        ("How much electricity did data centres consume in 2024?", "energy"),
        ("这个模块有多少块 GPU？", "gpu"),
        ("每个机架装多少块 GPU？", "gpu"),
        ("How many cards did they use?", "gpu"),
        ("训练用了多少天？", "duration"),
        ("训练花了几天？", "duration"),
        ("How many minutes does the job take?", "duration"),
        ("What is the evaluation score of X?", None),
        ("What is the training duration?", None),
        ("What is the computing power of the H100?", None),
        ("What was the configuration of the cluster?", None),
        ("How many Grace Blackwell superchips will it house?", "gpu"),
        ("How many petaflops does it reach?", "flops"),
        ("What was the company's valuation?", "money"),
        ("为什么几乎所有 GPU 厂商都用 HBM？", None),  # 几乎 is "almost", no "how many"
        ("几乎所有模型用了几张卡？", "gpu"),
    ],
)
def test_asked_kind_reads_words_as_words(question: str, kind: str | None) -> None:
    _, found = asked_kind(question)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("2024 revenue", {"2024"}),
        ("2024 年营收比去年增长多少", set()),
        ("What was revenue in 2024 a year earlier?", set()),
        ("2024 revenue compared with the year before", set()),
        ("2024 年营收同比增长多少", set()),
    ],
)
def test_asked_years_relative(question: str, years: set[str]) -> None:
    assert asked_years(["2024"], question) == years


@pytest.mark.parametrize(
    ("after", "found"),
    [(" a year earlier", True), (" in the previous year", True), (" the year before", True),
     (" last year", True), (" for the full year", False)],
)  # fmt: skip
def test_figure_dated_a_year_before(after: str, found: bool) -> None:
    assert bool(_PREVIOUS_AFTER.match(after)) is found


@pytest.mark.parametrize(("before", "found"), [("较上年末的 ", True), ("去年同期为 ", True), ("今年为 ", False)])
def test_figure_dated_a_year_before_zh(before: str, found: bool) -> None:
    assert bool(_PREVIOUS_BEFORE.search(before)) is found
