"""A last search for a figure of the asked kind inside the documents the question names.

Dense and lexical search rank the passages that talk most about the question's words; in a long report those
are often prose about the subject with no figure in it ("training DeepSeek-V3 is cost-effective ..."), while the
passage with the figure (a table of costs in USD, a sentence "amount to $5.576M") ranks lower. When nothing
retrieved answers, the documents named after the question's subject are searched once more with the question's
words and the asked kind's own words ("usd", "cost" for money; "tokens" for a token count), and only the
passages that hold a figure in one of the kind's units are kept. Nothing here knows a document or a figure.
"""

from __future__ import annotations

import re

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.retrieve import asked_words, complete_edges, documents_about, merge
from assistant.ask.spans import demark
from assistant.index.base import LexicalSearch, Retriever
from assistant.models import Passage, SearchFilters
from assistant.settings import Settings
from tools.figures import parse_figures

# Lexical hits read (and parsed for figures) per search; the passages kept are at most ``top_k``.
READ = 24
_WORDY = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def kind_query(analysis: QuestionAnalysis) -> str:
    """The question's content words and the asked kind's cue words, as one lexical query ("" if nothing asked)."""
    if analysis.asked is None:
        return ""
    words = asked_words(analysis) + [c for c in analysis.asked.cues if _WORDY.search(c)]
    return " ".join(dict.fromkeys(words))


def unit_passages(
    analysis: QuestionAnalysis,
    passages: list[Passage],
    retriever: Retriever,
    settings: Settings,
    filters: SearchFilters | None = None,
) -> list[Passage] | None:
    """``passages`` with, appended, the named documents' passages that hold a figure of the asked kind; None when
    the question asks no kind, names no document, or no new passage holds such a figure."""
    query = kind_query(analysis)
    if not query or filters is not None or not isinstance(retriever, LexicalSearch):
        return None
    own = documents_about(analysis, retriever)
    if not own or analysis.asked is None:
        return None
    units = analysis.asked.units
    seen = {p.chunk.id for p in passages}
    hits = retriever.search_lexical(query, k=READ, filters=SearchFilters(doc_ids=own))
    found = [
        p
        for p in hits
        if p.chunk.id not in seen and any(f.unit in units for f in parse_figures(demark(p.chunk.text)))
    ][: settings.top_k]
    if not found:
        return None
    return merge([passages, complete_edges(found, retriever)], limit=len(passages) + len(found))
