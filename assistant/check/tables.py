"""Markdown tables in sources: a bare number in a cell takes its meaning from the column header.

Model cards state GPU hours per model in tables ("| Llama 4 Scout | 5.0M | 700 |" under
"| Model Name | Training Time (GPU hours) | Training Power Consumption (W) |"). A figure read from such a cell
gets the unit its header names, and the header's words count as the words around the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import TABLE_RULE_RE
from tools.figures import Figure

_SEPARATOR = TABLE_RULE_RE
# header words -> canonical unit, and a factor for numbers the header scales ("(%)" -> fractions)
_HEADER_UNITS: list[tuple[re.Pattern[str], str, float]] = [
    (re.compile(r"GPU[\s-]?hours?|GPU\s?小时|卡时", re.I), "gpu_hour", 1.0),
    # a vocabulary and an attention window are counted in tokens too
    (
        re.compile(r"\btokens?\b|词元|context\s?(?:length|window)|上下文|vocab|词表|sliding\s?window|滑动窗口", re.I),
        "token",
        1.0,
    ),
    (re.compile(r"\b(?:total|activated|active)?\s?param(?:eter)?s?\b|参数", re.I), "param", 1.0),
    (re.compile(r"\bUSD\b|\(\$\)|美元", re.I), "usd", 1.0),
    (re.compile(r"\(%\)|percent", re.I), "percent", 0.01),
]


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a figure sits in a table: its column header and the row's first cell."""

    header: str
    row_label: str


def _line(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def table_cell(text: str, fig: Figure) -> Cell | None:
    """The header and row label of the markdown table cell holding ``fig``, or None outside a table."""
    ls, le = _line(text, fig.start)
    line = text[ls:le]
    if not line.lstrip().startswith("|") or fig.end > le:
        return None
    column = text.count("|", ls, fig.start) - 1
    row_cells = [c.strip() for c in line.strip().strip("|").split("|")]
    # walk up to the separator line; the header is the line above it
    pos = ls
    for _ in range(60):
        if pos == 0:
            return None
        ps, pe = _line(text, pos - 1)
        prev = text[ps:pe]
        if not prev.lstrip().startswith("|"):
            return None
        if _SEPARATOR.match(prev):
            hs, he = _line(text, ps - 1) if ps > 0 else (0, 0)
            header_cells = [c.strip() for c in text[hs:he].strip().strip("|").split("|")]
            if 0 <= column < len(header_cells):
                return Cell(header_cells[column], row_cells[0] if row_cells else "")
            return None
        pos = ps
    return None


def in_header_row(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a markdown table's header row (the line right above its separator): "| Benchmark |
    Phi-3-mini 3.8B |" names the columns, its sizes are parts of names, not figures."""
    ls, le = _line(text, pos)
    if not text[ls:le].lstrip().startswith("|") or le >= len(text):
        return False
    ns, ne = _line(text, le + 1)
    return bool(_SEPARATOR.match(text[ns:ne]))


def apply_header(fig: Figure, cell: Cell) -> Figure:
    """``fig`` with the unit its column header (else its row label) names, when the cell itself wrote none."""
    if fig.unit is not None:
        return fig
    # a table of one model per column names the quantity in its row label ("| 词表大小 | 32,000 | 65,536 |");
    # a label with a digit is a name ("Llama-2-13B", "Qwen 7B"), whatever words it holds
    labels = [cell.header] + ([cell.row_label] if not re.search(r"\d", cell.row_label) else [])
    for label in labels:
        for pattern, unit, factor in _HEADER_UNITS:
            if pattern.search(label):
                return fig.model_copy(update={"unit": unit, "value": fig.value * factor})
    return fig
