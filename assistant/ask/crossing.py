"""A table row and a column the question both names: the cell where they cross is the figure asked.

"What did Zorblax-7B score on GSM8K?" names the row "GSM8K" and the column "Zorblax-7B" (or the other way round);
the cell at their crossing answers whatever its unit, and such a row ranks above rows merely sharing words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from assistant.ask.analyze import QuestionAnalysis, match_kind
from assistant.ask.headers import clean_cell, covers, heads, name_tokens, names_by_tokens
from assistant.ask.matching import MatchText
from assistant.ask.spans import cells, demark
from assistant.ask.table import Cell, answering_cell, is_given
from assistant.ask.terms import Term
from tools.figures import Figure, parse_figures

# Kinds a benchmark table's bare cells are: a score asked as a rate or share ("pass rate", "胜率", "准确率").
SCORE_KINDS = frozenset({"percent", "ratio"})
# How strongly the crossing of a named row and a named column answers (as a bare number cued by a focus word).
CROSSING_HIT = 0.8
# How much a row whose label and one column header the question names ranks above rows merely sharing its words.
CROSSING_BONUS = 0.2


def column_named(header: str, term: Term) -> bool:
    """Whether one cell of the header row ``header`` is named by the name ``term`` by its tokens."""
    if not term.name or "|" not in header:
        return False
    forms = (term.label or term.text, *term.forms)
    return any(covers(have, forms) for have in _header_tokens(header))


@functools.lru_cache(maxsize=1024)
def _header_tokens(header: str) -> tuple[frozenset[str], ...]:
    return tuple(name_tokens(header[s:e]) for s, e in cells(header, 0, len(header)))


def crossing(
    text: str,
    row: tuple[int, int],
    header: tuple[int, int] | None,
    terms: Sequence[Term],
    *,
    label_focus: bool = False,
    column_focus: bool = False,
    column_any: bool = False,
) -> Cell | None:
    """The cell of ``text[row]`` where a row whose label one of ``terms`` names crosses a column whose header
    another names; None when the row or the column is not named. Both are named by names ("GSM8K" x
    "Zorblax-7B"); with ``label_focus`` a row also by a focus word ("层数" for 有多少层), with ``column_focus``
    a column also by a focus word ("Approx. memory"), with ``column_any`` by any word; one side always by a name."""
    if header is None:
        return None
    # the row by what the question is about (a name) or what it asks (a focus word), not by any word it shares
    row_terms = [t for t in terms if t.name or (t.focus and label_focus)]
    first = next(((s, e) for s, e in cells(text, *row) if e > s), None)
    if first is None or not _named(clean_cell(text[first[0] : first[1]]), row_terms):
        return None  # checked first: most rows are named by nothing, and reading their cells costs more
    cell = answering_cell(text, row, header, terms)
    if cell is None or not cell.label or not cell.column:
        return None
    column = MatchText(cell.column)
    in_column = {t.text for t in terms if (t.name or column_any or (column_focus and t.focus)) and heads(column, t)}
    in_label = _named(cell.label, row_terms)
    if not in_column or not in_label - in_column:
        return None
    if not any(t.name for t in terms if t.text in in_label | in_column):
        return None  # a row and a column named by common words only: no thing the question is about
    return cell


def clear_crossings(
    text: str,
    rows: Sequence[tuple[int, int, tuple[int, int] | None]],
    terms: Sequence[Term],
    *,
    column_any: bool = False,
    given: Sequence[float] = (),
) -> set[tuple[int, int]]:
    """The (start, end) of the rows among ``rows`` (start, end, header) that are crossings whose label the
    question's words cover better than any other crossing row's of their table: two rows "Codeforces
    (Percentile)" and "Codeforces (Rating)" both half named leave the choice to the question's other words.
    Of rows named alike, the one stating a condition the question gives ("4-bit" for "in 4-bit") is taken."""
    tables: dict[tuple[int, int], list[tuple[float, tuple[int, int]]]] = {}
    asked: frozenset[str] | None = None  # the question's tokens, read once a crossing is found
    keys = tuple((t.text, t.label, t.forms, t.name) for t in terms if t.name or t.focus or column_any)
    headed: dict[tuple[int, int], bool] = {}
    for start, end, header in rows:
        if header is None:
            continue
        if header not in headed:  # a table none of whose columns the question names has no crossing
            headed[header] = _header_named(text[header[0] : header[1]], keys)
        if not headed[header]:
            continue
        cell = crossing(
            text, (start, end), header, terms, label_focus=True, column_focus=True, column_any=column_any
        )
        if cell is not None:
            if asked is None:
                asked = frozenset(tok for t in terms for f in (t.label or t.text, *t.forms) for tok in _label_tokens(f))
            label = _label_tokens(cell.label)
            covered = len(label & asked) / len(label) if label else 0.0
            tables.setdefault(header, []).append((covered, (start, end)))
    out: set[tuple[int, int]] = set()
    for found in tables.values():
        top = max(w for w, _ in found)
        best = [span for w, span in found if w >= top - 1e-9]
        if len(best) > 1:
            stated = {r: _conditions(text, r, terms, given) for r in best}
            most = max(stated.values())
            best = [r for r in best if stated[r] == most]
        if len(best) == 1:  # the label the question's words cover most ("Llama 2 70B", not "Llama 2 7B")
            out.add(best[0])
    return out


def _conditions(text: str, row: tuple[int, int], terms: Sequence[Term], given: Sequence[float]) -> int:
    """How many cells after a row's label state a condition of the question: a figure it gives, or a word of it
    ("4-bit" for "in 4-bit")."""
    words = [t for t in terms if not t.name]
    n = 0
    for s, e in cells(text, *row)[1:]:
        cell = MatchText(demark(text[s:e]))
        n += is_given(text[s:e], given) or any(cell.has(t) for t in words)
    return n


@functools.lru_cache(maxsize=2048)
def _header_named(header: str, keys: tuple[tuple[str, str, tuple[str, ...], bool], ...]) -> bool:
    """Whether a column of the header row ``header`` (past the first) is named by one of the terms ``keys``
    (text, label, forms, name) describe. (Remembered: the same headers come back with every part of a question.)"""
    terms = [Term(text=t, label=label, forms=forms, weight=1.0, name=name) for t, label, forms, name in keys]
    columns = [MatchText(demark(header[s:e])) for s, e in cells(header, 0, len(header))[1:]]
    return any(heads(h, t) for h in columns for t in terms)


def _label_tokens(text: str) -> frozenset[str]:
    """``name_tokens`` with Chinese words split into characters ("层数" -> 层, 数), for how much of a label the
    question's words cover."""
    return frozenset(c for tok in name_tokens(text) for c in (tok if _CJK_RUN.match(tok) else (tok,)))


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")


def _named(label: str, terms: Sequence[Term]) -> set[str]:
    """The terms naming a row's label (as written, or a name by its tokens)."""
    low = MatchText(label)
    return {t.text for t in terms if low.has(t) or names_by_tokens(label, t)}


def crossing_hit(
    text: str, row: tuple[int, int], header: tuple[int, int] | None, analysis: QuestionAnalysis
) -> tuple[float, Figure | None]:
    """(``CROSSING_HIT``, the figure) when the cell at the crossing of a named row and a named column answers a
    score asked as a rate or share: a bare number, in a table whose row and column name no other measure."""
    asked = analysis.asked
    if asked is None or asked.name not in SCORE_KINDS:
        return 0.0, None
    cell = crossing(text, row, header, analysis.terms)
    if cell is None:
        return 0.0, None
    figures = parse_figures(demark(text[cell.start : cell.end]))
    if len(figures) != 1 or figures[0].unit is not None or figures[0].value == 0:
        return 0.0, None
    if any((k := match_kind(part.lower())) is not None and k.name != asked.name for part in (cell.label, cell.column)):
        return 0.0, None  # "Training tokens" or "Memory (GB)": another measure than the one asked
    plain = demark(text[row[0] : row[1]])
    value = figures[0].value
    return next(((CROSSING_HIT, f) for f in parse_figures(plain) if f.value == value and f.unit is None), (0.0, None))


