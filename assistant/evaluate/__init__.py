"""Evaluation against development sets (JSON Lines): questions, claims, arithmetic texts, FacTool worked
answers and RGB's news sets.

    report = evaluate(assistant, "eval/dev_qa.jsonl")
    print(render_table(report))

One file may mix formats; each line is recognised by its keys (see ``assistant.evaluate.cases``). Beside the
answer accuracy a question set reports the lead-right count (expected figures in the answer's first sentence)
and the retrieval hit rate (an expected figure from the expected source in the top 8 passages of a plain
search), so the gap between finding and answering stays visible.
"""

from assistant.evaluate.calculations import score_calculations
from assistant.evaluate.cases import (
    DEFAULT_TOLERANCE,
    ArithCase,
    CalcCase,
    Calculation,
    Case,
    ClaimCase,
    QACase,
    RgbFactCase,
    RgbQueryCase,
    Turn,
    load_cases,
    parse_case,
)
from assistant.evaluate.report import EvalReport, Metric, render_table, totals
from assistant.evaluate.runner import docs_beside, evaluate
from assistant.evaluate.scoring import (
    TOOL_ALIASES,
    CaseResult,
    answer_values,
    contains_answer,
    lead_sentence,
    matches,
    overall_verdict,
    retrieval_hit,
    score_arith,
    score_claim,
    score_qa,
    score_rgb_fact,
    score_rgb_query,
    source_ok,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "TOOL_ALIASES",
    "ArithCase",
    "CalcCase",
    "Calculation",
    "Case",
    "CaseResult",
    "ClaimCase",
    "EvalReport",
    "Metric",
    "QACase",
    "RgbFactCase",
    "RgbQueryCase",
    "Turn",
    "answer_values",
    "contains_answer",
    "docs_beside",
    "evaluate",
    "lead_sentence",
    "load_cases",
    "matches",
    "overall_verdict",
    "parse_case",
    "render_table",
    "retrieval_hit",
    "score_arith",
    "score_calculations",
    "score_claim",
    "score_qa",
    "score_rgb_fact",
    "score_rgb_query",
    "source_ok",
    "totals",
]
