"""Which cell of a table a claim's figure is: the claim subject's row and the claim measure's column.

A number in a table means what its row label and column header say. A claim names its subject and its measure in
its own words; the row (column) whose label repeats more of the claim's rare words, weighted by the index's IDF,
is the claim's. A cell in another row or column holding the claim's number states a different quantity ("59.3"
under "Claude Opus 4" is no evidence for "Claude Sonnet 4 ... 59.3"), and a different number there does not
contradict it. Only a strictly better named row or column displaces a cell: where the words tie (no label named,
or a label in the other language) the cell stays for the other signals to judge.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.check.claims import DraftClaim
from assistant.check.compare import units_compatible
from assistant.check.evidence import EvidenceFinder, SourceFigure
from assistant.check.headers import label_terms
from assistant.check.match import unit_fits
from assistant.check.records import record_grid
from assistant.check.tables import header_unit
from assistant.text import name_like, tokenize
from tools.figures import parse_figures

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_VARIANT = re.compile(r"v?\d+(?:\.\d+)?[a-z]?|[a-z]\d+(?:\.\d+)?[a-z]?")  # "8b", "v3.1", "a22b", "r1"
_VERSION = re.compile(r"(?<=[A-Za-z][\s-])(\d+\.\d+)(?![\d.])")
_GENERATION = re.compile(r"(?<=[A-Za-z][\s-])(\d{1,2})(?![\d.A-Za-z-])")  # "Llama 3", "Llama 4 Scout"
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
        rec = record_grid(text, pos)  # a data file's records: one row per line, one column per key
        if rec is None:
            return None
        keys, rows, starts, row, column = rec
        return Grid(keys, rows, starts), row, column
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


@functools.lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    """Naming words: rare-able words, years, and version numbers written after a name ("Llama 3.3", "Qwen-2.5")."""
    words = {_singular(t) for t in tokenize(text) if name_like(t) or _YEAR.fullmatch(t)}
    return frozenset(words | {f"v{m}" for m in _VERSION.findall(text)})


@functools.lru_cache(maxsize=512)
def _figures(sentence: str) -> tuple[tuple[str, float, str], ...]:
    return tuple((f.text, f.value, f.kind) for f in parse_figures(sentence))


def _singular(word: str) -> str:
    """ "layers" and "42-layer" name one thing: a plain English word loses its plural "s"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word.isalpha() and word.isascii() else word


def _numbers(text: str) -> set[str]:
    out = set()
    for n in _NUMBER.findall(text):
        n = n.replace(",", "")
        out.add(n)
        with contextlib.suppress(ValueError):
            out.add(f"{float(n):g}")  # "8" and "8.0" are one number
    return out


class ClaimWords:
    """The claim's words with their weight: IDF in the index, halved outside the figure's own clause."""

    def __init__(
        self,
        sentence: str,
        clause: str,
        figure: str,
        weights: Callable[[Sequence[str]], dict[str, float]],
        subjects: Sequence[str] = (),
        unit: str | None = None,
    ):
        self.unit = unit  # the claim figure's unit: a column whose header writes another is another quantity
        own = _numbers(figure)
        self.siblings = _numbers(sentence) - own  # the claim's other figures: their cells are theirs
        # ... also those written in words ("for eight H100 GPUs" is the "| GPUs | 8 |" cell's)
        # (the claim's own figure, however much of its unit either reading took: "约 2.46 万亿" / "… 万亿个 token")
        others = [(t, v) for t, v, kind in _figures(sentence) if not _numbers(t) & own and kind != "date" and v > 0]
        self.sibling_values = {f"{v:g}" for _, v in others} | {n for t, _ in others for n in _numbers(t)}
        self.siblings |= {f"{v:g}" for _, v in others}
        inside = _words(clause)
        words = _words(sentence) | inside
        named = {w for s in subjects for w in _words(s)}
        idf = weights(sorted(words))
        # beside other figures, the words of another clause say what those measure ("146 万 GPU 小时，…排放为
        # 240 吨"): only the subjects' names reach across clauses
        outside = {w: _OUTSIDE if (w in named or not self.siblings) else 0.0 for w in words}
        self.weight = {w: idf.get(w, 1.0) * (1.0 if w in inside else outside[w]) for w in words}
        self._weights = weights

    def score(self, label: str, *, widen: bool = False) -> float:
        """The claim's words the label repeats, less its own sizes and versions the claim never says ("8B" of a
        "Llama 3 8B" row is another model than the claim's "Llama 3", which a "Total" row may well be).
        ``widen``: in the words of either language too ("总分" names the claim's "overall score"); only to find
        the column a claim names, never to drop a cell (a claim's "低延迟" does not make "| Latency |" its column)."""
        words = _words(label)
        other = [w for w in words if w not in self.weight and _VARIANT.fullmatch(w)]
        if widen:
            words = words | _words(label_terms(label))
        penalty = sum(self._weights(other).values()) if other else 0.0
        return sum(self.weight.get(w, 0.0) for w in words) - penalty


def rivals(grid: Grid, row: int, column: int, claim: ClaimWords) -> tuple[dict[int, str], dict[int, str]]:
    """The other figure columns of the cell's row and the other rows holding a figure in its column, with their
    labels; cells holding the claim's other figures belong to those and are left out."""
    cells = grid.rows[row]
    columns, rows = {}, {}
    own_unit = _written_unit(grid.header[column]) if column < len(grid.header) else None
    for j, head in enumerate(grid.header):
        if j == column or j >= len(cells) or not _NUMBER.search(cells[j]) or _numbers(cells[j]) & claim.siblings:
            continue
        if claim.unit is not None and own_unit == claim.unit and _written_unit(head) not in (None, claim.unit):
            continue  # "$/GPU-hour" beside the "$/hour" column the claim's "$88.25 an hour" is read from
        if claim.unit is not None and not units_compatible(_written_unit(head) or claim.unit, claim.unit):
            continue  # "(US$ bn)" beside the share column a claim's "72%" is read from: another kind of quantity
        if re.search(r"[A-Za-z\u4e00-\u9fff]{2}", re.sub(r"\d+(?:[.,]\d+)*", "", cells[j])) and j < column:
            continue  # a naming cell of the row ("Llama-3-8B"), not a figure column
        columns[j] = head
    for r, other in enumerate(grid.rows):
        if r == row or column >= len(other) or not _NUMBER.search(other[column]):
            continue
        if not _numbers(other[column]) & claim.siblings:
            rows[r] = _label(other, column)
    return columns, rows


def _written_unit(head: str) -> str | None:
    written = header_unit(head)
    return written[0] if written is not None else None


def misplaced(grid: Grid, row: int, column: int, claim: ClaimWords) -> bool:
    """Whether another row or column of ``grid`` names the claim clearly better than the cell at (row, column)."""
    cells = grid.rows[row]
    if not 0 <= column < len(cells) or not 0 <= column < len(grid.header):
        return False
    columns, rows = rivals(grid, row, column, claim)
    if (
        claim.unit is not None
        and _written_unit(grid.header[column]) not in (None, claim.unit)
        and any(_written_unit(head) == claim.unit for j, head in enumerate(grid.header) if j != column)
    ):
        return True  # "$/GPU-hour" beside the "$/hour" column that writes the claim's "$98.32 an hour"
    for own, others in ((grid.header[column], columns), (_label(cells, column), rows)):
        mine = claim.score(own)
        scores = [claim.score(label) for label in others.values()]
        if any(x > mine + _MARGIN for x in scores):
            return True
    return False


def in_place(claim: DraftClaim, sources: Sequence[SourceFigure], finder: EvidenceFinder) -> list[SourceFigure]:
    """``sources`` without the table cells another row or column names the claim better than: in their own table,
    or, among the tables of the same document, a cell whose row and column together name clearly more of the claim
    ("DeepSeek-V2-Lite 16B Chat (SFT)" over a base-model table's "DeepSeek-V2-Lite (MoE-16B)" for a chat claim)."""
    ctx = claim.ctx
    s0 = ctx.sentence[0]
    words: ClaimWords | None = None
    clause = ctx.sentence_text[ctx.clause[0] - s0 : ctx.clause[1] - s0]
    subjects = [e.surface for e in claim.subjects]
    kept: list[tuple[SourceFigure, tuple[str, str, float, float] | None]] = []
    for sf in sources:
        named = None
        if sf.ctx.header:
            at = grid_at(finder.text(sf.passage.document.id), sf.ctx.figure.start)
            if at is not None:
                if words is None:
                    words = ClaimWords(
                        ctx.sentence_text, clause, ctx.figure.text, finder.aligner.weights, subjects, ctx.figure.unit
                    )
                if misplaced(*at, words):
                    continue
                grid, row, column = at
                fig = sf.ctx.figure
                if (_numbers(fig.text) | {f"{fig.value:g}"}) & words.sibling_values:
                    continue  # the cell holds another figure of the claim ("from $98.32 to $55.04": the $55.04)
                head, label = grid.header[column], _label(grid.rows[row], column)
                named = (head, label, words.score(head), words.score(label))
        kept.append((sf, named))
    # only against a cell of the same document that shares its row or its column label (one benchmark row in a
    # base-model table and in a chat-model table): the chat table's column names "Chat (SFT)" as the claim does.
    # Two documents naming one quantity differently disagree, and are shown side by side; a cell of another
    # quantity that happens to name the claim's model is no rival.
    cells = [
        (sf.passage.document.id, n) for sf, n in kept if n is not None and unit_fits(ctx.figure.unit, sf.ctx)
    ]

    unit = ctx.figure.unit

    def beaten(doc: str, n: tuple[str, str, float, float]) -> bool:
        # a header writing the claim's very unit ("$/hour" for "$88.25 an hour") is not beaten by one writing
        # another ("$/GPU-hour"), whatever words they share with the claim
        exact = unit is not None and _written_unit(n[0]) == unit
        return any(
            d == doc
            and not (exact and _written_unit(o[0]) != unit)
            and (o[0] == n[0] or o[1] == n[1])
            and o[2] >= n[2]
            and o[3] >= n[3]
            and o[2] + o[3] > n[2] + n[3] + _MARGIN
            for d, o in cells
        )

    return [sf for sf, n in kept if n is None or not beaten(sf.passage.document.id, n)]


def _cell_grid(sf: SourceFigure, finder: EvidenceFinder) -> tuple[Grid, int, int] | None:
    """The table of cell ``sf``, with the cell's row and column, when the cell sits under a header."""
    if not sf.ctx.header:
        return None
    at = grid_at(finder.text(sf.passage.document.id), sf.ctx.figure.start)
    if at is None or at[2] >= len(at[0].header):
        return None
    return at


def names_cell(claim: DraftClaim, sf: SourceFigure, finder: EvidenceFinder) -> bool:
    """Whether ``sf`` is a table cell whose row label and column header together name every subject of the claim
    in the claim's own words ("| **GSM8K** | ... |" under "DeepSeek-V2-Lite 16B Chat (SFT)" for "DeepSeek-V2-Lite
    Chat (SFT) ... GSM8K"): the cell is the claim subject's, whatever model name the entity reader makes of it."""
    at = _cell_grid(sf, finder)
    if at is None:
        return False
    grid, row, column = at
    if not claim.subjects:
        return _row_named(claim.ctx.sentence_text, grid, row, column, finder)
    named = _parts(grid.header[column]) | _parts(_label(grid.rows[row], column))
    title = _words(f"{sf.passage.document.title} {sf.passage.document.source_path}")
    # a subject read as two names ("DeepSeek-R1" and "Qwen-7B" of "DeepSeek-R1-Distill-Qwen-7B") is named by
    # its parts, not by its hyphenated whole
    own = [_parts(e.surface) for e in claim.subjects]
    if not any(o and o <= named for o in own):
        return False  # the row or column must name at least one subject itself; the title alone names the document
    named |= title
    return all(o and o <= named for o in own)


def _row_named(sentence: str, grid: Grid, row: int, column: int, finder: EvidenceFinder) -> bool:
    """A claim naming no model or firm the vocabulary knows ("Leonardo 超算的功耗为 8494 千瓦") names the row
    whose label alone holds one of its words rare in the index: the system, site or product the row is about."""
    rare = set(finder.aligner.rare_names(sentence))
    if not rare:
        return False
    hits = rare & _words(_label(grid.rows[row], column))
    if not hits:
        return False
    return not any(hits & _words(_label(other, column)) for r, other in enumerate(grid.rows) if r != row)


def _parts(name: str) -> set[str]:
    words = _words(name) | {f"v{m}" for m in _GENERATION.findall(name)}
    return {w for w in words if "-" not in w} or set(words)


def column_named(claim: DraftClaim, sf: SourceFigure, finder: EvidenceFinder) -> bool:
    """Whether the claim names the column of table cell ``sf`` over all its row's other figure columns: its header
    repeats clearly more of the claim's rare words than any other. (The embedder was tried for headers in the other
    language: on labels of two to four words its cosines do not tell "推理任务" from "通用任务".)"""
    at = _cell_grid(sf, finder)
    if at is None or not at[0].header[at[2]].strip():
        return False
    grid, row, column = at
    ctx = claim.ctx
    s0 = ctx.sentence[0]
    clause = ctx.sentence_text[ctx.clause[0] - s0 : ctx.clause[1] - s0]
    subjects = [e.surface for e in claim.subjects]
    words = ClaimWords(
        ctx.sentence_text, clause, ctx.figure.text, finder.aligner.weights, subjects, ctx.figure.unit
    )
    columns, _ = rivals(grid, row, column, words)
    own = grid.header[column]
    mine = words.score(own, widen=True)
    scores = [words.score(h, widen=True) for h in columns.values()]
    return mine > 0 and all(mine > x + _MARGIN for x in scores)
