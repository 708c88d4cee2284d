"""Why an answer's lead line holds another figure than the one asked.

For every answered question whose first line misses an expected figure, this reports where that figure was and
what the lead took instead:

- ``same cell``       the lead's candidate holds it but the lead is empty (no figure stood out)
- ``same row``        another cell of the table row the lead read (wrong column)
- ``same sentence``   another figure of the sentence the lead read (wrong figure of several)
- ``same table``      another row of the lead's table (wrong row)
- ``usable #n``       another candidate that could answer (ranked n-th: ranking)
- ``unusable (why)``  a candidate with a weakness (the gate barred it)
- ``passage``         a retrieved passage, in no shortlisted candidate (sentence selection)
- ``absent``          no retrieved passage (retrieval)

with the lead's candidate (kind, figure, kind hit) and, for a row, the row label and column the lead took.
Cases are picked from earlier eval outputs (``--results DIR``: the file ``<folder>_<stem>.txt`` of each set, as the
eval runner names them, lines "ID qa ... retrieval/answered -lead") or, without them, every answered case is run.
Prints one line per case and a tally. Usage:

    python bench/lead_diagnosis.py --data-dir DIR --results OUTDIR1 OUTDIR2 -- set1.jsonl set2.jsonl
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.ask import pipeline
from assistant.ask.candidate import weakness
from assistant.ask.spans import cells, demark
from assistant.evaluate.scoring import lead_sentence, matches, values_in
from tools.figures import parse_figures

_RESULT = re.compile(r"^(\S+)\s+qa\s+\S+\s+retrieval/answered -lead")


def _wanted(results: list[str], set_path: str) -> set[str] | None:
    """The ids of a set's answered cases with a wrong lead in the first results folder holding its output."""
    p = Path(set_path)
    name = f"{p.parent.name}_{p.stem}.txt"
    for folder in results:
        out = Path(folder) / name
        if out.is_file():
            lines = out.read_text(encoding="utf-8").splitlines()
            return {m.group(1) for line in lines if (m := _RESULT.match(line))}
    return None


class _Trace:
    """The last selection of an ask: the question's parts, their usable candidates and the passages."""

    def __init__(self) -> None:
        self.found: list[tuple[Any, list[Any]]] = []
        self.ranked: list[list[Any]] = []  # each part's whole ranking
        self.passages: list[Any] = []

    def install(self) -> None:
        select = pipeline._select

        def traced(parts: Any, passages: Any, retriever: Any, untrusted: Any) -> Any:
            found, ranked = select(parts, passages, retriever, untrusted)
            self.found, self.ranked, self.passages = found, ranked, list(passages)
            return found, ranked

        pipeline._select = traced  # type: ignore[assignment]


def _holds(text: str, value: float, tolerance: float) -> bool:
    return any(matches(v, value, tolerance) for v in values_in(demark(text)))


def _table_span(text: str, start: int) -> tuple[int, int]:
    """The lines of the Markdown table around offset ``start`` (the row's own line when none)."""
    lines = text.split("\n")
    pos, spans = 0, []
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    at = next((i for i, (s, e) in enumerate(spans) if s <= start <= e), 0)
    lo = hi = at
    while lo > 0 and lines[lo - 1].lstrip().startswith("|"):
        lo -= 1
    while hi + 1 < len(lines) and lines[hi + 1].lstrip().startswith("|"):
        hi += 1
    return spans[lo][0], spans[hi][1]


def _where(value: float, tol: float, best: Any, usable: list[Any], ranked: list[Any], part: Any,
           passages: list[Any]) -> str:
    text = passages[best.passage].chunk.text
    if _holds(best.text, value, tol):
        if best.kind == "row":
            return "same row"
        return "same sentence" if len(parse_figures(demark(best.text))) > 1 else "same cell"
    if best.kind == "row":
        lo, hi = _table_span(text, best.start)
        if _holds(text[lo:hi], value, tol):
            return "same table"
    for n, cand in enumerate(usable[1:], start=2):
        if _holds(cand.text, value, tol):
            same = cand.passage == best.passage
            return f"usable #{n}{' same passage' if same else ''}"
    for cand in ranked:
        if _holds(cand.text, value, tol):
            why = weakness(cand, part.asked, wants_figure=part.wants_figure) or "ranked out"
            return f"unusable ({why})"
    if any(_holds(p.chunk.text, value, tol) for p in passages):
        return "passage"
    return "absent"


def _describe(best: Any, passages: list[Any]) -> str:
    fig = best.figure.text if best.figure is not None else "-"
    out = f"{best.kind} fig={fig} hit={best.kind_hit:.1f} score={best.score:.2f}"
    if best.kind == "row":
        text = passages[best.passage].chunk.text
        row = [demark(text[s:e]).strip() for s, e in cells(text, best.start, best.end)]
        out += f" row={row[:1]}"
        if best.record_head is not None:
            head = [demark(text[s:e]).strip() for s, e in cells(text, *best.record_head)]
            out += f" head={head[:6]}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--results", nargs="*", default=[], help="eval output folders naming the -lead cases")
    ap.add_argument("sets", nargs="+")
    args = ap.parse_args()
    trace = _Trace()
    trace.install()
    tally: collections.Counter[str] = collections.Counter()
    with Assistant.open(args.data_dir) as assistant:
        for path in args.sets:
            wanted = _wanted(args.results, path) if args.results else None
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                case = json.loads(line)
                if case.get("kind", "lookup") != "lookup" or case.get("history"):
                    continue
                if wanted is not None and case["id"] not in wanted:
                    continue
                answer = assistant.ask(case["question"])
                if answer.status != "answered" or answer.route != "retrieval":
                    continue
                tol = case.get("tolerance", 0.005)
                lead = values_in(lead_sentence(answer.text))
                missing = [e for e in case["expect_numbers"] if not any(matches(v, e, tol) for v in lead)]
                if not missing or not trace.found:
                    continue
                # the part each missing figure belongs to: in the question's order, one figure per part
                parts = trace.found
                for value in missing:
                    k = case["expect_numbers"].index(value)
                    at = min(k, len(parts) - 1)
                    part, usable = parts[at]
                    if not usable:
                        continue
                    ranked = trace.ranked[at] if at < len(trace.ranked) else []
                    where = _where(value, tol, usable[0], usable, ranked, part, trace.passages)
                    tally[where.split(" same")[0] if where.startswith("usable") else where.split(" (")[0]] += 1
                    first = lead_sentence(answer.text).replace("\n", " ")[:90]
                    print(f"{case['id']:8} {value:<12g} {where:28} parts={len(parts)} lead={first!r}")
                    print(f"{'':8} best: {_describe(usable[0], trace.passages)}")
    print("\nwhere the expected figure was")
    for key, n in tally.most_common():
        print(f"  {key:20} {n}")


if __name__ == "__main__":
    main()
