"""Running a routed calculator call: fill missing inputs from the corpus, call the tool, cite its sources.

The answer's text is the tool's own rendering (result and formula) in the question's language, followed by
the quoted passages behind any figure that did not come from the question: an input looked up in the corpus,
or a default the calculator took from its table (whose source quote is located in the indexed document).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from assistant.ask.analyze import QuestionAnalysis, analyze, kind, mark_focus, weigh
from assistant.ask.candidate import weakness
from assistant.ask.compose import frame, quote_citations, source_label
from assistant.ask.instructions import instructing_passages
from assistant.ask.route import Fill, ToolPlan
from assistant.ask.select import select_sentences
from assistant.models import Answer, Citation, SearchFilters, ToolCall
from assistant.settings import Settings
from assistant.text import elapsed_ms
from tools import run_tool
from tools.results import Source, ToolResult

log = logging.getLogger(__name__)


def tool_answer(
    analysis: QuestionAnalysis,
    plan: ToolPlan,
    *,
    retriever: Any,
    settings: Settings,
    filters: SearchFilters | None = None,
    timings: dict[str, float] | None = None,
) -> Answer | None:
    """Answer with the calculator ``plan`` names; None when an input cannot be found or the tool refuses."""
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    arguments = dict(plan.arguments)
    citations: list[Citation] = []
    for fill in plan.fills:
        found = fill_from_corpus(
            fill, retriever=retriever, settings=settings, filters=filters, number=len(citations) + 1
        )
        if found is None:
            log.info("no corpus figure for %s; answering by retrieval", fill.argument)
            return None
        arguments[fill.argument], cited = found
        citations.extend(cited)
    timings["retrieval"] = _ms(t0)

    t1 = time.perf_counter()
    try:
        result = run_tool(plan.name, **arguments)
    except ValueError as exc:
        log.info("%s refused %s: %s", plan.name, arguments, exc)
        return None
    if not _has_result(result):
        return None
    for source in result.sources:
        c = cite_source(source, retriever, len(citations) + 1)
        if c is not None and all((c.doc_id, c.start) != (o.doc_id, o.start) for o in citations):
            citations.append(c)
    lang = analysis.answer_language
    rendered = result.render(lang)
    timings["tool"] = _ms(t1)

    t2 = time.perf_counter()
    lines = [rendered] + [
        frame(lang, "quote", quote=" ".join(c.quote.split()), n=c.number, source=source_label(c, lang))
        for c in citations
    ]
    call = ToolCall(
        name=plan.name,
        arguments=arguments,
        result=result.model_dump(mode="json"),
        text=rendered,
        citations=[c.number for c in citations],
    )
    timings["composition"] = _ms(t2)
    return Answer(
        question=analysis.question,
        status="answered",
        route="tool",
        text="\n\n".join(lines),
        citations=citations,
        tool_calls=[call],
        language=analysis.language,
        timings_ms=dict(timings),
    )


def _has_result(result: ToolResult) -> bool:
    rows = getattr(result, "rows", None)
    return rows is None or bool(rows)


def fill_from_corpus(
    fill: Fill,
    *,
    retriever: Any,
    settings: Settings,
    filters: SearchFilters | None,
    number: int,
) -> tuple[float, list[Citation]] | None:
    """Find the figure for one missing input (e.g. the GPU-hour price a report assumed) and cite it."""
    passages = retriever.search(fill.query, k=settings.top_k, filters=filters)
    sub = weigh(analyze(fill.query), retriever)
    sub = sub.model_copy(update={"asked": kind(fill.kind), "terms": mark_focus(sub.terms, fill.focus)})
    untrusted = instructing_passages(passages)  # a passage holding a prompt injection is not evidence
    for cand in select_sentences(sub, passages):
        if cand.passage in untrusted:
            continue
        if weakness(cand, sub.asked) is None and cand.figure is not None and cand.figure.unit in fill.units:
            return cand.figure.value, quote_citations(retriever, passages, [cand], first_number=number)
    return None


def cite_source(source: Source, retriever: Any, number: int) -> Citation | None:
    """A citation of a calculator's source quote, located in the indexed document it names (None if absent)."""
    if not source.path or not source.quote:
        return None
    wanted = source.path.replace("\\", "/")
    for doc in retriever.documents():
        if not doc.source_path.replace("\\", "/").endswith(wanted):
            continue
        text = retriever.document_text(doc.id)
        span = _locate(text, source.quote)
        if span is None:
            return None
        return Citation.quoting(number, doc, text, *span, page=source.page)
    return None


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    # PDF extraction may break lines differently than the quote was typed
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


_ms = elapsed_ms
