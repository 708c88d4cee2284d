"""The text a chunk's vector is computed from: its document's title, the Markdown headings above it and, for a
chunk that starts inside a table, the table's caption and header row, then the chunk's text.

A table row ("| 7B | 32 | 4096 |") or a sentence ("It was trained on 2T tokens.") deep in a README rarely says
what it is about; the headings over it ("Evaluation > Base models") and its table's header do. Only what is
embedded changes: the stored chunk text, its offsets and its citations stay as they are. A chunk with nothing
above it is embedded exactly as before (title, newline, text), so its cached vector is reused.

The lexical index keeps title + text: measured on the held-out sets, the same context in the BM25 tokens lowered
BM25's hit rate (a long table's header repeated into every chunk of its rows makes its words common), while in
the embedded text it raised the dense one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.ingest.htmltables import fenced_ranges
from assistant.models import Chunk
from assistant.text import is_table_rule

# Raised when the context chunks are embedded with changes, so an index embeds its chunks again (``ingest.versions``).
CONTEXT_VERSION = 1
# The context beyond the title is kept short: a long heading chain or header row would drown the chunk's own words.
CONTEXT_CHARS = 200
_CAPTION_CHARS = 100
_HEADER_CHARS = 140

_ATX_RE = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG_RE = re.compile(r"<[^>]*>")
_MARKS_RE = re.compile(r"\*\*|__|`|(?<!\w)[*_]|[*_](?!\w)")


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: where its line starts, its level (1-6) and its text without marks."""

    start: int
    level: int
    text: str


@dataclass(frozen=True)
class Represented:
    """How a chunk is embedded: ``prefix`` (title and context lines) before the chunk's own text."""

    prefix: str
    text: str

    @property
    def embedded(self) -> str:
        """The text the embedder sees."""
        return f"{self.prefix}\n{self.text}"


def _clean(heading: str) -> str:
    """A heading's words: links reduced to their text, HTML tags and emphasis marks dropped."""
    text = _TAG_RE.sub("", _LINK_RE.sub(r"\1", heading))
    return " ".join(_MARKS_RE.sub("", text).split())


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def headings(text: str) -> list[Heading]:
    """The Markdown headings of ``text`` in document order: ``# ATX`` lines and setext lines (a text line
    underlined with ``===`` or ``---``), none inside fenced code."""
    fences = fenced_ranges(text)
    found: list[Heading] = []
    for m in _ATX_RE.finditer(text):
        words = _clean(m.group(2))
        if words and not _inside(m.start(), fences):
            found.append(Heading(m.start(), len(m.group(1)), words))
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            break
        line = text[pos:nl]
        end = text.find("\n", nl + 1)
        under = text[nl + 1 : len(text) if end < 0 else end]
        rule = _SETEXT_RE.match(under)
        # a table's rule or a list item is no heading line; "---" under a blank line is a thematic break
        if (
            rule
            and line.strip()
            and not line.lstrip().startswith(("|", "-", "*", "+", "#", ">"))
            and not _inside(pos, fences)
        ):
            words = _clean(line)
            if words:
                found.append(Heading(pos, 1 if rule.group(1)[0] == "=" else 2, words))
        pos = nl + 1
    return sorted(found, key=lambda h: h.start)


def heading_paths(heads: list[Heading]) -> list[list[Heading]]:
    """For each heading, the chain of headings whose sections it opens or lies in, outermost first, itself last."""
    paths: list[list[Heading]] = []
    path: list[Heading] = []
    for h in heads:
        path = [p for p in path if p.level < h.level] + [h]
        paths.append(path)
    return paths


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, before the newline) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


@dataclass(frozen=True)
class Table:
    """A Markdown table's body (its rows after the rule line, as offsets), its header row and its caption."""

    body_start: int
    body_end: int
    header: str
    caption: str


def tables(text: str) -> list[Table]:
    """The Markdown tables of ``text`` with at least one body row, in document order (one pass over the lines)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    found = []
    i = 1
    while i < len(lines):
        if _is_row(lines[i]) and is_table_rule(lines[i]) and _is_row(lines[i - 1]):
            j = i + 1
            while j < len(lines) and _is_row(lines[j]):
                j += 1
            if j > i + 1:
                header = " ".join(lines[i - 1].split())
                found.append(
                    Table(
                        offsets[i + 1],
                        offsets[j - 1] + len(lines[j - 1]),
                        header,
                        _caption(text, offsets[i - 1]),
                    )
                )
            i = j
        else:
            i += 1
    return found


def _caption(text: str, table_start: int) -> str:
    """The short paragraph of one line right above a table (one blank line between them allowed), if it is no
    heading."""
    pos = table_start - 1
    for _ in range(2):
        if pos <= 0:
            return ""
        line_start, _end = _line_at(text, pos - 1)
        line = text[line_start:pos].strip()
        if line:
            # a caption is a paragraph of its own, not the last line of a longer one
            alone = line_start == 0 or text.endswith("\n\n", 0, line_start) or line_start == 1
            if not alone or line.startswith("#") or _is_row(line) or len(line) > _CAPTION_CHARS:
                return ""
            return _clean(line)
        pos = line_start - 1
    return ""


def _context(path: list[str], caption: str, header: str) -> list[str]:
    """The context lines within ``CONTEXT_CHARS``: the header row first (cut after a whole cell past
    ``_HEADER_CHARS``), then the caption, then the innermost headings that still fit (the innermost alone is cut)."""
    if len(header) > _HEADER_CHARS:
        bar = header.rfind("|", 0, _HEADER_CHARS)
        header = header[: bar + 1 if bar > 0 else _HEADER_CHARS]
    room = CONTEXT_CHARS - (len(header) + 1 if header else 0)
    if caption and len(caption) + 1 <= room:
        room -= len(caption) + 1
    else:
        caption = ""
    while len(path) > 1 and len(" > ".join(path)) > room:
        path = path[1:]
    chain = " > ".join(path)[: max(room, 0)].rstrip()
    return [line for line in (chain, caption, header) if line]


def represent(title: str, text: str, chunks: list[Chunk]) -> list[Represented]:
    """How each of ``chunks`` (of the document with ``title`` and ``text``) is embedded: the title,
    then its heading path ("Evaluation > Base models", the headings above the chunk's start that are neither the
    title nor already in the chunk text) and, for a chunk starting inside a table without its header row, the
    table's caption and header, the whole context capped at ``CONTEXT_CHARS``."""
    heads = headings(text)
    starts = [h.start for h in heads]
    paths = heading_paths(heads)
    found = tables(text)
    bodies = [t.body_start for t in found]
    out = []
    for chunk in chunks:
        own = chunk.text.casefold()
        above = bisect.bisect_left(starts, chunk.start)
        path = [
            h.text
            for h in (paths[above - 1] if above else [])
            if h.text.casefold() != title.casefold() and h.text.casefold() not in own
        ]
        caption = header = ""
        inside = bisect.bisect_right(bodies, chunk.start)
        if inside and chunk.start < found[inside - 1].body_end:
            table = found[inside - 1]
            caption = "" if table.caption.casefold() in own else table.caption
            header = table.header
        prefix = "\n".join([title, *_context(path, caption, header)])
        out.append(Represented(prefix=prefix, text=chunk.text))
    return out
