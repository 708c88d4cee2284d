"""Markdown tables in sources: a bare number in a cell takes its meaning from the column header.

Model cards state GPU hours per model in tables ("| Llama 4 Scout | 5.0M | 700 |" under
"| Model Name | Training Time (GPU hours) | Training Power Consumption (W) |"). A figure read from such a cell
gets the unit its header names, and the header's words count as the words around the figure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.check.records import record_at
from tools.figures import Figure, parse_figures
from tools.units import CURRENCY_CODES

# Markdown allows a delimiter row of one dash per cell ("|--|--|", "| :-: |"): read any such row of two cells or more
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
# header words -> canonical unit, and a factor for numbers the header scales ("(%)" -> fractions)
_HEADER_UNITS: list[tuple[re.Pattern[str], str, float]] = [
    (re.compile(r"GPU[\s-]?hours?|GPU\s?小时|卡时", re.I), "gpu_hour", 1.0),
    # a speed: "(tok/s)", "推理速度:token/s", "tokens per second", "TPS"
    (re.compile(r"\b(?:tokens?|toks?)\s?(?:/\s?s(?:ec)?\b|per\s(?:second|sec)\b)|每秒|\bTPS\b", re.I), "token_per_s", 1.0),
    # a vocabulary and an attention window are counted in tokens too
    (
        re.compile(r"\btokens?\b|词元|context(?:\s?(?:length|window))?(?![a-z])|上下文|vocab|词表|sliding\s?window|滑动窗口", re.I),
        "token",
        1.0,
    ),
    (re.compile(r"\b(?:total|activated|active)?\s?param(?:eter)?s?\b|参数", re.I), "param", 1.0),
    (re.compile(r"\bUSD\b|\(\$\)|美元", re.I), "usd", 1.0),
    (re.compile(r"\(%\)|percent", re.I), "percent", 0.01),
]


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a figure sits in a table: its column header, the row's label, and the currency the line just before
    the table gives for all its cells ("以下价格均为每千 tokens，单位为人民币元。"), if any."""

    header: str
    row_label: str
    currency: str | None = None
    caption: str = ""  # the line introducing the table ("…can utilize their full 128K context length:"), if any
    corner: str = ""  # the header of the table's first column when the cell sits in another ("Item (US$ million)")


# "单位为人民币元", "单位：美元", "(in US dollars)", "All prices in USD": the one currency a table's cells are in
_CAPTION_CURRENCY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"单位\s?(?:为|是|[:：])\s?(?:人民币)?(?:万|亿)?元|单位\s?(?:为|是|[:：])\s?人民币"), "cny"),
    (re.compile(r"单位\s?(?:为|是|[:：])\s?(?:万|亿)?美元"), "usd"),
    (re.compile(r"\b(?:in|units?:?)\s(?:US\s)?(?:dollars|USD|US\$)\b", re.I), "usd"),
    (re.compile(r"\b(?:in|units?:?)\s(?:yuan|RMB|CNY|renminbi)\b", re.I), "cny"),
]
_SCALED_CAPTION = re.compile(r"(?:万|亿|千|百万|thousands?|millions?|billions?)\s?(?:元|美元|dollars|USD|yuan|RMB)", re.I)


def table_caption(text: str, header_start: int) -> str:
    """The line right before a table that introduces it, ending in a colon ("Under the configurations in the table
    below, the models can utilize their full 128K context length:"), else ""."""
    before = text[max(0, header_start - 300) : header_start].rstrip()
    last = before.rsplit("\n", 1)[-1].strip()
    return last if last.endswith((":", "：")) and not last.startswith("|") else ""


def caption_currency(text: str, header_start: int) -> str | None:
    """The currency the paragraph right before a table (at most two lines up) names for its cells; None when it
    names a scaled one ("单位：亿元": the cells' numbers are not the amounts themselves)."""
    before = text[max(0, header_start - 300) : header_start].rstrip()
    lines = [ln for ln in before.split("\n") if ln.strip()][-2:]
    caption = " ".join(ln for ln in lines if not ln.lstrip().startswith("|"))
    if not caption or _SCALED_CAPTION.search(caption):
        return None
    for pattern, unit in _CAPTION_CURRENCY:
        if pattern.search(caption):
            return unit
    return None


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
                return Cell(
                    header_cells[column],
                    row_label(row_cells, column),
                    caption_currency(text, hs),
                    table_caption(text, hs),
                    header_cells[0] if column > 0 else "",
                )
            return None
        pos = ps
    return None


def record_cell(text: str, fig: Figure) -> Cell | None:
    """The key and the record's naming fields of the data-file field holding ``fig`` ("rank: 2; system: Frontier;
    ...; power_kw: 24607"), or None outside a record."""
    at = record_at(text, fig.start)
    if at is None:
        return None
    _, found, index = at
    key, value, _ = found[index]
    if len(value) > 60:
        return None  # a long text field: its numbers are words of a sentence, not the field's value
    # a field whose whole value is a unit ("unit: USD billion", "单位: 兆瓦") is the unit of the record's bare cells,
    # as the header of a table's first column is ("Item (US$ million)")
    unit = [i != index and _unit_value(v) for i, (_, v, _) in enumerate(found)]
    corner = next((f"({v})" for (_, v, _), u in zip(found, unit, strict=True) if u), "") if sum(unit) == 1 else ""
    # (the unit names no row: the row is named by its other fields)
    values = ["" if u else v for (_, v, _), u in zip(found, unit, strict=True)]
    return Cell(key, row_label(values, index), corner=corner)


def _unit_value(value: str) -> bool:
    """Whether a record's field value is a unit and nothing else ("USD billion", "兆瓦", "MW")."""
    return 0 < len(value) <= 24 and not re.search(r"\d", value) and header_unit(f"({value})") is not None


_WORDY = re.compile(r"[A-Za-z\u4e00-\u9fff]{2}")


def row_label(cells: list[str], column: int) -> str:
    """The words naming a row for its cell in ``column``: its first cell, and the cells with words between it and
    the figure ("| ***Mathematics*** | AIME 2024 | 86.0 |", "| GLM-4.5 | BF16 | H100 x 32 |"); a first cell
    that is empty or a rank ("| 3 | DeepSeek-R1 | 深度求索 | 70.33 |") names nothing. Numbers in other columns are
    other figures, never names."""
    if not cells:
        return ""
    first = [] if column >= 1 and re.fullmatch(r"[*_\s]*\d{0,3}[*_\s]*", cells[0]) else [cells[0]]
    return " ".join(first + [c for c in cells[1:column] if _WORDY.search(c)])


def in_header_row(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a markdown table's header row (the line right above its separator): "| Benchmark |
    Phi-3-mini 3.8B |" names the columns, its sizes are parts of names, not figures."""
    ls, le = _line(text, pos)
    if not text[ls:le].lstrip().startswith("|") or le >= len(text):
        return False
    ns, ne = _line(text, le + 1)
    return bool(_SEPARATOR.match(text[ns:ne]))


def apply_header(fig: Figure, cell: Cell) -> Figure:
    """``fig`` with the unit its column header (else its row label) names, when the cell itself wrote none; a
    unit or scale the label writes out ("(K wafers/month)", "（万架）", "（EFLOPS）", a data file's "power_kw")
    scales the cell's bare number to the amount it states."""
    if fig.kind == "date" and re.fullmatch(r"\d{4}(?:\.\d+)?", fig.text.strip()):
        # "| rpeak_pflops | 1980.01 |": under a header that writes a unit, a number the parser took for a year
        written = header_unit(cell.header)
        if (written is None or written[0] is None) and _RATING.search(f"{cell.header} {cell.row_label}"):
            # "| Codeforces (Rating) | 2029 |": a rating, not a year
            return fig.model_copy(update={"kind": "number", "unit": None, "value": float(fig.text.strip()), "low": None, "high": None})
        if written is None or written[0] is None:
            return fig
        value = float(fig.text.strip()) * written[1]
        return fig.model_copy(update={"kind": "number", "unit": written[0], "value": value})
    if fig.unit is not None or fig.kind == "date":
        return fig
    # a table of one model per column names the quantity in its row label ("| 词表大小 | 32,000 | 65,536 |");
    # a label with a digit is a name ("Llama-2-13B", "Qwen 7B"), whatever words it holds
    labels = [cell.header] + ([cell.row_label] if not re.search(r"\d", cell.row_label) else [])
    for label in labels:
        if (price := _PRICE_PER_AMOUNT.search(label)) is not None:
            # "Output ($/1M tokens)", "价格（元/百万 tokens）": money per some amount of a thing, not that thing
            unit = "usd" if re.search(r"\$|USD|美元", price.group(1), re.I) else "cny"
            return fig.model_copy(update={"unit": unit})
        written = header_unit(label)
        if written is not None and written[0] is not None:
            # a unit written out ("$/GPU-hour", "(EFLOPS)") over a vocabulary word of the label ("GPU-hour")
            return fig.model_copy(update={"unit": written[0], "value": fig.value * written[1]})
        for pattern, unit, factor in _HEADER_UNITS:
            if pattern.search(label):
                if written is not None:
                    factor = written[1]  # "Context (K)": tokens, in thousands
                return fig.model_copy(update={"unit": unit, "value": fig.value * factor})
        if written is not None:
            return fig.model_copy(update={"unit": written[0], "value": fig.value * written[1]})
    # "| Item (US$ million) | 2023 | 2024 |": a table of periods per column writes the unit of every cell in the
    # header of its first column
    written = header_unit(cell.corner) if cell.corner and not _SHARE.search(cell.row_label) else None
    if written is not None:
        return fig.model_copy(update={"unit": written[0], "value": fig.value * written[1]})
    if cell.currency is not None and fig.kind != "date" and not _SHARE.search(cell.header):
        return fig.model_copy(update={"unit": cell.currency})
    return fig


_RATING = re.compile(r"rating|score|elo|评分|得分|分数|积分", re.I)
# "(K wafers/month)", "（万架）", "(EFLOPS)": the unit part of a header; a data file's key ends in it ("power_kw")
_UNIT_PART = re.compile(r"[（(]\s*([^()（）]{1,24}?)\s*[)）]")
_SNAKE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
_CURRENCY_RATE = re.compile(r"(?:US)?\$\s?(/\s?[\w -]{1,20})")
# a currency, a slash or "per", then an amount: "$/1M tokens", "USD per 1K tokens", "元/百万tokens"
_PRICE_PER_AMOUNT = re.compile(
    r"((?:US)?\$|USD|美元|(?<![A-Za-z])RMB|(?<![A-Za-z])CNY|人民币|元)\s?(?:/|per\b|每)\s?(?:\d|[百千万]|one\b|a\b)",
    re.I,
)
_CODE_FIRST = re.compile(r"([A-Za-z]{3})\s+([A-Za-z]+)")
_CURRENCY_FIRST = re.compile(r"((?:US|HK|NT|A|C|S)?[$¥€£])\s*([A-Za-z]{0,8})$")
_ELSEWHERE = re.compile(r"\s*(?:/|per\b|每)", re.I)  # "GFLOPS/W": a rate of another unit, not the unit read


def header_unit(label: str) -> tuple[str | None, float] | None:
    """The unit and scale a table header or data key writes for its bare cells: "(K wafers/month)" -> (None,
    1000), "在用标准机架（万架）" -> (None, 10000), "rmax_pflops" -> ("flop_per_s", 1e15), "power_kw" ->
    ("kilowatt", 1), "$/GPU-hour" -> ("usd_per_gpu_hour", 1); None when it writes neither."""
    texts = [m.group(1) for m in _UNIT_PART.finditer(label)]
    texts += ["$1" + m.group(1) for m in _CURRENCY_RATE.finditer(label)]
    key = label.strip()
    if _SNAKE.fullmatch(key):
        parts = key.split("_")
        # "downloads_last_month_millions", "revenue_usd_millions": a key ending in a scale word is counted in it,
        # in the currency just before it if any ("last month" says when, not the unit)
        scale = _probe(parts[-1])
        if scale is not None and scale[0] is None and scale[1] != 1:
            before = _probe(parts[-2]) if len(parts) > 2 else None
            money = before is not None and before[1] == 1 and before[0] in CURRENCY_CODES
            return (before[0] if money and before is not None else None), scale[1]
        # "efficiency_gflops_per_w": the part after "per" is the denominator, never the unit of the cells
        texts += [" ".join(parts[i:]) for i in range(1, len(parts)) if parts[i - 1].lower() != "per"]
    for text in texts:
        if re.search(r"\d", text.removeprefix("$1")):
            continue  # "(7B)", "(USD/1M tokens)": a name or a rate per some amount, not a unit
        got = _probe(text)
        if got is not None:
            return got
    return None


@functools.lru_cache(maxsize=2048)
def _probe(text: str) -> tuple[str | None, float] | None:
    """Read ``text`` as the unit of the number one ("K" as "1K", "kw" as "1 KW"); the whole unit or nothing."""
    if text.startswith("$1"):
        forms = [text]
    elif (m := _CURRENCY_FIRST.match(text)) is not None:
        forms = [f"{m.group(1)}1 {m.group(2)}".rstrip()]  # "(US$ bn)": the currency written before the number
    elif (m := _CODE_FIRST.fullmatch(text)) is not None and m.group(1).lower() in CURRENCY_CODES:
        forms = [f"1 {m.group(2)} {m.group(1)}"]  # "(USD billion)": the code written before its scale word
    else:
        words = text.split() or [text]
        first, rest = words[0], " ".join(words[1:])
        forms = [f"1 {text}", f"1{text}", f"1 {text.upper()}", f"1 {first.upper()} {rest}".rstrip()]
        if not _ELSEWHERE.match(rest):
            forms.append(f"1{first}")
        if re.fullmatch(r"[a-z]{4,}s", text):
            forms.append(f"1 {text[:-1]}")  # "millions", "thousands": a scale word in the plural
    for form in dict.fromkeys(forms):
        figures = parse_figures(form)
        if len(figures) != 1 or figures[0].start != 0:
            continue
        f = figures[0]
        rest = form[f.end :]
        if _ELSEWHERE.match(rest) or re.search(r"\d", rest):
            continue
        if f.unit is not None or f.value != 1:
            if f.unit == "percent":
                return None  # "(%)" is read above, as a share
            return f.unit, f.value
    return None


_SHARE = re.compile(r"降幅|增幅|涨幅|占比|比例|share|change|ratio|growth|%|\bGPUs?\b|数量|count", re.I)
