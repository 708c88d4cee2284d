"""Qualifiers a question sets beside its names and kind: the part of a year and the variant of a named product.

A question and a candidate may agree in meaning and in every word but one qualifier: "revenue in the first quarter"
against a sentence about the third; "Lumen-2.5-70B" against a row of Lumen-2.5-34B; "XH-300" against a sentence
about XH-200. Such a candidate states another figure, not the one asked. Qualifiers are read by their shape, in
English and Chinese, with no list of names:

- *parts of a year*: quarters ("Q3", "third quarter", "第三季度", "一季报"), halves ("H1", "上半年"), the first nine
  months ("前三季度"), the whole year ("full year", "全年"). Years themselves are compared by
  ``assistant.ask.years``;
- *variants of a name*: a name of the question holding a digit ("Lumen-2.5-70B", "XH-300", "昇腾 910C", "Llama
  3.2") is its leading word followed by a code; the same leading word followed by another code ("XH-200",
  "910B", "Llama 3.1") names a sibling; so does a size ("8B" for "70B") standing alone.

A candidate's own qualifier decides (for a figure, the one of its clause first); where it writes none, what
surrounds it does, nearest first (its table row and header, the paragraph before it, its heading, the document's
title). Only a qualifier of the same type that differs contradicts: where nothing writes one, nothing says it is
another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.ask.candidate import Scored
from assistant.ask.spans import demark
from assistant.ask.terms import compact
from assistant.ask.years import paragraph_before
from assistant.models import Passage

_ORD_EN = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_ORD_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Parts of a year. Whole year, nine months, halves and quarters are one type ("span"): a figure of one is not a
# figure of another.
_QUARTER_EN = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter\b", re.I)
_QUARTER_CODE = re.compile(r"(?<![A-Za-z0-9])(?:F?Q([1-4])|([1-4])Q)(?![A-Za-z0-9])", re.I)
_QUARTER_ZH = re.compile(r"第?([一二三四1-4])\s*(?:财季|季度|季报|季)")
_HALF_EN = re.compile(r"\b(first|second|1st|2nd)[\s-]+half\b|(?<![A-Za-z0-9])H([12])(?![A-Za-z0-9])", re.I)
_HALF_ZH = re.compile(r"([上下])半年")
_NINE = re.compile(r"\bnine months\b|\bfirst three quarters\b|前三季度|前三季", re.I)
_WHOLE = re.compile(
    r"全年|年报|\bfull[\s-]+year\b|\bwhole year\b|\bfor the year\b|\bas a whole\b|\bannual\b"
    r"|\bfull[\s-]+fiscal\b",
    re.I,
)
SPAN = "span"


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a year as written: its type (``SPAN``), its value ("Q3", "H1", "9M", "Y") and where it is
    written."""

    kind: str
    value: str
    start: int


def parts_of_year(text: str) -> list[Part]:
    """The parts of a year ``text`` writes, in order."""
    out: list[Part] = []
    for m in _QUARTER_EN.finditer(text):
        out.append(Part(SPAN, f"Q{_ORD_EN[m.group(1).lower()]}", m.start()))
    for m in _QUARTER_CODE.finditer(text):
        out.append(Part(SPAN, f"Q{m.group(1) or m.group(2)}", m.start()))
    for m in _QUARTER_ZH.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] == "前":  # 前三季度 is nine months
            continue
        out.append(Part(SPAN, f"Q{_ORD_ZH[m.group(1)]}", m.start()))
    for m in _HALF_EN.finditer(text):
        n = m.group(2) or ("1" if m.group(1).lower() in ("first", "1st") else "2")
        out.append(Part(SPAN, f"H{n}", m.start()))
    for m in _HALF_ZH.finditer(text):
        out.append(Part(SPAN, "H1" if m.group(1) == "上" else "H2", m.start()))
    for m in _NINE.finditer(text):
        out.append(Part(SPAN, "9M", m.start()))
    for m in _WHOLE.finditer(text):
        out.append(Part(SPAN, "Y", m.start()))
    return sorted(set(out), key=lambda p: p.start)


def asked_parts(question: str) -> dict[str, set[str]]:
    """The parts of a year a question asks about, by type ({} when it asks none)."""
    out: dict[str, set[str]] = {}
    for p in parts_of_year(question):
        out.setdefault(p.kind, set()).add(p.value)
    return out


# A clause: where a figure's own qualifier is read.
_CLAUSE = re.compile(r"[,，;；。:：]|\band\b|\bwhile\b|\bagainst\b|较|而")


def clause_span(text: str, at: int, breaks: re.Pattern[str] = _CLAUSE) -> tuple[int, int]:
    """The span of the clause of ``text`` holding ``at``, clauses being cut where ``breaks`` matches."""
    cuts = [0, *(m.start() for m in breaks.finditer(text)), len(text)]
    lo = max((c for c in cuts if c <= at), default=0)
    hi = min((c for c in cuts if c > at), default=len(text))
    return lo, hi


def part_verdict(
    asked: dict[str, set[str]],
    own: str,
    figure_at: int | None,
    context: Sequence[Sequence[str]],
    *,
    ordered: int = 2,
) -> bool | None:
    """Whether a candidate (its text ``own``; its figure at ``figure_at`` in it) speaks of the part of a year
    asked: True when it or what dates it writes the asked part, False when of the asked part's type it writes only
    others, None when nothing writes one. ``context``: tiers nearest first; the first ``ordered`` of them are read
    from their end (for a sentence, the paragraph and the passage before it: the last part written is what the
    sentence continues); any part a later tier writes may be the asked one (a table's header names a part per
    column)."""
    if not asked:
        return None
    found: bool | None = None
    for kind, values in asked.items():
        verdict = _kind_verdict(kind, values, own, figure_at, context, ordered)
        if verdict is False:
            return False
        if verdict is True:
            found = True
    return found


def _kind_verdict(
    kind: str, values: set[str], own: str, figure_at: int | None, context: Sequence[Sequence[str]], ordered: int
) -> bool | None:
    written = [p for p in parts_of_year(own) if p.kind == kind]
    if written:
        if figure_at is not None:
            lo, hi = clause_span(own, figure_at)
            mine = [p for p in written if lo <= p.start < hi]
            if mine:
                before = [p for p in mine if p.start <= figure_at]
                pick = before[-1] if before else mine[0]
                return pick.value in values
        return any(p.value in values for p in written)
    for i, tier in enumerate(context):
        seen: list[Part] = []
        for text in tier:
            if text:
                seen.extend(p for p in parts_of_year(text) if p.kind == kind)
        if not seen:
            continue
        if i < ordered:
            return seen[-1].value in values
        return any(p.value in values for p in seen)
    return None


# --- variants of a name ---------------------------------------------------------------------------------------

# A name with a code: a leading word (Latin letters or Chinese) then the code, which holds a digit
# ("Lumen-2.5-70B", "XH-300", "昇腾 910C", "Llama 3.2", "H100").
_NAMED_CODE = re.compile(
    r"^([A-Za-z][A-Za-z-]*?|[\u4e00-\u9fff]+)[\s_-]*(\d[A-Za-z0-9.]*(?:[\s_-]+[A-Za-z0-9.]*\d[A-Za-z0-9.]*)*"
    r"(?:-[A-Za-z][A-Za-z0-9]*)*)$"
)
# A parameter count in billions standing alone ("70B", "8b"), not inside a longer id ("Qwen3-235B-A22B").
_SIZE = re.compile(r"(?<![\w.$€£¥-])(\d+(?:\.\d+)?)([Bb])(?![\w-])")
# ... unless it is a count of parameters ("37B activated", "671B parameters", "激活 37B"): a figure, not a size.
_COUNTED = re.compile(r"^\s*(?:total\s+|activated\s+|active\s+)?(?:param|activ|激活|参数|总参)", re.I)
# A code opening with its digits ("910C", "7900XTX"), read as its digits then the rest; not a size ("70B").
_DIGITS_FIRST = re.compile(r"^(\d+)[A-Za-z][A-Za-z0-9]*$")
_SIZE_SHAPE = re.compile(r"^\d+(?:\.\d+)?[bmkt]$", re.I)
# Codes that are parts of a year, not names ("H1", "Q3").
_PERIOD_CODE = re.compile(r"^[hq][1-4]$")


@dataclass(frozen=True, slots=True)
class Coded:
    """A question's name with a code: its leading word as written and the whole in one spelling ("XH",
    "xh-300"); for a code opening with its digits ("910C"), those digits and the code ("910", "910c")."""

    lead: str
    whole: str
    digits_first: bool = False


def coded_names(names: Iterable[str]) -> list[Coded]:
    """The question's names (as written) that carry a code after a leading word."""
    out = []
    for name in names:
        first = _DIGITS_FIRST.match(name.strip())
        if first is not None and not _SIZE_SHAPE.match(name.strip()):
            out.append(Coded(first.group(1), compact(name), digits_first=True))
            continue
        m = _NAMED_CODE.match(name.strip())
        if m is None:
            continue
        whole = _joined(m.group(1), m.group(2))
        if _PERIOD_CODE.match(whole.replace("-", "")):
            continue
        out.append(Coded(m.group(1).strip("-"), whole))
    return out


def _mentions(text: str, lead: str, *, digits_first: bool = False) -> list[str]:
    """The names ``text`` writes as ``lead`` followed by a code (a year's part, "H1", is no name), in one
    spelling; for a code opening with digits, the codes written with those digits and other letters."""
    if digits_first:
        found = re.finditer(rf"(?<![A-Za-z0-9.]){lead}[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9.])", text)
        return [compact(m.group(0)) for m in found]
    head = r"[\s_-]?".join(re.escape(w) for w in re.split(r"[\s_-]+", lead) if w)
    code = (
        r"(\d[A-Za-z0-9.]*(?:[\s_-]+(?=[A-Za-z0-9.]*\d)(?=[A-Za-z0-9.]*[A-Za-z])[A-Za-z0-9.]+)*"
        r"(?:-[A-Za-z][A-Za-z0-9]*)*)"
        if lead.isascii()
        else r"(\d[A-Za-z0-9.]*)"
    )
    edge = r"(?<![A-Za-z0-9])" if lead.isascii() else ""
    out = []
    for m in re.finditer(rf"{edge}{head}[\s_-]*{code}", text, re.I):
        name = _joined(lead, m.group(1))
        if not _PERIOD_CODE.match(name.replace("-", "")):
            out.append(name)
    return out


def _same(asked: str, written: str, *, digits_first: bool = False) -> bool:
    """Whether a written name is the asked one, or extends it or is extended by it past a separator (a family's
    name asked of its flagship, "Lumen-2.5-34B" written "Lumen-2.5-34B-Instruct"; not "Llama 3" and "Llama 3.1").
    A code opening with digits has no separators: "8bit" is written "8bits"."""
    short, long = sorted((asked, written), key=len)
    return long == short or long.startswith(short if digits_first else f"{short}-")


def _joined(lead: str, code: str) -> str:
    """A coded name in one spelling: the compacted lead and the code's parts joined by "-" ("qwen-2.5-72b")."""
    parts = [re.sub(r"(\d)\.0+(?!\d)", r"\1", compact(p)) for p in re.split(r"[\s_-]+", code) if p]
    if parts:
        parts[-1] = parts[-1].rstrip(".")
        if re.fullmatch(r"[^s]*\ds", parts[-1]) and re.search(r"\ds(?:\W|$)", code):
            parts[-1] = parts[-1][:-1]  # a plural written after the digits ("2,000 H100s") names the same thing
    return "-".join([compact(lead), *parts])


def sizes(text: str) -> list[tuple[int, str]]:
    """The parameter sizes standing alone in ``text`` ("70B"), not counted as figures ("37B activated")."""
    out = []
    for m in _SIZE.finditer(text):
        if _COUNTED.match(text[m.end() : m.end() + 16]):
            continue
        out.append((m.start(), f"{float(m.group(1)):g}{m.group(2).lower()}"))
    return out


# A sentence whose subject is a coded name: it opens with one, followed by a possessive or an auxiliary
# ("MiniMax-M1 的完整训练…", "Kimi K2's …", "GLM-4.5 was …").
_OPENING_NAME = re.compile(
    r"^\W{0,3}([A-Za-z][A-Za-z-]*\d[\w.-]*?)(?:\s*的|['’]s\b|\s+(?:was|is|were|are|has|had|have)\b)", re.I
)


def opens_with_other(coded: Sequence[Coded], own: str) -> bool:
    """Whether a sentence's subject is a coded name other than the question's, none of which it writes."""
    m = _OPENING_NAME.match(own)
    if m is None or not coded:
        return False
    low = compact(own)
    subject = compact(m.group(1))
    wanted = [c.whole.replace("-", "") for c in coded]
    return not any(w in low or subject.startswith(w) or w.startswith(subject) for w in wanted)


def variant_verdict(coded: Sequence[Coded], asked_sizes: set[str], own: str, context: Sequence[str]) -> bool | None:
    """Whether a candidate (``own``) names what the question names: False when it (or, naming nothing of the
    kind, the nearest text before it in ``context``, nearest first) writes only another code after a coded
    name's leading word, or only other sizes than the one asked; True when it writes the asked one; None when
    nothing writes one."""
    found: bool | None = None
    groups: dict[str, list[Coded]] = {}
    for c in coded:
        groups.setdefault(c.lead.lower(), []).append(c)
    for group in groups.values():
        verdict = _code_verdict(group, own, context)
        if verdict is False:
            return False
        if verdict is True:
            found = True
    if asked_sizes:
        written = {s for _, s in sizes(own)}
        if written:
            if not written & asked_sizes:
                return False
            found = True
    return found


def _code_verdict(group: Sequence[Coded], own: str, context: Sequence[str]) -> bool | None:
    """The verdict for the question's coded names sharing one leading word ("FP8" and "FP4"): written by one of
    them is enough."""
    lead, first = group[0].lead, group[0].digits_first

    def named(written: str) -> bool:
        return any(_same(c.whole, written, digits_first=first) for c in group)

    mentions = _mentions(own, lead, digits_first=first)
    if mentions:
        return any(named(w) for w in mentions)
    for text in context:
        mentions = _mentions(text, lead, digits_first=first)
        if mentions:
            return named(mentions[-1])
    return None


# How far back in its passage a sentence writing no part of the year takes one from (a story names its quarter
# once, near its top).
EARLIER_REACH = 1500


def document_reader(document_text: Callable[[str], str] | None) -> Callable[[str], str]:
    """A reader of documents' text by id that reads each document once; a document that cannot be read (or no
    ``document_text``) reads as empty, so the passage alone is read."""
    docs: dict[str, str] = {}

    def read(doc_id: str) -> str:
        if doc_id not in docs:
            try:
                docs[doc_id] = document_text(doc_id) if document_text is not None else ""
            except Exception:  # without the document, the passage alone is read
                docs[doc_id] = ""
        return docs[doc_id]

    return read


def mark_other_qualifiers(
    question: str,
    names: Sequence[str],
    kept: Sequence[Scored],
    passages: Sequence[Passage],
    document_text: Callable[[str], str] | None = None,
) -> None:
    """Mark each kept candidate whose own qualifier, or what surrounds it, contradicts one the question sets
    (``other_qualifier``). A candidate whose figure's clause names another part of the year, while another of its
    figures of the asked kind is in a clause naming the asked one, takes that figure instead. ``document_text``
    gives the text of a passage's document, read before the passage when the passage names no part of the year."""
    asked = asked_parts(question)
    coded = coded_names(names)
    asked_sizes = {s for _, s in sizes(question)}
    if not (asked or coded or asked_sizes):
        return
    read = document_reader(document_text)
    for c in kept:
        passage = passages[c.passage]
        text, title = passage.chunk.text, passage.document.title
        own = c.said or demark(c.text)
        at = c.figure.start if c.figure is not None and c.said else None
        before = paragraph_before(text, c.start) if c.kind == "sentence" else ""
        earlier = text[max(0, c.start - EARLIER_REACH) : c.start] if c.kind == "sentence" else ""
        if c.kind == "sentence" and passage.document.kind != "csv":
            # (a passage cut from a longer document: its paragraph and what comes before it start earlier)
            doc = read(passage.document.id)
            pos = passage.chunk.start + c.start
            if doc[passage.chunk.start : passage.chunk.end] == text:
                before = paragraph_before(doc, pos)
                earlier = doc[max(0, pos - EARLIER_REACH) : pos]
        near = [before] if c.kind == "sentence" else [c.header, c.caption]
        tiers = [near, [earlier], [c.heading], [title]]
        ordered = 2 if c.kind == "sentence" else 0
        verdict = part_verdict(asked, own, at, tiers, ordered=ordered)
        if verdict is False and at is not None:
            other = next((f for _, f in c.hits if f is not c.figure and part_verdict(asked, own, f.start, tiers, ordered=ordered)), None)
            if other is not None:
                c.figure, verdict = other, True
        variant = variant_verdict(coded, asked_sizes, own, [before])
        if verdict is False or variant is False or (c.kind == "sentence" and opens_with_other(coded, own)):
            c.other_qualifier = True
