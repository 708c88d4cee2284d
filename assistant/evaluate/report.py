"""Totals over the case results, and the plain-text table the CLI prints."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field, computed_field

from assistant.evaluate.scoring import CaseResult


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


# name in the totals <- (case type, check name); None: the case passed
_ROWS: dict[str, list[tuple[str, str | None]]] = {
    "qa": [
        ("answer accuracy", None),
        ("lead right", "lead"),
        ("retrieval hit (top-8)", "retrieval_hit"),
        ("routing accuracy", "routing"),
        ("citation-source accuracy", "source"),
        ("not-found accuracy", "not_found"),
        ("tool-name accuracy", "tool_name"),
    ],
    "claim": [("verdict accuracy", "verdict"), ("correct value shown", "correct_shown")],
    "arith": [("arithmetic accuracy", None)],
    "calc": [("answers fully right", None)],
    "rgb": [("RGB answer accuracy", None), ("gold in text, any status", "answer_text")],
    "rgb_fact": [
        ("planted figure found", "planted_found"),
        ("planted contradicted", "contradicted"),
        ("caught, true value shown", None),
    ],
}


def totals(results: Sequence[CaseResult]) -> dict[str, Metric]:
    """Each criterion's passes over the cases it applies to, plus the summed tallies (wrong calculations
    flagged, right ones flagged)."""
    out: dict[str, Metric] = {}

    def add(name: str, value: bool | None) -> None:
        if value is None:
            return
        m = out.setdefault(name, Metric())
        m.total += 1
        m.correct += int(bool(value))

    for r in results:
        for name, check in _ROWS[r.type]:
            add(name, r.passed if check is None else r.checks.get(check))
    calc = [r for r in results if r.type == "calc"]
    if calc:
        out["wrong calculations flagged"] = Metric(
            correct=sum(r.counts.get("wrong_flagged", 0) for r in calc), total=sum(r.counts.get("wrong", 0) for r in calc)
        )
        out["right calculations flagged"] = Metric(
            correct=sum(r.counts.get("right_flagged", 0) for r in calc), total=sum(r.counts.get("right", 0) for r in calc)
        )
    return out


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
