"""The answering pipeline: analysis -> route (tool or retrieval) -> candidate selection -> composition."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from assistant.ask.analyze import COUNT, QuestionAnalysis, analyze, question_parts
from assistant.ask.candidate import MIN_NAMES, Scored, weakness
from assistant.ask.compose import answer_text, kind_label, not_found_text, quote_citations
from assistant.ask.figuremeaning import unnamed
from assistant.ask.indexnames import written_in
from assistant.ask.instructions import instructing_passages
from assistant.ask.kinds import asks_rate
from assistant.ask.matching import MatchText
from assistant.ask.retrieve import retrieve, widen
from assistant.ask.select import select_sentences
from assistant.ask.similarity import question_spread, similarities
from assistant.ask.spans import demark
from assistant.ask.table import answered_measure as asked_phrase
from assistant.ask.table import answering_cell
from assistant.ask.tablerows import same_table_part
from assistant.ask.twofigures import answered_parts, coordinated_parts
from assistant.ask.unitsearch import unit_passages
from assistant.index.base import Retriever
from assistant.models import Answer, Passage, SearchFilters
from assistant.settings import Settings
from tools.figures import parse_figures
from tools.units import PRICE_PER_HOUR_UNITS

__all__ = ["answer_question", "extractive_answer"]

log = logging.getLogger(__name__)

# Extra quotes beside the best sentence: only near-equals, and never more than this many.
MAX_QUOTES = 3
SUPPORT_RATIO = 0.85
RELATED = 3
# A candidate this short with a figure in it ("- **Layers:** 64") is quoted as the lead when no figure of an
# asked kind stands out.
SHORT_ITEM = 60
# Two sources' figures further apart than this (relative) disagree.
DISAGREE = 0.02
DISAGREE_CLOSENESS = 0.9
# A second document giving the same figure is quoted too when its candidate scores this share of the best's.
AGREE_RATIO = 0.7
_DIGIT = re.compile(r"\d")
# A figure this many characters from a word of the question is the one it asks for (multi-part leads).
NEAR_FIGURE = 40


def answer_question(
    question: str,
    *,
    retriever: Retriever,
    settings: Settings,
    llm: Any = None,
    filters: SearchFilters | None = None,
) -> Answer:
    """Answer ``question`` from the documents behind ``retriever`` (or with a calculator when it asks to compute).

    ``llm`` is an optional langchain chat model; without it the answer is extractive. Timings of each stage
    are recorded in ``Answer.timings_ms`` (analysis, retrieval, selection, composition).
    """
    from assistant.ask.route import plan_tool
    from assistant.ask.toolrun import tool_answer

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    analysis = analyze(question, retriever)  # key terms once, weighted by the index's IDF
    plan = plan_tool(analysis)
    timings["analysis"] = _ms(t0)

    if plan is not None:
        answer = tool_answer(
            analysis, plan, retriever=retriever, settings=settings, filters=filters, timings=timings
        )
        if answer is not None:
            return answer
    if llm is not None:
        from assistant.ask.llm import llm_tool_answer

        answer = llm_tool_answer(analysis, llm, retriever=retriever, settings=settings, timings=timings)
        if answer is not None:
            return answer

    t1 = time.perf_counter()
    passages = retrieve(analysis, retriever, settings, filters)
    timings["retrieval"] = _ms(t1)
    answer = extractive_answer(analysis, passages, retriever=retriever, timings=timings)
    # when nothing answers: maybe the answer is written in the other language (the terms translated), then the
    # named documents' passages holding a figure of the asked kind, which the question's words ranked low
    for search_more in (widen, unit_passages):
        if answer.status != "not_found":
            break
        t2 = time.perf_counter()
        more = search_more(analysis, passages, retriever, settings, filters)
        timings["retrieval"] += _ms(t2)
        if more is not None:
            passages = more
            answer = extractive_answer(analysis, passages, retriever=retriever, timings=timings)
    if llm is not None and answer.status == "answered":
        from assistant.ask.llm import llm_phrase

        t2 = time.perf_counter()
        answer = llm_phrase(analysis, answer, passages, llm)
        timings["llm"] = _ms(t2)
        answer.timings_ms = dict(timings)
    return answer


def extractive_answer(
    analysis: QuestionAnalysis,
    passages: list[Passage],
    *,
    retriever: Retriever,
    timings: dict[str, float] | None = None,
) -> Answer:
    """Quote the best evidence among ``passages``, or answer ``not_found`` with the closest passages."""
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    untrusted = instructing_passages(passages)  # a passage holding a prompt injection is not evidence
    parts = question_parts(analysis, retriever)
    coordinated = len(parts) == 1
    if coordinated:
        parts = coordinated_parts(analysis, retriever)  # two measures under one question word
    found, ranked = _select(parts, passages, retriever, untrusted)
    first_ranked = ranked[0] if ranked else []
    whole_quotes: list[Scored] = []  # the whole question's own evidence, quoted after the parts'
    if len(parts) > 1:
        whole, whole_ranked = _select([analysis], passages, retriever, untrusted)
        # a part answered by the line answering another one or the whole question, or by its own line beside
        # such an answer
        found = answered_parts(found, ranked, whole[0], whole_ranked[0], read_whole=coordinated)
        if len(found) == 1 and found[0][0] is analysis:
            parts = [analysis]  # no part answered on its own: the whole question, as one
        elif whole[0][1]:
            whole_quotes = _chosen(whole[0][1], analysis, passages)
    if any(not usable for _, usable in found):
        found = []  # a figure asked for that nothing gives: half an answer must not pass for the answer
    timings["selection"] = timings.get("selection", 0.0) + _ms(t0)

    t1 = time.perf_counter()
    lang = analysis.answer_language
    if not found:
        answer = _not_found(analysis, passages, first_ranked, retriever)
    else:
        if len(parts) == 1:
            chosen = _chosen(found[0][1], analysis, passages)
            leads = [lead_of(chosen[0], passages, analysis, retriever), *_disagreeing(chosen, passages)]
        else:  # one answer for each figure asked, in the question's order
            chosen = [usable[0] for _, usable in found]
            leads = []
            for k, (part, usable) in enumerate(found):  # each part its own figure, even from one sentence holding both
                taken = [x for x in leads if x]
                # (a later figure asked of the table that gave the first is read from that table)
                mate = same_table_part(chosen[0], usable, part, passages) if k else None
                best = chosen[k] = mate[0] if mate else usable[0]
                if best.borrowed and best.figure is not None:
                    lead: str | None = best.figure.text  # read again for this part: its own figure
                else:
                    lead = lead_of(best, passages, found[0][0] if mate and mate[1] else part, retriever, taken=taken)
                # the lead line must hold every asked figure: without a kind, the figure nearest a word of the part
                leads.append(lead or _nearest_figure(usable[0], part, taken))
        spots = {(c.passage, c.start) for c in chosen}
        chosen += [c for c in whole_quotes if (c.passage, c.start) not in spots][: max(0, MAX_QUOTES - len(chosen))]
        citations = quote_citations(retriever, passages, chosen)
        answer = Answer(
            question=analysis.question,
            status="answered",
            route="retrieval",
            text=answer_text(
                lang, citations, [x for x in leads if x], lead_conflict=len(parts) == 1 and len(leads) > 1
            ),
            citations=citations,
            language=analysis.language,
        )
    timings["composition"] = timings.get("composition", 0.0) + _ms(t1)
    answer.timings_ms = dict(timings)
    return answer


def _select(
    parts: list[QuestionAnalysis], passages: list[Passage], retriever: Retriever, untrusted: set[int]
) -> tuple[list[tuple[QuestionAnalysis, list[Scored]]], list[list[Scored]]]:
    """For each part of the question, its usable candidates (possibly none); and each part's whole ranking."""
    found: list[tuple[QuestionAnalysis, list[Scored]]] = []
    rankings: list[list[Scored]] = []
    written = partial(written_in, retriever, {})
    for part in parts:
        ranked = select_sentences(
            part,
            passages,
            document_text=retriever.document_text,
            similarity=partial(similarities, retriever, part.question),
            figure_similarity=partial(similarities, retriever, unnamed(part.question, [t for t in part.terms if t.name])),
            written_in=written,
            spread=question_spread(retriever, part.question),
        )
        ranked = [c for c in ranked if c.passage not in untrusted]
        rankings.append(ranked)
        usable = [c for c in ranked if weakness(c, part.asked, wants_figure=part.wants_figure) is None]
        # a price per hour is the premise of an amount asked ("training cost"): any amount found answers first
        premise = not asks_rate(part.question)
        usable.sort(key=lambda c: premise and c.figure is not None and c.figure.unit in PRICE_PER_HOUR_UNITS)
        found.append((part, usable))
    return found, rankings


def lead_of(
    best: Scored,
    passages: list[Passage],
    analysis: QuestionAnalysis,
    retriever: Retriever | None = None,
    *,
    taken: Sequence[str] = (),
) -> str | None:
    """The figure that answers, as the source writes it: the cell at the crossing of a table row and the column
    the question names ("AIME 2025 · MiniMax-M1-80K: 76.9"), else the sentence's figure of the asked kind."""
    if best.kind == "row":
        text = passages[best.passage].chunk.text
        cell = answering_cell(
            text,
            (best.start, best.end),
            best.record_head,
            analysis.terms,
            heading=best.heading,
            given=[f.value for f in analysis.figures],
            closeness=None if retriever is None else partial(similarities, retriever, analysis.question),
            kind_cues=analysis.asked.cues if analysis.asked is not None else (),
            kind_units=analysis.asked.units if analysis.asked is not None else frozenset(),
            measure=None if retriever is None or not (asked := asked_phrase(analysis)) else partial(
                similarities, retriever, asked
            ),
            question=analysis.question,
            taken=taken,
        )
        if cell is not None:
            return cell.lead()
    item = " ".join(demark(best.text).lstrip("-*• ").split())
    short = best.kind != "row" and len(item) <= SHORT_ITEM and _DIGIT.search(item) is not None
    counted = analysis.asked is not None and analysis.asked.name == COUNT
    if best.figure is not None and best.kind_hit >= 0.8 and not (counted and short):
        if best.figure.text in taken and analysis.asked is not None:
            # another part already answered with this figure: the next one of the asked kind in the sentence
            others = [
                f
                for f in parse_figures(demark(best.text))
                if f.unit in analysis.asked.units and f.text not in taken
            ]
            return others[0].text if others else None
        return best.figure.text
    if short:
        return item  # a list item or a short line ("Layers: 64") is its own answer, a bare count's above all
    return None


def _nearest_figure(best: Scored, analysis: QuestionAnalysis, taken: Sequence[str]) -> str | None:
    """The figure of ``best`` written closest to one of the question's words ("层数为52层" for "how many layers"),
    leaving out figures the question gives and those already leading."""
    plain = demark(best.text)
    low = plain.lower()
    given = [f.value for f in analysis.figures]
    spots = [
        i
        for t in analysis.terms
        if not t.name
        for form in t.forms
        if form and not form[:1].isdigit()
        for i in _positions(low, form)
    ]
    if not spots:
        return None
    figures = [
        f
        for f in parse_figures(plain)
        if f.value and f.text not in taken and all(f.value != g for g in given)
    ]
    if not figures:
        return None
    near = min(figures, key=lambda f: min(abs(f.start - i) for i in spots))
    if min(abs(near.start - i) for i in spots) > NEAR_FIGURE:
        return None
    return near.text


def _positions(text: str, form: str) -> list[int]:
    out, i = [], text.find(form)
    while i >= 0:
        out.append(i)
        i = text.find(form, i + 1)
    return out


def _disagreeing(chosen: list[Scored], passages: list[Passage]) -> list[str]:
    """Figures of the asked kind that other documents among the chosen give differently from the first: both
    are shown, each with its citation, so a reader sees the sources disagree."""
    best = chosen[0]
    if best.figure is None or best.kind_hit < 1.0:
        return []
    out: list[str] = []
    seen_docs = {passages[best.passage].chunk.doc_id}
    for cand in chosen[1:]:
        doc = passages[cand.passage].chunk.doc_id
        f = cand.figure
        if f is None or cand.kind_hit < 1.0 or doc in seen_docs or f.unit != best.figure.unit:
            continue
        if cand.window < best.window or cand.sim is None or cand.closeness < DISAGREE_CLOSENESS:
            continue  # only a statement as much about the asked thing as the best one contradicts it
        if abs(f.value - best.figure.value) > DISAGREE * max(abs(f.value), abs(best.figure.value)):
            out.append(f.text)
            seen_docs.add(doc)
    return out


def _chosen(usable: list[Scored], analysis: QuestionAnalysis, passages: list[Passage]) -> list[Scored]:
    """The best sentence, plus near-equal ones that also carry the asked kind of figure (corroboration)."""
    best = usable[0]
    chosen = [best]
    for cand in usable[1:]:
        if len(chosen) >= MAX_QUOTES or cand.score < SUPPORT_RATIO * best.score:
            break
        if analysis.asked is not None and cand.kind_hit <= 0:
            continue
        chosen.append(cand)
    return chosen + _agreeing(usable, chosen, passages)


def _agreeing(usable: list[Scored], chosen: list[Scored], passages: list[Passage]) -> list[Scored]:
    """One candidate from another document giving the same figure as the best (a second source agreeing),
    when one is nearly as good."""
    best = chosen[0]
    if best.figure is None or best.kind_hit < 0.8:
        return []
    docs = {passages[c.passage].chunk.doc_id for c in chosen}
    for cand in usable[1:]:
        f = cand.figure
        if cand.score < AGREE_RATIO * best.score:
            break
        if cand in chosen or f is None or cand.kind_hit < 0.8 or passages[cand.passage].chunk.doc_id in docs:
            continue
        if f.unit in (best.figure.unit, None) and abs(f.value - best.figure.value) <= DISAGREE * abs(
            best.figure.value
        ):
            return [cand]
    return []


def _not_found(
    analysis: QuestionAnalysis, passages: list[Passage], ranked: list[Scored], retriever: Retriever
) -> Answer:
    lang = analysis.answer_language
    # the closest evidence is about the right thing (all names present) before anything else
    ordered = sorted(ranked, key=lambda c: (c.names < MIN_NAMES, -c.score))
    closest: list[Scored] = []
    seen_passages: set[int] = set()
    for cand in ordered:
        if cand.passage not in seen_passages:
            seen_passages.add(cand.passage)
            closest.append(cand)
        if len(closest) >= RELATED:
            break
    for cand in closest:
        cand.record_head = None  # related passages are pointers, one quote each
    related = quote_citations(retriever, passages, closest)
    reason = weakness(ordered[0], analysis.asked, wants_figure=analysis.wants_figure) if ordered else None
    missing = _missing_names(analysis, passages, ordered[0]) if ordered else []
    values = {
        "names": ", ".join(missing) or analysis.focus,
        "kind": kind_label(lang, analysis.asked.name) if analysis.asked else "",
    }
    return Answer(
        question=analysis.question,
        status="not_found",
        route="retrieval",
        text=not_found_text(lang, reason or "weak", related, **values),
        related=related,
        language=analysis.language,
    )


def _missing_names(analysis: QuestionAnalysis, passages: list[Passage], best: Scored) -> list[str]:
    """The question's names absent from the closest passage (for the not-found explanation)."""
    p = passages[best.passage]
    context = MatchText(f"{p.document.title} {p.document.source_path} {p.chunk.text}")
    return [t.label or t.text for t in analysis.terms if t.name and not context.has(t)]


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)
