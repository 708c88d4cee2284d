"""A candidate answer sentence with its scores, and whether it can answer (its weakness).

Selection (``assistant.ask.select``) scores candidates; the pipeline keeps those without a weakness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ask.analyze import COUNT, AskedKind
from assistant.ask.spans import demark
from tools.figures import Figure, parse_figures

# Across languages, where words cannot be compared, a candidate this close to the closest one in meaning (and
# holding every name) counts as covering what is asked.
CROSS_CLOSENESS = 0.6
# Evidence thresholds: every name the question is about must appear in the sentence or before it in its
# passage (or the document's title), and at least this share of the other key terms (weighted) in the sentence
# and its neighbours.
MIN_CONTENT = 0.5
MIN_NAMES = 0.99
# A table row says little in words (its header says the rest): among the closest in meaning it needs less; so
# does a sentence holding all of what is asked.
MIN_ROW_CONTENT = 0.3
# A candidate holding every name and a figure in the asked kind's unit, and this close to the closest one in meaning
# (1.0: the closest), says what is asked in its own words ("with only 39.6% of computations" for "what share of
# the computation"): the question's other words need not be written in it.
MEANING_CLOSENESS = 0.9
# A figure in the asked kind's unit, or a number beside the kind's own word ("18,000 … superchips" for 多少颗芯片):
# when what is asked is that word, such a figure names it.
CUED_KIND = 0.8
# Agreement (``Scored.agreement``): the candidate's cosine to the question in standard deviations above the mean
# cosine of the question to the index's chunks of its language. At or below UNRELATED it is no closer to the
# question than an average passage of the index: whatever its words share, it is about something else. At or
# above AGREEING, with a figure of the asked kind, it says what is asked in its own words: few of the question's
# other words need be written around it (a list item, a short line under a heading naming the rest).
UNRELATED = 0.0
AGREEING = 4.0

MAY_HAVE_FIGURE = re.compile(
    r"[0-9零〇一二两三四五六七八九十百千万亿]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty|thirty|hundred|dozen)\b",
    re.I,
)
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_HEADING_LINE = re.compile(r"#{1,6}\s")
# A number right after these is part of a name, not a figure ("Pass@1", "DeepSeek-V2", "GPT4").
_IN_NAME = re.compile(r"[@A-Za-z_-]")


@dataclass(slots=True)
class Scored:
    """A candidate sentence of one passage with its scores (offsets are inside ``passage.chunk.text``).

    ``terms``: weighted share of the key terms in the sentence; ``content``: the same without names; ``window``:
    ``content`` over the sentence and its neighbours; ``focus``: share of the focus terms (what is asked);
    ``names``: share of the question's names in the sentence or before it in the passage; ``kind_hit``: 1 for a
    figure of the asked kind, 0.8 for a bare number by its cue word; ``figure``: that figure; ``quote_start`` /
    ``quote_end``: the span to quote (the sentence, or with the neighbour that completes it); ``record_head``:
    the record's first field or the table's header row, quoted before a field or row; ``quote``: the text of that
    span; ``caption``: for a table row, the sentence introducing its table. For a question about one year,
    ``dating`` holds what dates the candidate (nearest first) and ``other_year`` says it speaks of another;
    ``focus_near``: a focus term is in it or a neighbour; ``unit_asked``: the focus is the asked kind's own word
    ("多少美元"); ``focus_checkable``: some focus term has a form in the candidate's script; ``borrowed``: the
    candidate of another part of the question, read again for this part's figure (see ``assistant.ask.partfill``);
    ``other_qualifier``: it speaks of another part of the year or another variant of a name than the question
    (``assistant.ask.qualifiers``); ``absent_qualifier``: nothing in it or around it gives a qualifier the
    question sets (``assistant.ask.absent``); ``agreement``: ``sim`` in standard deviations above the question's mean
    cosine to the index's chunks of the candidate's language (see ``assistant.ask.meaning.agreement``).
    """

    passage: int
    start: int
    end: int
    text: str
    score: float = 0.0
    terms: float = 0.0
    content: float = 1.0
    window: float = 1.0
    focus: float = 1.0
    names: float = 1.0
    kind_hit: float = 0.0
    figure: Figure | None = None
    quote_start: int = 0
    quote_end: int = 0
    record_head: tuple[int, int] | None = None
    header: str = ""
    kind: str = "sentence"
    sim: float | None = None
    closeness: float = 0.0
    agreement: float | None = None
    cross: bool = False
    heading: str = ""
    row_named: bool = False
    quote: str = ""
    caption: str = ""
    holds_focus: bool = False
    states_case: bool = False
    dating: list[list[str]] | None = None
    other_year: bool = False
    other_qualifier: bool = False
    absent_qualifier: bool = False
    focus_near: bool = True
    unit_asked: bool = False
    focus_checkable: bool = True
    borrowed: bool = False
    hits: list[tuple[float, Figure]] = field(default_factory=list)
    said: str = ""


def _holds_figure(cand: Scored) -> bool:
    if cand.figure is not None:
        return True
    plain = demark(cand.quote or cand.text)
    return bool(MAY_HAVE_FIGURE.search(plain)) and any(
        f.value and not _IN_NAME.match(plain[max(0, f.start - 1) : f.start]) for f in parse_figures(plain)
    )


# The rule of ``blocking_rule`` that bars a candidate, and the reason ``weakness`` gives for it.
RULE_REASON = {
    "missing_names": "missing_names",
    "other_year": "other_year",
    "other_qualifier": "other_qualifier",
    "absent_qualifier": "other_qualifier",
    "heading": "weak",
    "bare_figure": "weak",
    "missing_kind": "missing_kind",
    "no_figure": "weak",
    "focus_far": "weak",
    "thin_content": "weak",
    "unrelated": "weak",
}


def weakness(cand: Scored, asked: AskedKind | None, *, wants_figure: bool = False) -> str | None:
    """Why ``cand`` cannot answer the question ("missing_names", "other_year", "missing_kind", "weak"), or None
    if it can."""
    rule = blocking_rule(cand, asked, wants_figure=wants_figure)
    return None if rule is None else RULE_REASON[rule]


def blocking_rule(cand: Scored, asked: AskedKind | None, *, wants_figure: bool = False) -> str | None:
    """The first rule barring ``cand`` from answering (a key of ``RULE_REASON``), or None if none does."""
    return next(iter(failing_rules(cand, asked, wants_figure=wants_figure)), None)


def failing_rules(cand: Scored, asked: AskedKind | None, *, wants_figure: bool = False) -> list[str]:
    """Every rule barring ``cand`` (keys of ``RULE_REASON``, in the order they are checked).

    Content is measured over the sentence and its neighbours: a premise and its answer often sit in two
    consecutive sentences.
    """
    out = []
    if cand.names < MIN_NAMES:
        out.append("missing_names")
    if cand.other_year:
        out.append("other_year")
    if cand.other_qualifier:
        out.append("other_qualifier")  # another part of the year, another variant (see ``ask.qualifiers``)
    if cand.absent_qualifier:
        out.append("absent_qualifier")  # a qualifier asked that nothing around it gives (see ``ask.absent``)
    if cand.kind == "sentence" and _HEADING_LINE.match(cand.text):
        out.append("heading")  # a heading names a section; it answers nothing
    if cand.kind != "row" and not _WORD.search(_TAG.sub(" ", cand.quote or cand.text)):
        out.append("bare_figure")  # a bare figure ("<td>68.4</td>") says nothing of what it measures
    if asked is not None and cand.kind_hit <= 0 and asked.name != COUNT:
        out.append("missing_kind")  # (a count's noun has synonyms no cue lists: it ranks, it does not bar)
    if wants_figure and not _holds_figure(cand):
        out.append("no_figure")  # a figure is asked and the quote holds none ("run_server_fp8.sh" is no figure)
    rule = _unworded(cand, asked)
    if rule is not None:
        out.append(rule)
    if cand.agreement is not None and cand.agreement <= UNRELATED:
        out.append("unrelated")  # no closer in meaning to the question than the index's average passage
    return out


def _unworded(cand: Scored, asked: AskedKind | None) -> str | None:
    """"focus_far" or "thin_content" when the words around ``cand`` do not say what is asked, by hand-set
    thresholds."""
    worded = asked is not None and cand.kind_hit >= 1.0 and cand.closeness >= MEANING_CLOSENESS
    if (
        not cand.focus_near
        and cand.kind != "row"
        and not (cand.cross and not cand.focus_checkable and cand.closeness >= CROSS_CLOSENESS)
        and not (asked is not None and cand.kind_hit >= CUED_KIND and cand.unit_asked)
    ):
        # nothing in it or beside it names what is asked (a funding round is no revenue); a row's header says
        # what its figures are, and a figure in the unit asked for ("多少美元": "$2.19") names it itself
        return "focus_far"
    if (
        cand.window < MIN_CONTENT
        and not (cand.cross and cand.closeness >= CROSS_CLOSENESS)
        and not cand.row_named
        and not (cand.agreement is not None and cand.agreement >= AGREEING and cand.kind_hit >= CUED_KIND)
        and not (
            (cand.kind == "row" or cand.holds_focus or worded or (cand.unit_asked and cand.kind_hit >= CUED_KIND))
            and cand.window >= MIN_ROW_CONTENT
            and (cand.closeness >= CROSS_CLOSENESS or cand.states_case)
        )
    ):
        # (a row naming one of the question's names where a column names another needs no more, nor one
        # stating the case the question sets ("| 128000 | 58 GB |" for a 128K-token prompt); nor does a
        # sentence among the closest in meaning holding every name and every word of what is asked: the rest of
        # the question is context a source words its own way, "AlpacaEval 榜单" for its "排行榜")
        return "thin_content"
    return None
