"""Rows of the Markdown tables of the documents a question names, read where their row and column are named.

Retrieval ranks chunks, and a benchmark table's chunk holds dozens of rows that share the same few words, so the
one row a question asks about ("Phi-3-mini ... GSM-8K") is often not among the passages even when its document
is. The question names the document (by a model's name in its title), a row (by its label, "GSM-8K") and a column
(by its header, "Phi-3-mini 3.8B"); reading that document's tables finds the crossing directly. Each row found is
offered as a passage running from its table's header row to the row, so the row is read and quoted with the
header that names its columns, and its offsets point into the document.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import replace

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.candidate import Scored
from assistant.ask.crossing import clear_crossings, column_named
from assistant.ask.matching import MatchText
from assistant.ask.spans import cells, demark
from assistant.index.base import Retriever
from assistant.models import Chunk, Document, Passage

log = logging.getLogger(__name__)

# At most this many rows are offered per question (each a passage), best named first.
MAX_ROWS = 4
# Tables further into a document than this many characters are not read (a long report's appendix).
MAX_TEXT = 400_000


@functools.lru_cache(maxsize=16)
def markdown_tables(text: str) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """The Markdown tables of ``text``: for each, its header row and its body rows as (start, end) offsets
    (a table is a header line, a separator line of dashes, then rows; each line starts with a bar). Remembered
    for the last few documents read (callers do not change the lists)."""
    tables: list[tuple[tuple[int, int], list[tuple[int, int]]]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start = pos + len(line) - len(line.lstrip(" \t"))
        end = pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if text.startswith("|", start):
            lines.append((start, end))
            continue
        _close(text, lines, tables)
        lines = []
    _close(text, lines, tables)
    return tables


def _close(
    text: str, lines: list[tuple[int, int]], tables: list[tuple[tuple[int, int], list[tuple[int, int]]]]
) -> None:
    if len(lines) < 3:
        return
    sep = text[slice(*lines[1])]
    if set(sep) - set("|-: \t"):
        return  # no separator under the first line: not a header row
    tables.append((lines[0], lines[2:]))


def named_rows(
    analysis: QuestionAnalysis,
    retriever: Retriever,
    doc_ids: Sequence[str],
    have: Sequence[Passage],
    *,
    limit: int = MAX_ROWS,
) -> list[Passage]:
    """Passages (a table's header row through one row) for the rows of the tables of ``doc_ids`` where a row the
    question names crosses a column it names, leaving out rows already inside ``have``."""
    if not doc_ids or not any(t.name for t in analysis.terms):
        return []
    try:
        docs = {d.id: d for d in retriever.documents() if d.id in doc_ids}
    except Exception:  # an addition only; the passages retrieved still answer
        log.debug("documents unavailable for table reading", exc_info=True)
        return []
    covered = [(p.chunk.doc_id, p.chunk.start, p.chunk.end) for p in have]
    score = min((p.score for p in have), default=0.0)
    out: list[Passage] = []
    for doc_id in doc_ids:
        doc = docs.get(doc_id)
        if doc is None or doc.kind == "csv":
            continue
        try:
            text = retriever.document_text(doc_id)[:MAX_TEXT]
        except Exception:
            log.debug("no text for %s", doc_id, exc_info=True)
            continue
        for header, rows in markdown_tables(text):
            # the one row of the table the question names best (none when two are named alike)
            clear = clear_crossings(text, [(s, e, header) for s, e in rows], analysis.terms, column_any=True)
            for row in sorted(clear):
                if any(d == doc_id and s <= row[0] and row[1] <= e for d, s, e in covered):
                    continue
                out.append(_passage(doc, text, header[0], row[1], score))
                if len(out) >= limit:
                    return out
    return out


def _passage(doc: Document, text: str, start: int, end: int, score: float) -> Passage:
    chunk = Chunk(
        id=f"{doc.id}:rows:{start}-{end}", doc_id=doc.id, ordinal=0, text=text[start:end], start=start, end=end
    )
    return Passage(chunk=chunk, document=doc, score=score)


# A row of the table that answered the question's first figure is taken for a later one when it scores this share
# of that part's best candidate.
SAME_TABLE_RATIO = 0.85


def same_table_part(
    first: Scored, usable: Sequence[Scored], part: QuestionAnalysis, passages: Sequence[Passage]
) -> tuple[Scored, bool] | None:
    """For a later figure of a question whose first figure a table row answered ("DeepSeek-V2 在 C-Eval 上得了多少
    分？同表中的 LLaMA3 70B 是多少？", "美光占多少份额？三星又是多少？"), the row of that table to read it from,
    when the part's own best candidate is not one: the first figure's row again when the part names another column
    of it and no row label (its figure is that row's cell under the column named), else the best other row of the
    table among the part's candidates, when nearly as good, to be read in the first figure's column (True). None
    when the part's own choice stands."""
    if first.kind != "row" or first.record_head is None or not usable or usable[0].borrowed:
        return None
    best = usable[0]
    text = passages[first.passage].chunk.text
    header = text[first.record_head[0] : first.record_head[1]]

    def in_table(c: Scored) -> bool:
        return c.kind == "row" and c.passage == first.passage and c.record_head == first.record_head

    def label_named(c: Scored) -> bool:
        label = next((text[s:e] for s, e in cells(text, c.start, c.end) if e > s), "")
        low = MatchText(demark(label))
        return any(low.has(t) for t in part.terms)

    names_column = any(column_named(header, t) for t in part.terms if t.name)
    if names_column and not (in_table(best) and label_named(best)) and not label_named(first):
        return replace(first, score=best.score), False
    if in_table(best):
        return None
    mates = [c for c in usable if in_table(c) and c.start != first.start and c.score >= SAME_TABLE_RATIO * best.score]
    return (mates[0], True) if mates else None
