"""Scoring units of a passage: sentences, fields of long table records, and Markdown table rows with their header.

A CSV record flattened to "Field: value; Field: value; ..." is one long "sentence"; its fields are scored one by
one, each remembering the record's first field (its name). A Markdown table row is read with the table's header
row, so "| Total | 7.38M |" under "| Model | Training Time (GPU hours) |" is known to be GPU hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.models import Passage
from assistant.text import EMPHASIS_RE, TABLE_RULE_RE, headings_above, split_sentences

# A "sentence" longer than this (a table flattened by PDF extraction, a CSV record) is cut into fields.
MAX_SENTENCE = 360

_TABLE_RULE = TABLE_RULE_RE
_FIELD_SPLIT = re.compile(r"\s\|\s|\s*;\s+|\t|(?<=[^\d\s]),\s+(?=[A-Z][\w ()/%-]{2,40}:)|\n")


@dataclass(slots=True)
class Span:
    """A scoring unit of a passage: a sentence, a field of a long record, or a Markdown table row.

    ``head`` is the record's first field (for a field) or the table's header row (for a row).
    """

    start: int
    end: int
    kind: str = "sentence"
    head: tuple[int, int] | None = None


_EMPHASIS = EMPHASIS_RE


def demark(text: str) -> str:
    """Text without Markdown emphasis and code marks, which split a figure from its scale ("**39.3**M GPU hours")."""
    return _EMPHASIS.sub("", text)


def sentence_spans(text: str, *, in_code: bool = False, lead: str = "") -> list[Span]:
    """The scoring units of ``text``: sentences; fields of a record longer than ``MAX_SENTENCE``; rows of a
    Markdown table (each with its header row). Lines of fenced code blocks are none: "max_tokens=256" in a
    usage example states nothing (``in_code``: the text starts inside a block). ``lead``: the start of the
    document's line the text begins in the middle of (a passage cut after "… of compute. "), so its first line
    is read as the wrapped line it is, not as a short line standing alone."""
    spans: list[Span] = []
    header: tuple[int, int] | None = None
    code = code_blocks(text, in_code=in_code)
    covered = 0
    n = len(lead)
    sentences = [(max(0, a - n), b - n) for a, b in split_sentences(lead + text)] if lead else split_sentences(text)
    for start, end in sentences:
        if end <= start:
            continue
        if start < covered:
            continue  # the rest of a table row already taken whole
        if any(a <= start < b for a, b in code):
            continue
        end = min([a for a, _ in code if start < a < end] + [end])  # a sentence running into a block stops
        end = start + len(text[start:end].rstrip())
        line = text[start:end]
        if line.startswith("|") and "\n" not in line:
            # a row is a line, whatever its cells hold ("| Hunyuan-Large Inst. |" has no sentence end)
            eol = text.find("\n", start)
            end = covered = max(end, len(text) if eol < 0 else len(text[start:eol].rstrip()) + start)
            line = text[start:end]
        if line.startswith("|"):
            lines = line.split("\n")
            if _TABLE_RULE.match(lines[0]):
                continue  # the |---|---| rule under a header
            if any(_TABLE_RULE.match(x.strip()) for x in lines[1:]) or _rule_follows(text, end):
                header = (start, start + len(lines[0].rstrip()))
                spans.append(Span(header[0], header[1], "sentence"))
                continue
            spans.append(Span(start, end, "row" if header else "sentence", header))
            continue
        header = None
        if end - start <= MAX_SENTENCE:
            spans.append(Span(start, end))
            continue
        pos, first = start, None
        for m in _FIELD_SPLIT.finditer(text, start, end):
            if m.start() > pos:
                first = first or _strip(text, pos, m.start())
                spans.append(Span(*_strip(text, pos, m.start()), "field", first))
            pos = m.end()
        if pos < end:
            spans.append(Span(*_strip(text, pos, end), "field", first))
    spans += report_lines(text, code)
    spans.sort(key=lambda sp: sp.start)
    return [s for s in spans if s.end > s.start]


# A line of a program's printed report: a label of several words, a colon, a number ("Total token throughput
# (tok/s):   494.13"). A setting in a config ("max_tokens: 256") has a one-word key and is no such line.
_REPORT_LINE = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z\u4e00-\u9fff][^:=\n]{0,80}?\s[^:=\n]{0,80}?|[\u4e00-\u9fff][^:：=\n]{1,40}?)"
    r"[:：][ \t]*[-+]?\d[\d,.]*(?:[ \t]*[%A-Za-z/()]{1,12})?[ \t]*$",
    re.M,
)


def report_lines(text: str, code: Sequence[tuple[int, int]]) -> list[Span]:
    """The report lines inside fenced blocks (a benchmark's printout is data, not code): each a span of its own."""
    out = []
    for a, b in code:
        for m in _REPORT_LINE.finditer(text, a, b):
            out.append(Span(m.start("label"), m.end()))
    return out


_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)[^\n]*", re.M)


def code_blocks(text: str, *, in_code: bool = False) -> list[tuple[int, int]]:
    """The ``(start, end)`` ranges of fenced code blocks in ``text``, fences included."""
    out = []
    start = 0 if in_code else None
    for m in _FENCE.finditer(text):
        if start is None:
            start = m.start()
        else:
            out.append((start, m.end()))
            start = None
    if start is not None:
        out.append((start, len(text)))
    return out


def _text_around(passage: Passage, document_text: Callable[[str], str] | None) -> str | None:
    """The passage's whole document text, when there is text before the passage to read (None for a CSV row,
    a passage opening its document, or a text that cannot be had: the passage alone is still evidence)."""
    if document_text is None or passage.document.kind == "csv" or passage.chunk.start <= 0:
        return None
    try:
        return document_text(passage.chunk.doc_id)
    except Exception:
        return None


def starts_in_code(passage: Passage, document_text: Callable[[str], str] | None) -> bool:
    """Whether the passage starts inside a fenced code block of its document."""
    chunk = passage.chunk
    text = _text_around(passage, document_text)
    if text is None:
        return False
    return len(_FENCE.findall(text, 0, chunk.start)) % 2 == 1


def line_lead(passage: Passage, document_text: Callable[[str], str] | None) -> str:
    """The part of its document's line before the passage, when the passage starts in the middle of a line."""
    chunk = passage.chunk
    text = _text_around(passage, document_text)
    if text is None:
        return ""
    if text[chunk.start : chunk.start + 40] != chunk.text[:40]:
        return ""  # offsets that do not match the text say nothing of its lines
    return text[text.rfind("\n", 0, chunk.start) + 1 : chunk.start]


def _rule_follows(text: str, end: int) -> bool:
    nl = text.find("\n", end)
    if nl < 0:
        return False
    stop = text.find("\n", nl + 1)
    return _TABLE_RULE.match(text[nl + 1 : stop if stop >= 0 else len(text)].strip()) is not None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of the Markdown table row ``text[start:end]`` as (start, end) offsets, spaces trimmed; an empty
    cell is an empty span. The leading and trailing bars are not cells."""
    line_end = text.find("\n", start, end)
    stop = end if line_end < 0 else line_end
    out: list[tuple[int, int]] = []
    pos = start
    if text.startswith("|", pos):
        pos += 1
    while pos <= stop:
        bar = text.find("|", pos, stop)
        cell_end = stop if bar < 0 else bar
        out.append(_strip(text, pos, cell_end))
        if bar < 0:
            break
        pos = bar + 1
    if out and out[-1][0] == out[-1][1] and text[start:stop].rstrip().endswith("|"):
        out.pop()  # the trailing bar closes the row
    return out


_HEADING = re.compile(r"^#{1,6}\s+\S")
# How far back a passage's section heading is looked for in its document.
HEADING_REACH = 4000


def outer_heading(passage: Passage, document_text: Callable[[str], str] | None) -> str:
    """The Markdown heading of the section the passage starts in ("" when none is in reach)."""
    chunk = passage.chunk
    whole = _text_around(passage, document_text)
    if whole is None:
        return ""
    path = headings_above(whole, chunk.start, max(0, chunk.start - HEADING_REACH))
    return heading_path(path, _repeated_headings(whole.splitlines()) if path else set())


def heading_path(path: Sequence[tuple[int, str]], repeated: set[str]) -> str:
    """A section's heading; with its parent's before it when the document repeats it ("### 结果" under each test:
    "单并发短文本测试 - 结果"), up to the first heading that names one section only."""
    out: list[str] = []
    for _, heading in reversed(path):
        out.insert(0, heading)
        if heading not in repeated:
            break
    return " - ".join(out)


def _repeated_headings(lines: Sequence[str]) -> set[str]:
    """The heading texts written more than once among ``lines``."""
    seen: set[str] = set()
    twice: set[str] = set()
    for line in lines:
        if _HEADING.match(line):
            h = line.lstrip("#").strip()
            (twice if h in seen else seen).add(h)
    return twice


def headings(text: str, spans: Sequence[Span], outer: str) -> list[str]:
    """For each span, the heading of its section: the headings above it in the passage, the outer ones first
    ("单并发短文本测试 - 结果": a "Results" subsection is the results of its parent's test), or ``outer``."""
    out = []
    path: list[tuple[int, str]] = [(7, outer)] if outer else []  # (level, heading); ``outer``'s level unknown
    lines = [text[sp.start : sp.end] for sp in spans]
    repeated = _repeated_headings(lines)
    for sp in spans:
        out.append(heading_path(path, repeated))
        line = text[sp.start : sp.end]
        if _HEADING.match(line):
            level = len(line) - len(line.lstrip("#"))
            path = [(lv, h) for lv, h in path if lv < level] + [(level, line.lstrip("#").strip())]
            out[-1] = ""
    return out
