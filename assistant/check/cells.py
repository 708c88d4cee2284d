"""Which cell of a table a claim's figure is: the claim subject's row and the claim measure's column.

A number in a table means what its row label and column header say. A claim names its subject and its measure in
its own words; the row (column) whose label repeats more of the claim's rare words, weighted by the index's IDF,
is the claim's. A cell in another row or column holding the claim's number states a different quantity ("59.3"
under "Claude Opus 4" is no evidence for "Claude Sonnet 4 ... 59.3"), and a different number there does not
contradict it. Only a strictly better named row or column displaces a cell: where the words tie (no label named,
or a label in the other language) the cell stays for the other signals to judge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.check.claims import DraftClaim
from assistant.check.evidence import EvidenceFinder, SourceFigure
from assistant.check.match import unit_fits
from assistant.text import name_like, tokenize

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_RANK = re.compile(r"[*_\s]*\d{0,3}[*_\s]*")
_OUTSIDE = 0.5  # a claim word outside the figure's own clause names the cell less surely
_MARGIN = 0.25  # in IDF units: the other label must name clearly more of the claim
_MAX_ROWS = 80


@dataclass(frozen=True, slots=True)
class Grid:
    """One Markdown table: its header cells and body rows (cells stripped), and where each body row starts."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    starts: tuple[int, ...]


def _cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


@functools.lru_cache(maxsize=512)
def _grid(text: str, top: int) -> Grid | None:
    lines: list[tuple[int, str]] = []
    pos = top
    while pos < len(text) and len(lines) < _MAX_ROWS + 2:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if not line.lstrip().startswith("|"):
            break
        lines.append((pos, line))
        pos = end + 1
    if len(lines) < 3 or not _SEPARATOR.match(lines[1][1]):
        return None
    body = [(p, ln) for p, ln in lines[2:] if not _SEPARATOR.match(ln)]
    return Grid(_cells(lines[0][1]), tuple(_cells(ln) for _, ln in body), tuple(p for p, _ in body))


def grid_at(text: str, pos: int) -> tuple[Grid, int, int] | None:
    """The table holding position ``pos`` in a body row, with the row's index and the cell's column; None outside."""
    ls = text.rfind("\n", 0, pos) + 1
    if not text[ls : pos + 1].lstrip().startswith("|"):
        return None
    top = ls
    for _ in range(_MAX_ROWS):
        prev = text.rfind("\n", 0, max(0, top - 1)) + 1
        if top == 0 or not text[prev:top].lstrip().startswith("|"):
            break
        top = prev
    grid = _grid(text, top)
    if grid is None or ls not in grid.starts:
        return None
    return grid, grid.starts.index(ls), text.count("|", ls, pos) - 1


def _label(cells: Sequence[str], column: int) -> str:
    """A row's naming cells for its cell in ``column``: the first (unless a rank) and worded cells before it."""
    first = [] if column >= 1 and _RANK.fullmatch(cells[0]) else [cells[0]]
    return " ".join(first + [c for c in cells[1:column] if re.search(r"[A-Za-z\u4e00-\u9fff]{2}", c)])


def _words(text: str) -> set[str]:
    return {t for t in tokenize(text) if name_like(t) or _YEAR.fullmatch(t)}


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


class ClaimWords:
    """The claim's words with their weight: IDF in the index, halved outside the figure's own clause."""

    def __init__(self, sentence: str, clause: str, figure: str, weights: Callable[[Sequence[str]], dict[str, float]]):
        own = _numbers(figure)
        inside = _words(clause)
        words = _words(sentence) | inside
        idf = weights(sorted(words))
        self.weight = {w: idf.get(w, 1.0) * (1.0 if w in inside else _OUTSIDE) for w in words}
        self.siblings = _numbers(sentence) - own  # the claim's other figures: their cells are theirs

    def score(self, label: str) -> float:
        return sum(self.weight.get(w, 0.0) for w in _words(label))


def misplaced(grid: Grid, row: int, column: int, claim: ClaimWords) -> bool:
    """Whether another row or column of ``grid`` names the claim clearly better than the cell at (row, column)."""
    cells = grid.rows[row]
    if not 0 <= column < len(cells) or not 0 <= column < len(grid.header):
        return False
    own_col = claim.score(grid.header[column])
    for j, head in enumerate(grid.header):
        if j == column or j >= len(cells) or not _NUMBER.search(cells[j]) or _numbers(cells[j]) & claim.siblings:
            continue
        if re.search(r"[A-Za-z\u4e00-\u9fff]{2}", re.sub(r"\d+(?:[.,]\d+)*", "", cells[j])) and j < column:
            continue  # a naming cell of the row ("Llama-3-8B"), not a figure column
        if claim.score(head) > own_col + _MARGIN:
            return True
    own_row = claim.score(_label(cells, column))
    for r, other in enumerate(grid.rows):
        if r == row or column >= len(other) or not _NUMBER.search(other[column]):
            continue
        if _numbers(other[column]) & claim.siblings:
            continue
        if claim.score(_label(other, column)) > own_row + _MARGIN:
            return True
    return False


def in_place(claim: DraftClaim, sources: Sequence[SourceFigure], finder: EvidenceFinder) -> list[SourceFigure]:
    """``sources`` without the table cells another row or column names the claim better than: in their own table,
    or, among the tables retrieved, a cell whose row and column together name clearly more of the claim
    ("DeepSeek-V2-Lite 16B Chat (SFT)" over a base-model table's "DeepSeek-V2-Lite (MoE-16B)" for a chat claim)."""
    ctx = claim.ctx
    s0 = ctx.sentence[0]
    words: ClaimWords | None = None
    kept: list[tuple[SourceFigure, float | None]] = []
    for sf in sources:
        named = None
        if sf.ctx.header:
            at = grid_at(finder.text(sf.passage.document.id), sf.ctx.figure.start)
            if at is not None:
                if words is None:
                    clause = ctx.sentence_text[ctx.clause[0] - s0 : ctx.clause[1] - s0]
                    words = ClaimWords(ctx.sentence_text, clause, ctx.figure.text, finder.aligner.weights)
                if misplaced(*at, words):
                    continue
                grid, row, column = at
                named = words.score(grid.header[column]) + words.score(_label(grid.rows[row], column))
        kept.append((sf, named))
    fitting = [n for sf, n in kept if n is not None and unit_fits(ctx.figure.unit, sf.ctx)]
    best = max(fitting, default=None)
    return [sf for sf, n in kept if n is None or best is None or n >= best - _MARGIN]


def names_cell(claim: DraftClaim, sf: SourceFigure, finder: EvidenceFinder) -> bool:
    """Whether ``sf`` is a table cell whose row label and column header together name every subject of the claim
    in the claim's own words ("| **GSM8K** | ... |" under "DeepSeek-V2-Lite 16B Chat (SFT)" for "DeepSeek-V2-Lite
    Chat (SFT) ... GSM8K"): the cell is the claim subject's, whatever model name the entity reader makes of it."""
    if not sf.ctx.header or not claim.subjects:
        return False
    at = grid_at(finder.text(sf.passage.document.id), sf.ctx.figure.start)
    if at is None:
        return False
    grid, row, column = at
    if column >= len(grid.header):
        return False
    named = _words(grid.header[column]) | _words(_label(grid.rows[row], column))
    for e in claim.subjects:
        own = _words(e.surface)
        if not own or not own <= named:
            return False
    return True
