"""Running an evaluation file through an assistant: documents to add first, the set's own passages (RGB),
progress, latencies."""

from __future__ import annotations

import inspect
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.evaluate.calculations import score_calculations
from assistant.evaluate.cases import (
    ArithCase,
    CalcCase,
    Case,
    ClaimCase,
    QACase,
    RgbFactCase,
    RgbQueryCase,
    load_cases,
)
from assistant.evaluate.report import EvalReport, totals
from assistant.evaluate.scoring import (
    CaseResult,
    score_arith,
    score_claim,
    score_qa,
    score_rgb_fact,
    score_rgb_query,
)

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
SEARCH_K = 8


def docs_beside(path: str | Path) -> Path | None:
    """The ``docs/`` folder beside an evaluation file, if there is one (the newdocs layout)."""
    folder = Path(path).parent / "docs"
    return folder if folder.is_dir() else None


def evaluate(
    assistant: Any,
    path: str | Path,
    *,
    warmup: bool = True,
    docs: Sequence[str | Path] = (),
    work_dir: str | Path | None = None,
    limit: int | None = None,
    progress: ProgressFn | None = None,
) -> EvalReport:
    """Run every case of ``path`` through ``assistant`` (``ask`` / ``check``) and score it.

    ``docs`` are ingested into the assistant's index first (a set about documents a user adds). RGB cases bring
    their own passages: they are indexed under ``work_dir`` (default: ``eval/<file stem>`` in the data folder),
    apart from the assistant's documents, and each case is answered or checked against its own passages only.
    With ``warmup`` the first question is asked once before timing, so model loading is not counted. ``limit``
    runs the first cases only. ``progress(stage, done, total)`` is called as cases finish.
    """
    cases = load_cases(path)[:limit] if limit else load_cases(path)
    if docs:
        missing = [str(d) for d in docs if not Path(d).exists()]
        if missing:
            raise InputError(f"no such documents folder: {', '.join(missing)}")
        added = assistant.ingest([Path(d) for d in docs], progress=progress)
        log.info("documents for the set: added %d, updated %d, unchanged %d", added.added, added.updated,
                 added.unchanged)
    report = EvalReport(path=str(path))
    rgb = [c for c in cases if isinstance(c, RgbQueryCase)]
    passages = None
    if rgb:
        from assistant.evaluate.passages import PassageIndex

        folder = Path(work_dir) if work_dir else Path(assistant.settings.data_dir) / "eval" / Path(path).stem
        passages = PassageIndex.build(assistant, folder, rgb, progress=progress)
    try:
        if warmup and cases and isinstance(cases[0], QACase):
            _ask(assistant, cases[0])
        latencies: list[float] = []
        for n, case in enumerate(cases, start=1):
            t0 = time.perf_counter()
            result = _run(assistant, case, passages)
            ms = (time.perf_counter() - t0) * 1000
            if isinstance(case, QACase | RgbQueryCase) and not isinstance(case, RgbFactCase):
                latencies.append(ms)
            result.latency_ms = round(ms, 1)
            report.cases.append(result)
            if progress:
                progress("cases", n, len(cases))
    finally:
        if passages is not None:
            passages.close()
    report.totals = totals(report.cases)
    if latencies:
        report.latency_ms = {
            "p50": round(_percentile(latencies, 50), 1),
            "p95": round(_percentile(latencies, 95), 1),
            "max": round(max(latencies), 1),
        }
    return report


def _run(assistant: Any, case: Case, passages: Any) -> CaseResult:
    if isinstance(case, QACase):
        answer = _ask(assistant, case)
        hits = None
        if case.expect_numbers and not case.kind.startswith("tool:") and hasattr(assistant, "search"):
            # a follow-up is searched as it was read ("Llama 3 呢？" alone names no quantity)
            hits = assistant.search(getattr(answer, "read_as", None) or case.question, k=SEARCH_K)
        return score_qa(case, answer, hits)
    if isinstance(case, ClaimCase):
        return score_claim(case, assistant.check(case.claim))
    if isinstance(case, CalcCase):
        return score_calculations(case, assistant.check(case.text))
    if isinstance(case, ArithCase):
        return score_arith(case, assistant.check(case.text))
    scoped = passages.filters(case)
    if isinstance(case, RgbFactCase):
        from assistant.check import check_text

        text = case.positive_wrong[0]
        index = passages.assistant
        return score_rgb_fact(case, text, check_text(text, retriever=index.index, settings=index.settings,
                                                     filters=scoped))
    return score_rgb_query(case, passages.assistant.ask(case.query, filters=scoped))


def _ask(assistant: Any, case: QACase) -> Any:
    """Ask the case's question, with its earlier turns when it has any."""
    if not case.history:
        return assistant.ask(case.question)
    if "history" not in inspect.signature(assistant.ask).parameters:
        raise InputError(f"case {case.id} has earlier turns, but this version of ask() takes no history")
    return assistant.ask(case.question, history=[t.model_dump() for t in case.history])


def _percentile(values: Sequence[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return cuts[int(pct) - 1] if pct < 100 else max(values)
