"""Units and scales a table header or a data file's key writes for its bare cells; data records read as a grid;
table labels widened by the bilingual header vocabulary."""

from __future__ import annotations

import pytest

from assistant.check.cells import grid_at
from assistant.check.headers import label_terms
from assistant.check.records import fields, record_grid
from assistant.check.tables import Cell, apply_header, header_unit, record_cell
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("CoWoS capacity (K wafers/month)", (None, 1000.0)),
        ("2025 wafers (K)", (None, 1000.0)),
        ("在用标准机架（万架）", (None, 10000.0)),
        ("算力总规模（EFLOPS）", ("flop_per_s", 1e18)),
        ("营收（亿元）", ("cny", 1e8)),
        ("power_kw", ("kilowatt", 1.0)),
        ("rmax_pflops", ("flop_per_s", 1e15)),
        ("price_usd_per_hour", ("usd_per_hour", 1.0)),
        ("context_k", (None, 1000.0)),
        ("$/GPU-hour", ("usd_per_gpu_hour", 1.0)),
        ("On-demand $/hour (instance)", ("usd_per_hour", 1.0)),
        ("Bandwidth (GB/s)", ("byte_per_s", 1e9)),
        ("efficiency_gflops_per_w", None),  # a rate per watt: not the unit of its cells
        ("Model (7B)", None),  # a size in a name
        ("Price (USD/1M tokens)", None),
        ("MMLU (5-shot)", None),
        ("total_cores", None),
        ("Share", None),
        ("Accuracy (%)", None),  # a share: read by the header vocabulary, not here
    ],
)
def test_header_unit(label: str, expected: tuple[str | None, float] | None) -> None:
    assert header_unit(label) == expected


def _cell(text: str) -> tuple[str | None, float]:
    fig = parse_figures(text)[0]
    return fig.unit, fig.value


@pytest.mark.parametrize(
    ("cell", "header", "unit", "value"),
    [
        ("45", "2025 wafers (K)", None, 45000.0),
        ("880", "在用标准机架（万架）", None, 8_800_000.0),
        ("90", "智能算力规模（EFLOPS）", "flop_per_s", 9e19),
        ("9.27", "研发费用（亿元）", "cny", 927_000_000.0),
        ("12.29", "$/GPU-hour", "usd_per_gpu_hour", 12.29),
        ("1980.01", "rpeak_pflops", "flop_per_s", 1.98001e18),  # not a date under a unit header
        ("128", "Context (K)", "token", 128_000.0),
        ("7", "Parameters (B)", "param", 7e9),
        ("4,096", "Context length", "token", 4096.0),
        ("56.89", "MMLU (5-shot)", None, 56.89),
    ],
)
def test_apply_header(cell: str, header: str, unit: str | None, value: float) -> None:
    fig = apply_header(parse_figures(cell)[0], Cell(header, "row"))
    assert (fig.unit, fig.value) == (unit, pytest.approx(value))


_RECORDS = (
    "rank: 1; system: El Capitan; country: United States; rmax_pflops: 1742.00; power_kw: 29581\n"
    "rank: 2; system: Frontier; country: United States; rmax_pflops: 1353.00; power_kw: 24607\n"
    "rank: 4; system: Eagle; country: United States; rmax_pflops: 561.20\n"
)


def test_record_fields() -> None:
    assert fields("rank: 2; system: Frontier") == [("rank", "2", 6), ("system", "Frontier", 17)]
    assert fields("Frontier draws 24,607 kW.") is None
    assert fields("note: one field only") is None


def test_record_grid_and_cell() -> None:
    pos = _RECORDS.index("24607")
    keys, rows, starts, row, column = record_grid(_RECORDS, pos)
    assert keys == ("rank", "system", "country", "rmax_pflops", "power_kw")
    assert rows[2] == ("4", "Eagle", "United States", "561.20", "")  # a left-out field is an empty cell
    assert (row, column) == (1, 4)
    assert starts[1] == _RECORDS.index("rank: 2")
    fig = next(f for f in parse_figures(_RECORDS) if f.start == pos)
    cell = record_cell(_RECORDS, fig)
    assert cell == Cell("power_kw", "Frontier United States")
    assert apply_header(fig, cell).unit == "kilowatt"
    grid, r, c = grid_at(_RECORDS, pos)
    assert (grid.header[c], grid.rows[r][1]) == ("power_kw", "Frontier")


@pytest.mark.parametrize(
    ("label", "has", "lacks"),
    [
        ("总分", "overall", "reasoning"),
        ("推理任务", "reasoning", "overall"),
        ("通用任务", "general", "reasoning"),
        ("Layers", "层数", "参数量"),
        ("参数量", "parameters", "layers"),
        ("隐藏层维度", "hidden", "layers"),  # "层" alone is no form: it sits inside 隐藏层维度
        ("power_kw", "功耗", "votes"),
    ],
)
def test_label_terms(label: str, has: str, lacks: str) -> None:
    terms = label_terms(label).split()
    assert has in terms
    assert lacks not in terms


def test_label_terms_none() -> None:
    assert label_terms("MMLU") == ""
