"""A data file's records read as one table: each line "rank: 2; system: Frontier; power_kw: 24607" is a row,
each key a column.

The CSV loader writes every row as its "Column: value" fields joined by "; " (empty cells left out), so a number
in a record means what its key and the record's naming fields say, as a cell of a Markdown table means what its
header and row label say. Read as a grid, the records get the same row-by-column reading (``cells``) and the same
header units (``tables.apply_header``) as a table.
"""

from __future__ import annotations

import functools
import re

_FIELD = re.compile(r"([^:;\n]{1,60}): ([^;\n]*)(?:; |$)")
_MAX_LINES = 2000


def fields(line: str) -> list[tuple[str, str, int]] | None:
    """The (key, value, value offset) fields of one record line; None when the line is not a record of two fields
    or more written wholly as "key: value" pairs."""
    out = []
    pos = 0
    while pos < len(line):
        m = _FIELD.match(line, pos)
        if m is None or m.end() == pos:
            return None
        out.append((m.group(1).strip(), m.group(2).strip(), m.start(2)))
        pos = m.end()
    return out if len(out) >= 2 else None


def record_at(text: str, pos: int) -> tuple[int, list[tuple[str, str, int]], int] | None:
    """The record line holding ``pos``: its start, its fields and the index of the field whose value holds
    ``pos``; None outside a record."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    le = len(text) if le < 0 else le
    found = fields(text[ls:le])
    if found is None:
        return None
    for i, (_, value, at) in enumerate(found):
        if ls + at <= pos < ls + at + len(value):
            return ls, found, i
    return None


@functools.lru_cache(maxsize=64)
def _block(text: str, top: int) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[int, ...]]:
    keys: list[str] = []
    records: list[tuple[int, dict[str, str]]] = []
    pos = top
    while pos < len(text) and len(records) < _MAX_LINES:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        found = fields(text[pos:end])
        if found is None:
            break
        for key, _, _ in found:
            if key not in keys:
                keys.append(key)
        records.append((pos, {k: v for k, v, _ in found}))
        pos = end + 1
    rows = tuple(tuple(r.get(k, "") for k in keys) for _, r in records)
    return tuple(keys), rows, tuple(p for p, _ in records)


@functools.lru_cache(maxsize=4096)
def _top(text: str, ls: int) -> int:
    """The first line of the block of record lines holding the line at ``ls``."""
    top = ls
    for _ in range(_MAX_LINES):
        if top == 0:
            break
        prev = text.rfind("\n", 0, top - 1) + 1
        if fields(text[prev : top - 1]) is None:
            break
        top = prev
    return top


def record_grid(
    text: str, pos: int
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[int, ...], int, int] | None:
    """The block of record lines around ``pos`` as (keys, rows of values by key, line starts), with the row and
    column of ``pos``; None outside a record."""
    at = record_at(text, pos)
    if at is None:
        return None
    ls, found, index = at
    keys, rows, starts = _block(text, _top(text, ls))
    if ls not in starts:
        return None
    return keys, rows, starts, starts.index(ls), keys.index(found[index][0])
