"""Retrieval for answering: the question as asked, plus its key terms in the other language.

Dense retrieval across languages is weaker than within one, and lexical search cannot cross at all, so a second
query made of the question's names and its key terms translated through the glossary ("参数" -> "parameter",
"faster" -> "倍") lets an English question reach a Chinese article and the other way round. The two result
lists are interleaved, and no document may fill more than ``PER_DOCUMENT`` places, so a large table whose rows
all match a name cannot crowd out the one paragraph that answers.
"""

from __future__ import annotations

from typing import Any

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.terms import translated_query
from assistant.models import Passage, SearchFilters
from assistant.settings import Settings

PER_DOCUMENT = 3


def retrieve(
    analysis: QuestionAnalysis, retriever: Any, settings: Settings, filters: SearchFilters | None = None
) -> list[Passage]:
    """Passages for the question: both queries' results interleaved, at most ``PER_DOCUMENT`` per document."""
    k = settings.top_k
    lists = [retriever.search(analysis.question, k=2 * k, filters=filters)]
    second = translated_query(analysis.terms)
    if second and second.strip().lower() != analysis.question.strip().lower():
        lists.append(retriever.search(second, k=k, filters=filters))
    return merge(lists, limit=2 * k)


def merge(lists: list[list[Passage]], *, limit: int, per_document: int = PER_DOCUMENT) -> list[Passage]:
    """Interleave ranked lists (first list first at each rank), dropping repeats and over-represented documents."""
    out: list[Passage] = []
    seen: set[str] = set()
    per_doc: dict[str, int] = {}
    depth = max((len(x) for x in lists), default=0)
    for rank in range(depth):
        for results in lists:
            if rank >= len(results):
                continue
            p = results[rank]
            if p.chunk.id in seen or per_doc.get(p.chunk.doc_id, 0) >= per_document:
                continue
            seen.add(p.chunk.id)
            per_doc[p.chunk.doc_id] = per_doc.get(p.chunk.doc_id, 0) + 1
            out.append(p)
            if len(out) >= limit:
                return out
    return out
