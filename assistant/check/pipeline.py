"""``check_text``: claims and their verdicts, plus the draft's own arithmetic, as one ``CheckReport``."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from assistant.check.arithmetic import find_relations
from assistant.check.claims import find_claims
from assistant.check.consistency import restatements
from assistant.check.evidence import EvidenceFinder
from assistant.check.substitute import check_substitutions
from assistant.check.verdict import check_claims
from assistant.check.written import find_written
from assistant.index.base import Retriever
from assistant.models import CheckReport, SearchFilters
from assistant.settings import Settings
from assistant.text import check_length, detect_language

log = logging.getLogger(__name__)

# Passages per query. Claims are checked sentence by sentence with two or three queries each; a small k keeps a
# long article fast, and the "same quantity" test discards most passages anyway.
_K = 8


def check_text(
    text: str,
    *,
    retriever: Retriever,
    settings: Settings,
    exclude_sources: Sequence[str] = (),
    filters: SearchFilters | None = None,
) -> CheckReport:
    """Check every figure in ``text`` against the indexed sources, and the text's own arithmetic.

    ``exclude_sources`` leaves documents out of the evidence (doc ids, or substrings of a source path or title),
    e.g. the article being checked when it is itself indexed. ``filters`` narrows retrieval further.
    Raises ``InputError`` for an empty text and ``TooLargeError`` above ``settings.max_check_chars``.
    """
    check_length(text, settings.max_check_chars, "text")
    t0 = time.perf_counter()
    claims, contexts, sentences = find_claims(text)
    t1 = time.perf_counter()
    finder = EvidenceFinder(
        retriever, k=min(_K, settings.top_k), filters=filters, exclude_sources=exclude_sources
    )
    verdicts = check_substitutions(text, check_claims(text, claims, finder), finder)  # names and dates swapped
    t2 = time.perf_counter()
    written = find_written(text)
    spans = [(w.start, w.end) for w in written]  # figures inside a written calculation are checked there
    arithmetic = (
        written + find_relations(text, contexts, sentences, skip=spans) + restatements(text, claims, spans)
    )
    arithmetic.sort(key=lambda a: a.start)
    t3 = time.perf_counter()
    log.info("checked %d claims with %d searches in %.0f ms", len(verdicts), finder.searches, (t3 - t0) * 1e3)
    return CheckReport(
        claims=verdicts,
        arithmetic=arithmetic,
        language=detect_language(text),
        timings_ms={
            "extract": round((t1 - t0) * 1e3, 1),
            "verify": round((t2 - t1) * 1e3, 1),
            "arithmetic": round((t3 - t2) * 1e3, 1),
            "total": round((t3 - t0) * 1e3, 1),
            "searches": float(finder.searches),
        },
    )
