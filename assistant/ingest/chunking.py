"""Cut a loaded document into chunks of whole sentences, with offsets into the document text.

Invariant: ``chunk.text == loaded.text[chunk.start:chunk.end]``. A chunk never spans two PDF pages or two
CSV rows. Sentences are packed up to ``settings.chunk_chars``; the next chunk repeats whole trailing
sentences of the previous one (up to ``settings.chunk_overlap`` characters) so a fact cut at a boundary is
still found with its context. Only a sentence longer than twice the target is cut, at a space or between
Chinese characters.

A chunk that starts inside a Markdown table, below its header row, holds rows of figures that say neither what
the columns measure nor what the table is about ("| 64 | 173 us | 43 GB/s |"). ``table_context`` gives such a
chunk the table's header row and the headings above the table; ingest indexes them with the chunk (in its tokens
and in the text its vector is made from) while the chunk's text and offsets stay the document's own. So does a
chunk cut from inside a long CSV record with the record's key field (``record_context``): only the record's first
chunk would otherwise say whose figures it holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from assistant.models import Chunk, LoadedDocument
from assistant.settings import Settings
from assistant.text import (
    CJK_WIDE_RE,
    RECORD_FIELD_SEP,
    TABLE_RULE_RE,
    headings_above,
    record_key,
    split_sentences,
    table_top,
)

Span = tuple[int, int]

_CJK_RE = CJK_WIDE_RE
_SENTENCE_END = frozenset(".!?:;。！？：；…\"'”’」』)）]")
_HEADING_CHARS = 80
# Raised when the same text is cut into other chunks or indexed with other context (2: a table's header row leads
# the chunk of its rows; 3: a chunk starting inside a table is indexed with the table's header row and headings);
# see ``ingest.versions``.
CHUNKING_VERSION = 3
# How far back from a chunk's start a table's header row and the headings above it are looked for.
CONTEXT_REACH = 20_000
# The longest header row and heading carried as context (longer ones are cut at a cell or word boundary).
_HEADER_CHARS = 300
_HEADING_CHARS_MAX = 120


def chunk_id(doc_id: str, content_hash: str, start: int, end: int) -> str:
    """Stable chunk id: the same document content always yields the same ids."""
    return hashlib.sha1(f"{doc_id}:{content_hash}:{start}:{end}".encode()).hexdigest()[:24]


def _cut_point(text: str, pos: int, limit: int) -> int:
    """Where to end a piece of an over-long unit starting at ``pos`` (exclusive end, at most ``limit``)."""
    floor = pos + (limit - pos) // 2
    space = text.rfind(" ", floor, limit)
    if space > pos:
        return space
    for i in range(limit - 1, floor, -1):
        # between two characters where at least one is Chinese there is a word boundary of sorts
        if _CJK_RE.match(text[i]) or _CJK_RE.match(text[i - 1]):
            return i
    return limit


def _split_long(text: str, start: int, end: int, target: int) -> list[Span]:
    """Pieces of at most ``target`` characters covering an over-long span, whitespace trimmed."""
    pieces: list[Span] = []
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            break
        cut = end if end - pos <= target else _cut_point(text, pos, pos + target)
        stop = cut
        while stop > pos and text[stop - 1].isspace():
            stop -= 1
        if stop > pos:
            pieces.append((pos, stop))
        pos = cut
    return pieces


def _units(text: str, spans: list[Span], target: int) -> list[Span]:
    """The given spans, with any span longer than twice the target cut into target-sized pieces."""
    out: list[Span] = []
    for a, b in spans:
        if b - a > 2 * target:
            out.extend(_split_long(text, a, b, target))
        else:
            out.append((a, b))
    return out


def _is_heading(text: str, span: Span) -> bool:
    """A markdown heading, a table's header row with its |---| rule (the two are one unit), or a short paragraph
    of its own without closing punctuation ("2 Method"). A chunk does not end on one: it leads the next."""
    a, b = span
    if text[a] == "#":
        return True
    if text[a] == "|":
        rule = text.rfind("\n", a, b)
        return rule > a and TABLE_RULE_RE.match(text[rule + 1 : b]) is not None
    return (
        b - a <= _HEADING_CHARS
        and text[b - 1] not in _SENTENCE_END
        and text.startswith("\n\n", b)
        and (a == 0 or text.endswith("\n\n", 0, a))
    )


def _pack(units: list[Span], target: int, overlap: int, text: str | None = None) -> Iterator[Span]:
    """Greedily group consecutive units into spans of about ``target`` characters, with sentence overlap.

    With ``text`` given, a chunk does not end on a heading: the heading moves to the next chunk.
    """
    i = 0
    n = len(units)
    while i < n:
        first = i
        start = units[i][0]
        # headings opening a chunk do not count against its size, so they stay with their text
        budget_from = i
        allowance = min(_HEADING_CHARS, target // 2)
        while (
            text is not None
            and budget_from < n - 1
            and units[budget_from][1] - start <= allowance
            and _is_heading(text, units[budget_from])
        ):
            budget_from += 1
        j = budget_from + 1
        while j < n and units[j][1] - units[budget_from][0] <= target:
            j += 1
        if text is not None and j < n:
            while j - 1 > first and _is_heading(text, units[j - 1]):
                j -= 1
        end = units[j - 1][1]
        yield start, end
        if j >= n:
            return
        # repeat trailing units of this chunk while they fit the overlap budget, but always move forward
        k = j
        while k - 1 > first and end - units[k - 1][0] <= overlap:
            k -= 1
        if k < j and units[j][1] - units[k][0] > target:
            k = j  # the overlap would push the next unit past the target: start clean
        i = k


def _csv_fields(text: str, start: int, end: int) -> list[Span]:
    """A CSV record's "Column: value" fields as spans (separators excluded)."""
    fields: list[Span] = []
    pos = start
    while pos < end:
        sep = text.find(RECORD_FIELD_SEP, pos, end)
        stop = end if sep < 0 else sep + 1  # keep the ";" with its field
        fields.append((pos, stop))
        pos = stop if sep < 0 else sep + len(RECORD_FIELD_SEP)
    return fields


def table_context(text: str, start: int) -> str:
    """The headings (outermost first) above the Markdown table a chunk starting at ``start`` falls in, and the
    table's header row, one per line; "" when the chunk does not start below a table's header row."""
    top = table_top(text, start, CONTEXT_REACH)
    if top is None or top == text.rfind("\n", 0, start) + 1:
        return ""  # no table line, the table's top out of reach, or the chunk starts at the header row itself
    header = text[top : text.find("\n", top)].strip()
    if TABLE_RULE_RE.match(header):
        return ""
    headings = headings_above(text, top, max(0, start - CONTEXT_REACH))
    lines = [*(_clip(h, _HEADING_CHARS_MAX, " ") for _, h in headings), _clip(header, _HEADER_CHARS, "|")]
    return "\n".join(lines)


def record_context(text: str, start: int) -> str:
    """The key field ("Model: Falcon-180B") of the CSV record a chunk starting at ``start`` is cut from, when the
    chunk starts past it; "" for a chunk that starts its record."""
    span = record_key(text, start)
    return _clip(text[span[0] : span[1]], _HEADER_CHARS, " ") if span else ""


def _clip(line: str, limit: int, sep: str) -> str:
    if len(line) <= limit:
        return line
    cut = line.rfind(sep, 0, limit)
    return line[: cut if cut > 0 else limit]


def chunk_document(doc_id: str, content_hash: str, loaded: LoadedDocument, settings: Settings) -> list[Chunk]:
    """Chunks of ``loaded.text`` in document order, with ids, offsets, page (PDF) or row (CSV) numbers; dense
    (given a vector) for the ``settings.dense_kinds`` and for a CSV of at most ``settings.dense_csv_rows`` rows."""
    text = loaded.text
    target = settings.chunk_chars
    overlap = settings.chunk_overlap
    dense = loaded.kind in settings.dense_kinds or (
        loaded.kind == "csv" and bool(loaded.rows) and len(loaded.rows) <= settings.dense_csv_rows
    )
    pieces: list[tuple[int, int, int | None, int | None]] = []

    if loaded.kind == "csv" and loaded.rows:
        for record in loaded.rows:
            if record.end - record.start <= 2 * target:
                spans = [(record.start, record.end)]
            else:
                fields = _csv_fields(text, record.start, record.end)
                spans = list(_pack(_units(text, fields, target), target, 0))
            pieces.extend((a, b, None, record.row) for a, b in spans)
    else:
        if loaded.kind == "pdf" and loaded.pages:
            segments: list[tuple[int, int, int | None]] = [(p.start, p.end, p.page) for p in loaded.pages]
        else:
            segments = [(0, len(text), None)]
        for seg_start, seg_end, page in segments:
            units = _units(text, split_sentences(text, seg_start, seg_end), target)
            pieces.extend((a, b, page, None) for a, b in _pack(units, target, overlap, text))

    chunks: list[Chunk] = []
    for a, b, page, row in pieces:
        # trimming can only shrink a span that split_sentences already trimmed; kept for the csv path
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        chunks.append(
            Chunk(
                id=chunk_id(doc_id, content_hash, a, b),
                doc_id=doc_id,
                ordinal=len(chunks),
                text=text[a:b],
                start=a,
                end=b,
                page=page,
                row=row,
                dense=dense,
            )
        )
    return chunks
