"""Evaluation against development sets: questions, single claims, and arithmetic texts (JSON Lines).

    report = evaluate(assistant, "eval/dev_qa.jsonl")
    print(render_table(report))

One file may mix the three formats; each line is recognised by its keys (``question``, ``claim``, or
``text`` with ``consistent``). Expected figures match when any figure written in the answer (or a tool
result) equals them within a relative tolerance, in either language: 5.576e6 matches "$5.576M" and
"557.6万美元", 0.8 matches "80%" and "八成".
"""

from __future__ import annotations

import json
import logging
import math
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, computed_field

from assistant.errors import InputError
from assistant.models import Answer, CheckReport

log = logging.getLogger(__name__)

DEFAULT_TOLERANCE = 0.005
# Development-set tool kinds that name a family of calculators rather than one function.
TOOL_ALIASES: dict[str, frozenset[str]] = {
    "rental_projection": frozenset({"project_rental_price", "implied_change"}),
    "training_cost_flops": frozenset({"training_cost"}),
}


class QACase(BaseModel):
    """A question with the figures its answer must contain."""

    id: str
    lang: str = ""
    question: str
    expect_numbers: list[float] = Field(default_factory=list)
    any: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    source: str = ""
    kind: str = "lookup"


class ClaimCase(BaseModel):
    """A single claim and its expected verdict (with the source's value when contradicted)."""

    id: str
    lang: str = ""
    claim: str
    verdict: Literal["supported", "contradicted", "unverifiable"]
    correct: list[float] = Field(default_factory=list)
    tolerance: float = DEFAULT_TOLERANCE


class ArithCase(BaseModel):
    """A text whose own arithmetic is, or is not, consistent."""

    id: str
    lang: str = ""
    text: str
    consistent: bool
    note: str = ""


Case = QACase | ClaimCase | ArithCase


class CaseResult(BaseModel):
    """The outcome of one case. ``checks`` holds each criterion (None: not applicable)."""

    id: str
    type: Literal["qa", "claim", "arith"]
    passed: bool
    checks: dict[str, bool | None] = Field(default_factory=dict)
    outcome: str = Field("", description="What the assistant did: route/status, verdict, or relations found.")
    detail: str = ""
    latency_ms: float = 0.0


class Metric(BaseModel):
    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


class EvalReport(BaseModel):
    """Per-case results and totals for one evaluation file."""

    path: str
    cases: list[CaseResult] = Field(default_factory=list)
    totals: dict[str, Metric] = Field(default_factory=dict)
    latency_ms: dict[str, float] = Field(default_factory=dict, description="p50 / p95 / max over the asks.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float:
        """Share of all cases passed (0 when there are none)."""
        return sum(c.passed for c in self.cases) / len(self.cases) if self.cases else 0.0


def load_cases(path: str | Path) -> list[Case]:
    """Read an evaluation file; raises ``InputError`` naming the line of a malformed case."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such evaluation file: {p}")
    cases: list[Case] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if "question" in raw:
                cases.append(QACase.model_validate(raw))
            elif "claim" in raw:
                cases.append(ClaimCase.model_validate(raw))
            elif "text" in raw and "consistent" in raw:
                cases.append(ArithCase.model_validate(raw))
            else:
                raise InputError("expected a 'question', a 'claim', or a 'text' with 'consistent'")
        except (json.JSONDecodeError, ValidationError, InputError) as exc:
            raise InputError(f"{p}:{n}: bad case: {exc}") from exc
    return cases


def evaluate(assistant: Any, path: str | Path, *, warmup: bool = True) -> EvalReport:
    """Run every case of ``path`` through ``assistant`` (``ask`` / ``check``) and score it.

    With ``warmup`` the first case is run once before timing, so model loading is not counted.
    """
    cases = load_cases(path)
    report = EvalReport(path=str(path))
    if warmup and cases:
        first = cases[0]
        if isinstance(first, QACase):
            assistant.ask(first.question)
        else:
            assistant.check(first.claim if isinstance(first, ClaimCase) else first.text)
    latencies: list[float] = []
    for case in cases:
        t0 = time.perf_counter()
        if isinstance(case, QACase):
            answer = assistant.ask(case.question)
            ms = (time.perf_counter() - t0) * 1000
            latencies.append(ms)
            result = score_qa(case, answer)
        elif isinstance(case, ClaimCase):
            result = score_claim(case, assistant.check(case.claim))
            ms = (time.perf_counter() - t0) * 1000
        else:
            result = score_arith(case, assistant.check(case.text))
            ms = (time.perf_counter() - t0) * 1000
        result.latency_ms = round(ms, 1)
        report.cases.append(result)
    report.totals = _totals(report.cases)
    if latencies:
        report.latency_ms = {
            "p50": round(_percentile(latencies, 50), 1),
            "p95": round(_percentile(latencies, 95), 1),
            "max": round(max(latencies), 1),
        }
    return report


# --- scoring ----------------------------------------------------------------------------------------------


def score_qa(case: QACase, answer: Answer) -> CaseResult:
    """Score one answer: figures, citation source, not-found status and route."""
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
        numbers_ok = bool(found) if case.any else not missing
        checks["numbers"] = numbers_ok if case.expect_numbers else None
        checks["source"] = source_ok(case.source, answer) if case.source.strip() else None
        if case.kind.startswith("tool:"):
            want = case.kind.split(":", 1)[1]
            names = {c.name for c in answer.tool_calls}
            checks["tool_name"] = want in names or bool(names & TOOL_ALIASES.get(want, frozenset()))
        passed = bool(checks["answered"]) and checks["numbers"] is not False and checks["source"] is not False
    detail = f"missing {', '.join(f'{m:g}' for m in missing)}" if missing else ""
    if checks.get("source") is False:
        detail = (detail + "; " if detail else "") + f"no citation from {case.source}"
    return CaseResult(
        id=case.id,
        type="qa",
        passed=passed,
        checks=checks,
        outcome=f"{answer.route}/{answer.status}",
        detail=detail,
    )


def score_claim(case: ClaimCase, report: CheckReport) -> CaseResult:
    """Score a checked claim: the overall verdict, and for a contradiction the source's value shown."""
    verdicts = [c.verdict for c in report.claims]
    verdict = (
        "contradicted"
        if "contradicted" in verdicts
        else "supported"
        if "supported" in verdicts
        else "unverifiable"
    )
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


def answer_values(answer: Answer) -> list[float]:
    """Every figure value in the answer text (a range gives its ends too), the tool results (numbers and numeric
    strings) and the tool texts."""
    from tools.figures import parse_figures

    figures = parse_figures(answer.text)
    for call in answer.tool_calls:
        figures.extend(parse_figures(call.text))
    values = [v for f in figures for v in (f.value, f.low, f.high) if v is not None]  # "12%—18%": both ends
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
    cited = [c for c in answer.citations]
    return any(w in (c.source or "").lower() or w in (c.title or "").lower() for c in cited for w in wanted)


# --- totals and the table ---------------------------------------------------------------------------------


def _totals(results: Sequence[CaseResult]) -> dict[str, Metric]:
    totals: dict[str, Metric] = {}

    def add(name: str, value: bool | None) -> None:
        if value is None:
            return
        m = totals.setdefault(name, Metric())
        m.total += 1
        m.correct += int(bool(value))

    for r in results:
        if r.type == "qa":
            add("answer accuracy", r.passed)
            add("routing accuracy", r.checks.get("routing"))
            add("citation-source accuracy", r.checks.get("source"))
            add("not-found accuracy", r.checks.get("not_found"))
            add("tool-name accuracy", r.checks.get("tool_name"))
        elif r.type == "claim":
            add("verdict accuracy", r.checks.get("verdict"))
            add("correct value shown", r.checks.get("correct_shown"))
        else:
            add("arithmetic accuracy", r.passed)
    return totals


def _percentile(values: Sequence[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return cuts[int(pct) - 1] if pct < 100 else max(values)


def render_table(report: EvalReport) -> str:
    """The report as a plain-text table: one row per case, then the totals and latencies."""
    rows = [("case", "type", "result", "outcome", "ms", "detail")]
    for r in report.cases:
        failed = [k for k, v in r.checks.items() if v is False]
        detail = "; ".join(x for x in (", ".join(f"{k} ✗" for k in failed), r.detail) if x)
        rows.append((r.id, r.type, "pass" if r.passed else "FAIL", r.outcome, f"{r.latency_ms:.0f}", detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    ]
    lines.append("")
    for name, m in report.totals.items():
        acc = m.accuracy
        lines.append(f"{name:26} {m.correct}/{m.total}" + (f"  {acc:.0%}" if acc is not None else ""))
    if report.latency_ms:
        lines.append(
            "latency (ask)              " + ", ".join(f"{k} {v:.0f} ms" for k, v in report.latency_ms.items())
        )
    return "\n".join(lines)
