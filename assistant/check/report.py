"""Show a ``CheckReport``: the draft with a verdict mark after each figure plus a table (CLI), or Markdown."""

from __future__ import annotations

import unicodedata

from assistant.models import ArithmeticCheck, CheckReport, Citation, Claim

MARKS = {"supported": "✓", "contradicted": "✗", "unverifiable": "?"}
_LABELS = {
    "en": {"supported": "supported", "contradicted": "contradicted", "unverifiable": "unverifiable"},
    "zh": {"supported": "有据", "contradicted": "不符", "unverifiable": "无法核实"},
}
_QUOTE_CHARS = 160


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(s: str, width: int) -> str:
    """``s`` cut to ``width`` display columns (an ellipsis marks the cut) and padded to exactly that width."""
    s = " ".join(s.split())
    if _width(s) > width:
        out, w = [], 0
        for ch in s:
            cw = _width(ch)
            if w + cw > width - 1:
                break
            out.append(ch)
            w += cw
        s = "".join(out) + "…"
    return s + " " * (width - _width(s))


def _short(s: str, n: int = _QUOTE_CHARS) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _where(c: Citation) -> str:
    at = f", p. {c.page}" if c.page else f", row {c.row}" if c.row else ""
    return f"{c.title}{at}"


def _source_says(claim: Claim) -> str:
    if claim.source_figure is not None:
        return " ".join(claim.source_figure.text.replace("*", "").replace("`", "").split())
    if claim.verdict == "supported" and claim.evidence:
        return "="
    return ""


def render_text(report: CheckReport, draft: str) -> str:
    """The draft with [✓n] / [✗n] / [?n] after each checked figure, [An ✓] / [An ✗ = recomputed] after each
    written calculation and [!An] after other inconsistent arithmetic, then a table of claims, the quoted
    evidence, and the arithmetic checks."""
    inserts: list[tuple[int, str]] = []
    for i, claim in enumerate(report.claims, start=1):
        inserts.append((claim.figure.end, f" [{MARKS[claim.verdict]}{i}]"))
    for i, a in enumerate(report.arithmetic, start=1):
        if a.relation == "written":  # every written calculation shows its recomputed value
            mark = "✓" if a.consistent else f"✗ = {a.computed_text or _num(a.computed)}"
            at = a.end
            while at < len(draft) and draft[at].isalnum():  # after "美元" in "294.9万美元", not inside it
                at += 1
            inserts.append((at, f" [A{i} {mark}]"))
        elif not a.consistent:
            inserts.append((a.end, f" [!A{i}]"))
    marked, pos = [], 0
    for at, mark in sorted(inserts, key=lambda x: x[0]):
        marked.append(draft[pos:at])
        marked.append(mark)
        pos = at
    marked.append(draft[pos:])
    lines = ["".join(marked).rstrip(), ""]
    labels = _LABELS["zh" if report.language == "zh" else "en"]
    if report.claims:
        header = f"{_fit('#', 4)}{_fit('verdict', 16)}{_fit('figure', 24)}{_fit('subject', 36)}source says"
        lines += [header, "-" * (_width(header) + 12)]
        for i, c in enumerate(report.claims, start=1):
            verdict = f"{MARKS[c.verdict]} {labels[c.verdict]}"
            lines.append(
                f"{_fit(str(i), 4)}{_fit(verdict, 16)}{_fit(c.figure.text, 24)}{_fit(c.subject, 36)}{_source_says(c)}"
            )
            for cit in c.evidence:
                lines.append(f"      [{cit.number}] {_where(cit)}: “{_short(cit.quote)}”")
            if c.verdict != "supported" and c.reason:
                lines.append(f"      {c.reason}")
    else:
        lines.append("No checkable figures found.")
    if report.arithmetic:
        lines += ["", "Arithmetic:"]
        for i, a in enumerate(report.arithmetic, start=1):
            mark = "✓" if a.consistent else "✗"
            lines.append(f"  A{i} {mark} {a.relation}: {_written(a) if a.relation == 'written' else a.explanation}")
    counts = {v: sum(1 for c in report.claims if c.verdict == v) for v in MARKS}
    bad = sum(1 for a in report.arithmetic if not a.consistent)
    lines += [
        "",
        f"{counts['supported']} supported, {counts['contradicted']} contradicted, "
        f"{counts['unverifiable']} unverifiable; {bad} arithmetic problem(s).",
    ]
    return "\n".join(lines)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1e4 and float(x).is_integer() else f"{x:.6g}"


def _written(a: ArithmeticCheck) -> str:
    """"2048 × 60 × 24 = 3,949,120 → recomputed 2,949,120": the expression, the stated and the recomputed value."""
    stated = a.stated_text or _num(a.stated)
    computed = a.computed_text or _num(a.computed)
    return f"{' '.join(a.expression.split())} = {' '.join(stated.split())} → recomputed {computed}"


def _cell(s: str) -> str:
    return " ".join(s.split()).replace("|", "\\|")


def _arith_row(i: int, a: ArithmeticCheck) -> str:
    mark = "✓" if a.consistent else "✗"
    if a.relation == "written":
        stated, computed = a.stated_text or _num(a.stated), a.computed_text or _num(a.computed)
        return f"| A{i} | {mark} | written | {_cell(stated)} | {_cell(computed)} | `{_code(a.expression)}` |"
    return f"| A{i} | {mark} | {a.relation} | {a.stated:g} | {a.computed:g} | {_cell(a.explanation)} |"


def _code(s: str) -> str:
    return " ".join(s.split()).replace("`", "'").replace("|", "\\|")


def render_markdown(report: CheckReport) -> str:
    """The report as Markdown: a table of claims with verdicts and sources, the quotes, and the arithmetic."""
    out = ["## Figures", ""]
    if report.claims:
        out += ["| # | Verdict | Figure | Subject | Source says | Evidence |", "|---|---|---|---|---|---|"]
        for i, c in enumerate(report.claims, start=1):
            refs = ", ".join(f"[{i}.{cit.number}]" for cit in c.evidence)
            out.append(
                f"| {i} | {MARKS[c.verdict]} {c.verdict} | {_cell(c.figure.text)} | {_cell(c.subject)} | "
                f"{_cell(_source_says(c))} | {refs} |"
            )
        quotes = [(i, c, cit) for i, c in enumerate(report.claims, start=1) for cit in c.evidence]
        if quotes:
            out += ["", "### Sources", ""]
            for i, _, cit in quotes:
                out.append(
                    f"- **[{i}.{cit.number}]** {_cell(_where(cit))} — “{_cell(_short(cit.quote, 300))}”"
                )
        notes = [
            (i, c) for i, c in enumerate(report.claims, start=1) if c.verdict != "supported" and c.reason
        ]
        if notes:
            out += ["", "### Notes", ""]
            out += [f"- **{i}** {_cell(c.reason)}" for i, c in notes]
    else:
        out.append("No checkable figures found.")
    if report.arithmetic:
        out += ["", "## Arithmetic", "", "| # | OK | Relation | Stated | Computed | Explanation |",
                "|---|---|---|---|---|---|"]  # fmt: skip
        out += [_arith_row(i, a) for i, a in enumerate(report.arithmetic, start=1)]
    return "\n".join(out) + "\n"
