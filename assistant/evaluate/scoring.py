"""Scoring one case against what the assistant returned (an ``Answer`` or a ``CheckReport``).

Expected figures match when any figure written in the answer (or a tool result) equals them within a relative
tolerance, in either language: 5.576e6 matches "$5.576M" and "557.6万美元", 0.8 matches "80%" and "八成".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.evaluate.cases import (
    DEFAULT_TOLERANCE,
    ArithCase,
    ClaimCase,
    QACase,
    RgbFactCase,
    RgbQueryCase,
)
from assistant.models import Answer, CheckReport, Passage

# Development-set tool kinds that name a family of calculators rather than one function.
TOOL_ALIASES: dict[str, frozenset[str]] = {
    "rental_projection": frozenset({"project_rental_price", "implied_change"}),
    "training_cost_flops": frozenset({"training_cost"}),
}
CaseType = Literal["qa", "claim", "arith", "calc", "rgb", "rgb_fact"]


class CaseResult(BaseModel):
    """The outcome of one case. ``checks`` holds each criterion (None: not applicable)."""

    id: str
    type: CaseType
    passed: bool
    checks: dict[str, bool | None] = Field(default_factory=dict)
    counts: dict[str, int] = Field(default_factory=dict, description="Tallies summed into the totals.")
    outcome: str = Field("", description="What the assistant did: route/status, verdict, or relations found.")
    detail: str = ""
    latency_ms: float = 0.0


# --- questions --------------------------------------------------------------------------------------------


def score_qa(case: QACase, answer: Answer, passages: Sequence[Passage] | None = None) -> CaseResult:
    """Score one answer: figures, citation source, not-found status and route; with the top ``passages`` of a
    plain search also whether retrieval held an expected figure from the expected source (``retrieval_hit``).

    ``lead`` says whether the expected figures are in the answer's first sentence (what a reader takes away).
    """
    checks: dict[str, bool | None] = {}
    expected_route = "tool" if case.kind.startswith("tool:") else "retrieval"
    checks["routing"] = answer.route == expected_route
    missing: list[float] = []
    if case.kind == "not_found":
        checks["not_found"] = answer.status == "not_found"
        passed = bool(checks["not_found"])
    else:
        checks["not_found"] = None
        checks["answered"] = answer.status == "answered"
        values = answer_values(answer)
        found = [e for e in case.expect_numbers if any(matches(v, e, case.tolerance) for v in values)]
        missing = [e for e in case.expect_numbers if e not in found]
        checks["numbers"] = _enough(case, found) if case.expect_numbers else None
        checks["source"] = source_ok(case.source, answer) if case.source.strip() else None
        if case.kind.startswith("tool:"):
            want = case.kind.split(":", 1)[1]
            names = {c.name for c in answer.tool_calls}
            checks["tool_name"] = want in names or bool(names & TOOL_ALIASES.get(want, frozenset()))
        passed = bool(checks["answered"]) and checks["numbers"] is not False and checks["source"] is not False
        if case.expect_numbers:
            lead = values_in(lead_sentence(answer.text))
            checks["lead"] = passed and _enough(case, [e for e in case.expect_numbers if _in(e, lead, case)])
            if passages is not None and expected_route == "retrieval":
                checks["retrieval_hit"] = retrieval_hit(case, passages)
    detail = f"missing {', '.join(f'{m:g}' for m in missing)}" if missing else ""
    if checks.get("source") is False:
        detail = (detail + "; " if detail else "") + f"no citation from {case.source}"
    marks = "".join(
        f" {'+' if checks[k] else '-'}{label}" for k, label in (("lead", "lead"), ("retrieval_hit", "hit")) if k in checks
    )
    return CaseResult(
        id=case.id, type="qa", passed=passed, checks=checks, outcome=f"{answer.route}/{answer.status}{marks}",
        detail=detail,
    )


def _enough(case: QACase, found: Sequence[float]) -> bool:
    return bool(found) if case.any else len(set(found)) == len(set(case.expect_numbers))


def _in(expected: float, values: Sequence[float], case: QACase) -> bool:
    return any(matches(v, expected, case.tolerance) for v in values)


_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s|$)|\n")


def lead_sentence(text: str) -> str:
    """The answer's first line or sentence (a decimal point does not end it)."""
    body = text.strip()
    m = _SENTENCE_END.search(body)
    return body[: m.end()] if m else body


def retrieval_hit(case: QACase, passages: Sequence[Passage]) -> bool:
    """Whether any passage from the expected source (any source when none is named) holds an expected figure."""
    wanted = [s.strip().lower() for s in case.source.split("|") if s.strip()]
    for p in passages:
        where = f"{p.document.source_path} {p.document.title} {p.document.url or ''}".lower()
        if wanted and not any(w in where for w in wanted):
            continue
        values = values_in(p.chunk.text)
        if any(_in(e, values, case) for e in case.expect_numbers):
            return True
    return False


def values_in(text: str) -> list[float]:
    """Every figure value written in ``text`` (a range gives its ends too)."""
    from tools.figures import parse_figures

    return [v for f in parse_figures(text) for v in (f.value, f.low, f.high) if v is not None]


def answer_values(answer: Answer) -> list[float]:
    """Every figure value in the answer text (a range gives its ends too), the tool results (numbers and numeric
    strings) and the tool texts."""
    values = values_in(answer.text)
    for call in answer.tool_calls:
        values.extend(values_in(call.text))
    for call in answer.tool_calls:
        values.extend(_numbers(call.result))
    return values


def _numbers(obj: Any) -> Iterable[float]:
    if isinstance(obj, bool):
        return
    if isinstance(obj, int | float):
        if math.isfinite(obj):
            yield float(obj)
    elif isinstance(obj, str):
        try:
            v = float(obj)
        except ValueError:
            return
        if math.isfinite(v):
            yield v
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _numbers(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _numbers(v)


def matches(value: float, expected: float, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """``value`` equals ``expected`` within a relative ``tolerance``, ignoring sign ("falls 1.4%" is -0.014)."""
    a, e = abs(value), abs(expected)
    if e == 0:
        return a <= tolerance
    return abs(a - e) <= tolerance * e


def source_ok(spec: str, answer: Answer) -> bool:
    """Whether any citation's source path or title contains one of the ``|``-separated substrings."""
    wanted = [s.strip().lower() for s in spec.split("|") if s.strip()]
    return any(
        w in (c.source or "").lower() or w in (c.title or "").lower() for c in answer.citations for w in wanted
    )


# --- claims and arithmetic --------------------------------------------------------------------------------


def overall_verdict(report: CheckReport) -> str:
    """Contradicted if any claim is, else supported if any is, else unverifiable."""
    return report.overall


def score_claim(case: ClaimCase, report: CheckReport) -> CaseResult:
    """Score a checked claim: the overall verdict, and for a contradiction the source's value shown."""
    verdict = overall_verdict(report)
    checks: dict[str, bool | None] = {"verdict": verdict == case.verdict, "correct_shown": None}
    if case.verdict == "contradicted" and case.correct:
        shown = [c.source_figure.value for c in report.claims if c.source_figure is not None]
        checks["correct_shown"] = any(matches(v, e, case.tolerance) for v in shown for e in case.correct)
    passed = bool(checks["verdict"]) and checks["correct_shown"] is not False
    return CaseResult(id=case.id, type="claim", passed=passed, checks=checks, outcome=verdict)


def score_arith(case: ArithCase, report: CheckReport) -> CaseResult:
    """A consistent text must yield at least one recomputed relation and no inconsistent one; an inconsistent
    text must yield at least one inconsistent relation."""
    inconsistent = [a for a in report.arithmetic if not a.consistent]
    ok = bool(report.arithmetic) and not inconsistent if case.consistent else bool(inconsistent)
    outcome = f"{len(report.arithmetic)} relation(s), {len(inconsistent)} inconsistent"
    return CaseResult(id=case.id, type="arith", passed=ok, checks={"arithmetic": ok}, outcome=outcome)


# --- RGB --------------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def contains_answer(text: str, variants: Sequence[str]) -> bool:
    """RGB's rule for one gold answer: the text contains one of its variants (case and spacing ignored)."""
    body = _norm(text)
    return any(_norm(v) and _norm(v) in body for v in variants)


def score_rgb_query(case: RgbQueryCase, answer: Answer) -> CaseResult:
    """Pass when the answer text contains every gold answer (one variant of each)."""
    missing = [a[0] for a in case.answer if not contains_answer(answer.text, a)]
    return CaseResult(
        id=case.id,
        type="rgb",
        passed=not missing and answer.status == "answered",
        checks={"answered": answer.status == "answered", "answer_text": not missing},
        outcome=f"{answer.route}/{answer.status}",
        detail=f"missing {', '.join(missing)}" if missing else "",
    )


def score_rgb_fact(case: RgbFactCase, text: str, report: CheckReport) -> CaseResult:
    """The planted ``fakeanswer`` in ``text`` must come out contradicted, showing a true answer from the sources.

    ``planted_found``: a claim's figure overlaps the planted span; ``contradicted``: such a claim is contradicted;
    ``true_shown``: that contradiction shows one variant of the gold answer (in the source figure or its quote).
    """
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(case.fakeanswer.strip()), text)]
    planted = [
        c for c in report.claims if any(c.figure.start < e and s < c.figure.end for s, e in spans)
    ]
    contradicted = [c for c in planted if c.verdict == "contradicted"]

    def shows_truth(claim: Any) -> bool:
        shown = [claim.source_figure.text] if claim.source_figure is not None else []
        shown += [e.quote for e in claim.evidence]
        return any(contains_answer(s, a) for s in shown for a in case.answer) or _same_value(claim, case)

    true_shown = [c for c in contradicted if shows_truth(c)]
    checks: dict[str, bool | None] = {
        "planted_found": bool(planted),
        "contradicted": bool(contradicted),
        "true_shown": bool(true_shown),
    }
    verdicts = ", ".join(c.verdict for c in planted) or "no claim at the planted figure"
    return CaseResult(
        id=case.id, type="rgb_fact", passed=bool(true_shown), checks=checks, outcome=verdicts,
        detail="" if spans else "planted answer not in the text",
    )


def _same_value(claim: Any, case: RgbFactCase) -> bool:
    """A numeric gold answer equal to the contradiction's source figure (a date or a count written otherwise)."""
    if claim.source_figure is None:
        return False
    for variants in case.answer:
        for v in variants:
            values = values_in(v)
            if values and any(matches(claim.source_figure.value, x, 1e-9) for x in values):
                return True
    return False
