"""HTML ``<table>`` blocks inside Markdown rewritten as Markdown pipe tables.

Model cards often carry their benchmark tables as raw HTML. Read as loose lines, a cell is cut from its row
and its column ("<td>70B"); as a pipe table, each row is one line under its header, which the answer and
check layers read cell by cell. ``rowspan``/``colspan`` are expanded by repeating the cell, so every row names
its model and every column its benchmark:

    <tr><td rowspan="2">Llama 3</td><td>8B</td></tr><tr><td>70B</td></tr>
    ->  | Llama 3 | 8B |
        | Llama 3 | 70B |

A table that cannot be read (unclosed, too large, no cells) is left exactly as it was; so is anything inside
a fenced code block, where HTML is an example, not content.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

log = logging.getLogger(__name__)

# HTML caps colspan at 1000 and rowspan at 65534; tables past these sizes are not data tables worth a rewrite
MAX_COLUMNS = 64
MAX_CELLS = 50_000
_MAX_SPAN = 1000

_TABLE_TAG_RE = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.MULTILINE)
# tags that separate words inside a cell (an inline tag like <strong> does not: "<b>85</b>.7" is "85.7")
_BREAKS = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "hr", "img", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
)


@dataclass(slots=True)
class _Cell:
    text: str
    header: bool
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    caption: str = ""


def _span(value: str | None, *, zero_ok: bool) -> int:
    """A rowspan/colspan attribute as a count: 1 when missing or not a number; 0 (rowspan: to the end) kept."""
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    if n == 0 and zero_ok:
        return 0
    return min(max(n, 1), _MAX_SPAN)


class _TableParser(HTMLParser):
    """Collects the rows and cells of one outer table; an inner table's text joins the cell holding it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table = _Table()
        self.closed = False
        self._depth = 0
        self._row: list[_Cell] | None = None
        self._cell: _Cell | None = None
        self._parts: list[str] = []
        self._caption: list[str] | None = None
        self._gap = False  # a <sup>/<sub> just opened: keep "85.5<sup>1</sup>" from reading as 85.51

    # --- cells and rows ---------------------------------------------------------------------------
    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._cell.text = _clean("".join(self._parts))
            self._row.append(self._cell)
        self._cell, self._parts = None, []

    def _close_row(self) -> None:
        self._close_cell()
        if self._row:
            self.table.rows.append(self._row)
        self._row = None

    def _space(self) -> None:
        if self._cell is not None:
            self._parts.append(" ")
        elif self._caption is not None:
            self._caption.append(" ")

    # --- HTMLParser hooks -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth > 1:
                self._space()
            return
        if self._depth != 1:
            if self._depth > 1 and tag in ("tr", "td", "th") or tag in _BREAKS:
                self._space()
            return
        if tag == "tr":
            self._close_row()
            self._row = []
        elif tag in ("td", "th"):
            self._close_cell()
            if self._row is None:
                self._row = []
            named = dict(attrs)
            self._cell = _Cell(
                "", tag == "th", _span(named.get("rowspan"), zero_ok=True), _span(named.get("colspan"), zero_ok=False)
            )
        elif tag == "caption":
            self._caption = []
        elif tag in ("sup", "sub"):
            self._gap = True
        elif tag in _BREAKS:
            self._space()

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1:
                self._close_row()
                self.closed = True
            elif self._depth > 1:
                self._space()
            self._depth = max(self._depth - 1, 0)
            return
        if self._depth != 1:
            if tag in _BREAKS or (self._depth > 1 and tag in ("tr", "td", "th")):
                self._space()
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "caption" and self._caption is not None:
            self.table.caption = _clean("".join(self._caption))
            self._caption = None
        elif tag in _BREAKS:
            self._space()

    def handle_data(self, data: str) -> None:
        if self._depth < 1:
            return
        if self._cell is not None:
            if self._gap and data.strip():
                so_far = "".join(self._parts)
                if so_far[-1:].isalnum() and data.lstrip()[:1].isalnum():
                    self._parts.append(" ")
                self._gap = False
            self._parts.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _clean(text: str) -> str:
    """Whitespace collapsed; a bar escaped so it does not end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


# --- the grid ---------------------------------------------------------------------------------------


def _place(rows: list[list[_Cell]], width: int | None) -> list[dict[int, str]]:
    """Each row's cells by column, spans expanded (columns past ``width`` dropped). Without a width, a row's lone
    cell covers one column: its generous colspan ("colspan=9" on a section label) spans whatever the table has."""
    carry: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to cover)
    placed: list[dict[int, str]] = []
    for r, row in enumerate(rows):
        line: dict[int, str] = {c: t for c, (t, _) in carry.items()}
        carry = {c: (t, n - 1) for c, (t, n) in carry.items() if n > 1}
        col = 0
        for cell in row:
            rowspan = len(rows) - r if cell.rowspan == 0 else min(cell.rowspan, len(rows) - r)
            colspan = cell.colspan if width is not None or len(row) > 1 else 1
            for _ in range(colspan):
                while col in line:
                    col += 1
                if width is not None and col >= width:
                    break
                line[col] = cell.text
                if rowspan > 1:
                    carry[col] = (cell.text, rowspan - 1)
                col += 1
        placed.append(line)
    return placed


def _grid(rows: list[list[_Cell]]) -> tuple[list[list[str]], list[bool], list[bool]] | None:
    """Rows of equal width with spans expanded, whether each row is all header cells, and whether it is a
    section label (one cell across the whole table: "Coding Tasks"). None when the table is too large."""
    if any(sum(c.colspan for c in row) > MAX_COLUMNS for row in rows if len(row) > 1):
        return None
    width = max((max(line) + 1 for line in _place(rows, None) if line), default=1)
    if width > MAX_COLUMNS or width * len(rows) > MAX_CELLS:
        return None
    lines: list[list[str]] = []
    heads: list[bool] = []
    sections: list[bool] = []
    for row, line in zip(rows, _place(rows, width), strict=True):
        section = len(row) == 1 and width > 1 and len(line) == width and len(set(line.values())) == 1
        cells = [line.get(c, "") for c in range(width)]
        lines.append([cells[0]] + [""] * (width - 1) if section else cells)
        heads.append(bool(row) and all(c.header for c in row))
        sections.append(section)
    return lines, heads, sections


def _merge_headers(rows: list[list[str]]) -> list[str]:
    """Stacked header rows as one ("Kernel" over "I2_S" -> "Kernel I2_S"), a spanned cell named once."""
    merged: list[str] = []
    for col in zip(*rows, strict=True):
        words: list[str] = []
        for text in col:
            if text and (not words or words[-1] != text):
                words.append(text)
        merged.append(" ".join(words))
    return merged


def _row_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table_markdown(html: str) -> str | None:
    """The pipe table for one ``<table>...</table>`` block, or None when it cannot be read.

    The header is the leading run of all-``<th>`` rows (merged into one), else the first row; a full-width
    label row before it becomes a line above the table. A one-column table (a boxed note) becomes paragraphs.
    """
    parser = _TableParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser raises these on some broken markup
        log.debug("unreadable HTML table: %s", exc)
        return None
    table = parser.table
    if not parser.closed or not table.rows:
        return None
    built = _grid(table.rows)
    if built is None:
        return None
    lines, heads, sections = built
    if not any(any(cells) for cells in lines):
        return None
    above = [table.caption] if table.caption else []
    if len(lines[0]) == 1:
        return "\n\n".join(above + [cells[0] for cells in lines if cells[0]])
    first = 0
    while first < len(lines) - 1 and sections[first]:
        above.append(lines[first][0])
        first += 1
    stop = first
    while stop < len(lines) and heads[stop] and not sections[stop]:
        stop += 1
    if stop == first:
        stop = first + 1
    header = _merge_headers(lines[first:stop])
    out = [_row_line(header), _row_line(["---"] * len(header))]
    out += [_row_line(cells) for cells in lines[stop:] if any(cells)]
    table_text = "\n".join(out)
    return "\n\n".join([*above, table_text]) if above else table_text


# --- finding the tables in a Markdown text -----------------------------------------------------------


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks (an unclosed fence runs to the end)."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _FENCE_RE.search(text, pos)
        if m is None:
            return ranges
        mark = m.group(1)
        closing = re.compile(rf"^[ \t]{{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.MULTILINE)
        line_end = text.find("\n", m.end())
        if line_end < 0:
            ranges.append((m.start(), len(text)))
            return ranges
        close = closing.search(text, line_end + 1)
        end = len(text) if close is None else close.end()
        ranges.append((m.start(), end))
        pos = end


def _in_code_span(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside `inline code` on its line (an odd number of backticks before it)."""
    return text.count("`", text.rfind("\n", 0, pos) + 1, pos) % 2 == 1


def _table_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost ``<table>...</table>`` outside code and HTML comments; an unclosed one is
    skipped."""
    hidden = _fenced_ranges(text) + [(m.start(), m.end()) for m in _COMMENT_RE.finditer(text)]
    blocks: list[tuple[int, int]] = []
    depth, start = 0, -1
    for m in _TABLE_TAG_RE.finditer(text):
        if any(a <= m.start() < b for a, b in hidden) or _in_code_span(text, m.start()):
            continue
        if m.group(1):  # </table>
            if depth == 0:
                continue
            depth -= 1
            if depth == 0:
                blocks.append((start, m.end()))
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    return blocks


def _newlines_at(text: str, *, end: bool) -> int:
    """How many newlines (at most two) close (``end``) or open ``text``, spaces and tabs ignored."""
    edge = text.rstrip(" \t") if end else text.lstrip(" \t")
    run = len(edge) - len(edge.rstrip("\n")) if end else len(edge) - len(edge.lstrip("\n"))
    return min(run, 2)


def rewrite_html_tables(text: str) -> str:
    """``text`` with every readable HTML table outside code fences replaced by a Markdown pipe table, set off
    by blank lines so it reads as a block of its own. Text without tables is returned unchanged."""
    if "<table" not in text.lower():
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in _table_blocks(text):
        markdown = table_markdown(text[start:end])
        if markdown is None:
            continue
        head = text[pos:start].rstrip(" \t")
        pieces.append(head)
        if head:
            pieces.append("\n" * (2 - _newlines_at(head, end=True)))
        pieces.append(markdown)
        tail = text[end:]
        pieces.append("\n" * (2 - _newlines_at(tail, end=False)) if tail.strip() else "")
        pos = end
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    pieces.append(text[pos:])
    return "".join(pieces)
