"""Why claims fail: for each failing claim of one or more claim sets, the evidence unit the check chose, the value it
compared, and whether the expected source figure was among the passages retrieved at all. Ends with a table of causes.

    PYTHONPATH=$PWD python bench/claims_diag.py --data-dir DIR SET.jsonl [SET.jsonl ...] [--results DIR ...] [--all]

``--results`` points at folders of ``assistant.cli eval`` outputs (``<folder>_<set>.txt``); only the cases they mark
FAIL are rerun (without it, or with ``--all``, every case is rerun and failures are found here).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.check import evidence as evidence_mod
from assistant.check import pipeline as pipeline_mod
from assistant.evaluate.scoring import matches

_TOL = 0.005


class RecordingFinder(evidence_mod.EvidenceFinder):
    """The check's evidence finder, keeping every source figure it parsed from a retrieved passage."""

    seen: list[Any] = []

    def figures(self, passage: Any, rank: int) -> list[Any]:
        out = super().figures(passage, rank)
        RecordingFinder.seen.extend(out)
        return out


def _failing(results: list[Path], set_path: Path) -> set[str] | None:
    """Case ids marked FAIL for ``set_path`` in any results folder; None when no results file names the set."""
    stem = f"{set_path.parent.name}_{set_path.stem}.txt"
    found = None
    for folder in results:
        f = folder / stem
        if not f.exists():
            continue
        found = found or set()
        for line in f.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) > 2 and parts[2] == "FAIL":
                found.add(parts[0])
    return found


def _cause(case: dict[str, Any], verdict: str, shown: list[float], expected: list[float], present: bool) -> str:
    want = case["verdict"]
    if want == verdict:
        if want == "contradicted" and case.get("correct") and not any(
            matches(v, e, _TOL) for v in shown for e in case["correct"]
        ):
            return "contradicted, other cell shown" if present else "contradicted, source value not retrieved"
        return "ok"
    if want == "supported" and verdict == "contradicted":
        return "true claim contradicted"
    if want == "contradicted" and verdict == "supported":
        return "wrong figure supported (same number elsewhere)"
    if verdict == "unverifiable":
        return "unverifiable, source figure retrieved" if present else "unverifiable, source figure not retrieved"
    return f"{want} judged {verdict}"


def diagnose(assistant: Assistant, case: dict[str, Any]) -> dict[str, Any]:
    """Check one claim and say what evidence decided it."""
    RecordingFinder.seen = []
    report = assistant.check(case["claim"])
    claims = report.claims
    verdict = report.overall
    stated = [c.figure.value for c in claims]
    expected = [float(x) for x in case.get("correct") or []] or stated
    present = any(matches(sf.ctx.figure.value, e, _TOL) for sf in RecordingFinder.seen for e in expected)
    shown = [c.source_figure.value for c in claims if c.source_figure is not None]
    units = []
    for c in claims:
        quote = " | ".join(re.sub(r"\s+", " ", e.quote)[:140] for e in c.evidence[:2])
        sf = c.source_figure.text if c.source_figure is not None else ""
        units.append(f"{c.figure.text.strip()!r}: {c.verdict} src={sf!r} << {quote}")
    return {
        "id": case["id"],
        "want": case["verdict"],
        "got": verdict,
        "cause": _cause(case, verdict, shown, expected, present),
        "expected_retrieved": present,
        "units": units,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--results", nargs="*", type=Path, default=[])
    ap.add_argument("--all", action="store_true", help="rerun every case, not only those the results mark FAIL")
    ap.add_argument("--json", type=Path, help="also write one JSON line per diagnosed case here")
    args = ap.parse_args(argv)
    pipeline_mod.EvidenceFinder = RecordingFinder  # type: ignore[misc]
    causes: collections.Counter[str] = collections.Counter()
    rows = []
    with Assistant.open(args.data_dir) as assistant:
        for set_path in args.sets:
            cases = [json.loads(ln) for ln in set_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
            only = None if args.all else _failing(args.results, set_path)
            for case in cases:
                if only is not None and case["id"] not in only:
                    continue
                row = diagnose(assistant, case)
                if row["cause"] == "ok":
                    continue
                row["set"] = set_path.stem if set_path.parent.name == "bench" else set_path.parent.name
                rows.append(row)
                causes[row["cause"]] += 1
                sys.stdout.write(
                    f"{row['set']:18} {row['id']:8} want={row['want'][:5]} got={row['got'][:5]} "
                    f"retrieved={'y' if row['expected_retrieved'] else 'n'}  {row['cause']}\n"
                )
                for u in row["units"]:
                    sys.stdout.write(f"    {u}\n")
    sys.stdout.write("\ncause                                              count\n")
    for cause, n in causes.most_common():
        sys.stdout.write(f"{cause:50} {n}\n")
    if args.json:
        args.json.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
