"""The second pass of sentence selection: the best candidates parsed for a figure of the kind asked.

Parsing figures is the costly part of scoring, so only the best few candidates by words and meaning are parsed:
those holding every name first, then a few more (they only explain a not-found answer). A candidate's figure of
the asked kind (or, in a table row, the cell where a named row crosses a named column) raises it; a row writing
a figure the question gives is the record of the case the question sets. Last, for a question about one year,
each kept candidate is marked when it speaks of another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence, Set
from functools import partial

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.candidate import MAY_HAVE_FIGURE, MIN_NAMES, Scored
from assistant.ask.crossing import crossing_hit
from assistant.ask.figuremeaning import choose_by_meaning
from assistant.ask.kinds import (
    YEAR,
    asks_per_unit,
    asks_rate,
    close,
    dated_year,
    focus_cues,
    kind_hit,
    names_a_part,
)
from assistant.ask.kindtable import AskedKind
from assistant.ask.spans import demark
from assistant.ask.surround import own_part
from assistant.ask.years import asks_part_of_year, speaks_of_year
from assistant.models import Passage
from assistant.text import CHANGED_TO
from tools.figures import Figure, parse_figures

# Sentences parsed for figures in the second pass.
SECOND_PASS = 16
# ... and this many more of those lacking a name (they only explain a not-found answer).
OTHERS_PARSED = 4
# A table row writing a figure the question gives (the case it sets: "when the prompt is 128K tokens") is the
# record of that case.
CONDITION_BONUS = 0.1


def figure_pass(
    analysis: QuestionAnalysis,
    cands: list[Scored],
    passages: Sequence[Passage],
    *,
    w_kind: float,
    asks_total: bool,
    figure_similarity: Callable[[list[str]], list[float] | None] | None = None,
) -> list[Scored]:
    """``cands`` (best first) with the shortlist parsed for the asked kind's figure, re-ranked. Among figures of one
    sentence, ``figure_similarity`` (the question's, without its names, to each figure's own words) helps choose
    (``assistant.ask.figuremeaning``)."""
    assert analysis.asked is not None
    names = [t for t in analysis.terms if t.name]
    content_terms = [t for t in analysis.terms if not t.name]
    years = {t.text for t in analysis.terms if YEAR.fullmatch(t.text)}
    given = [f.value for f in analysis.figures]
    cues = focus_cues(analysis.terms)
    whole_asked = asks_total or not names_a_part(analysis.question, analysis.terms)
    per_asked = asks_per_unit(analysis.question)
    rate_asked = asks_rate(analysis.question)
    conditions = [f.value for f in analysis.figures if f.unit != "date" and f.value]
    before_asked = _ASKS_BEFORE.search(analysis.question) is not None
    # only a candidate holding every name can answer: those are parsed first, then the best of the rest
    holding = [c for c in cands if c.names >= MIN_NAMES][:SECOND_PASS]
    seen = {id(c) for c in holding}
    rest = [c for c in cands if id(c) not in seen][: SECOND_PASS - len(holding) + OTHERS_PARSED]
    parsed = holding + rest
    for cand in parsed:
        plain = demark(cand.text)
        figures = parse_figures(plain) if MAY_HAVE_FIGURE.search(plain) else []
        every: list[tuple[float, Figure]] = []

        def hit(
            text: str,
            found: Sequence[Figure],
            cand: Scored = cand,
            every: list[tuple[float, Figure]] = every,
            asked: AskedKind = analysis.asked,
        ) -> tuple[float, Figure | None]:
            every.clear()
            return kind_hit(
                asked,
                found,
                text,
                given,
                cues=cues,
                terms=content_terms,
                header=cand.header,
                context=demark(f"{cand.heading} {cand.caption}").lower(),
                names=names,
                rate_asked=rate_asked,
                whole_asked=whole_asked,
                per_asked=per_asked,
                years=years,
                every=every,
            )

        cand.kind_hit, cand.figure = hit(plain, figures)
        said = plain  # the text the figure was read in
        hits = list(every)
        if cand.figure is not None and cand.kind == "sentence" and names:
            # a figure in the part of the sentence about another member of the family ("..., while GLM-4.5-Air
            # adopts 106 billion total parameters" when GLM-4.5 is asked): the asked one's part is read instead
            own = own_part(plain, cand.figure, names)
            if own is not None:
                strength, figure = hit(own, parse_figures(own))
                if figure is not None:
                    cand.kind_hit, cand.figure = strength, figure
                    said, hits = own, list(every)
        cand.said, cand.hits = said, hits
        if cand.kind_hit <= 0 and cand.kind == "row" and cand.record_head is not None:
            # the cell where a named row crosses a named column is the score asked, unit or not
            cand.kind_hit, cand.figure = crossing_hit(
                passages[cand.passage].chunk.text, (cand.start, cand.end), cand.record_head, analysis
            )
        units, preference = analysis.asked.units, 1.0
        if cand.kind_hit <= 0 and analysis.admitted and figures:
            # no figure of the kind asked first: one of a further kind the question admits answers, ranked below
            admitted = admitted_hit(analysis.admitted, partial(hit, plain, figures))
            if admitted is not None:
                (cand.kind_hit, cand.figure), units, preference = admitted[0], admitted[1].units, ADMITTED_WEIGHT
                cand.said, cand.hits = plain, list(every)
        if cand.figure is not None and not before_asked:
            cand.figure = changed_to(plain, cand.figure, figures, units)
        cand.score += w_kind * cand.kind_hit * preference
        if cand.kind == "row" and conditions and any(close(f.value, g) for f in figures for g in conditions):
            # the row of the case the question sets ("| 128000 | 58 GB |" for a 128K-token prompt); a sentence
            # repeating a given figure is as often the premise as the answer
            cand.states_case = True
            cand.score += CONDITION_BONUS
    if figure_similarity is not None:
        chosen = {id(c): c.figure for c in parsed}
        ranked = sorted(parsed, key=lambda c: -c.score)
        choose_by_meaning(ranked, passages, figure_similarity)
        for cand in ranked:
            if cand.figure is not None and cand.figure is not chosen[id(cand)] and not before_asked:
                cand.figure = changed_to(cand.said, cand.figure, parse_figures(cand.said), analysis.asked.units)
    seen |= {id(c) for c in rest}
    return sorted(parsed, key=lambda c: -c.score) + [c for c in cands if id(c) not in seen]


# A figure of a further kind the question admits (``QuestionAnalysis.admitted``) weighs this share of one of the
# kind asked first.
ADMITTED_WEIGHT = 0.8


def admitted_hit(
    admitted: Sequence[AskedKind], hit: Callable[..., tuple[float, Figure | None]]
) -> tuple[tuple[float, Figure], AskedKind] | None:
    """The first admitted kind (in order of preference) with a figure in the candidate (``hit(asked=kind)``), and
    that hit."""
    for k in admitted:
        strength, figure = hit(asked=k)
        if figure is not None and strength > 0:
            return (strength, figure), k
    return None


# "from X to Y" (从 X 降到 Y): the value it came to, unless the question asks the one before.
_FROM = re.compile(r"(?:\bfrom|从|由)[^，。,;；.]{0,16}$", re.I)
_TO = re.compile(rf"^\s*{CHANGED_TO}\s*$", re.I)
_ASKS_BEFORE = re.compile(
    r"\bbefore\b|\bprevious|\boriginal|\bold\b|\bformer|\bfrom\b|之前|此前|以前|原来|原价|原先|原本|[价调涨降]前", re.I
)


def changed_to(plain: str, figure: Figure, figures: Sequence[Figure], units: Set[str]) -> Figure:
    """The figure a change written "from ``figure`` to Y" came to (Y, when of an asked unit), else ``figure``."""
    if not _FROM.search(plain[max(0, figure.start - 20) : figure.start]):
        return figure
    later = [g for g in figures if g.start >= figure.end]
    if later and _TO.match(plain[figure.end : later[0].start]) and (later[0].unit in units or later[0].unit == figure.unit):
        return later[0]
    return figure


def mark_other_years(analysis: QuestionAnalysis, kept: Sequence[Scored], dated: Set[str]) -> None:
    """For a question about one year, mark each kept candidate that speaks of another (``other_year``)."""
    part_asked = asks_part_of_year(analysis.question)
    for c in kept:
        if c.dating is not None:  # a question about one year: a figure of another is no answer
            plain = demark(c.text)
            year = dated_year(plain, c.figure) if c.figure is not None and c.kind == "sentence" else None
            c.other_year = not speaks_of_year(
                dated, plain, c.dating, has_figure=c.figure is not None, figure_year=year, part_asked=part_asked
            )
