"""Where a claim's evidence is lost: for each failing claim, whether the source's figure (the claim's own value for a
true claim, ``correct`` for a wrong one) was read from a retrieved passage at all, whether ``judge`` kept it as a
candidate (aligned), and whether the candidate was decisive. Prints one line per case and a table of causes.

    PYTHONPATH=$PWD python bench/claimev11/lost.py --data-dir DIR SET.jsonl [--all]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.check import judge as judge_mod
from assistant.check import pipeline as pipeline_mod
from assistant.check import verdict as verdict_mod
from assistant.evaluate.scoring import matches

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from claims_diag import RecordingFinder  # noqa: E402  (bench/claims_diag.py: the recording evidence finder)

_TOL = 0.005


_CANDS: list[Any] = []
_judge = judge_mod.judge


def _recording_judge(claim: Any, sources: Any, finder: Any) -> Any:
    out = _judge(claim, sources, finder)
    _CANDS.extend(out)
    return out


def _hit(value: float, expected: list[float]) -> bool:
    return any(matches(value, e, _TOL) for e in expected)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args()
    pipeline_mod.EvidenceFinder = RecordingFinder  # type: ignore[misc]
    verdict_mod.judge = _recording_judge  # type: ignore[assignment]
    causes: collections.Counter[str] = collections.Counter()
    with Assistant.open(args.data_dir) as assistant:
        for path in args.sets:
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                case = json.loads(line)
                RecordingFinder.seen, _CANDS[:] = [], []
                report = assistant.check(case["claim"])
                got = report.overall
                want = case["verdict"]
                stated = [c.figure.value for c in report.claims]
                expected = [float(x) for x in case.get("correct") or []] or stated
                present = [sf for sf in RecordingFinder.seen if _hit(sf.ctx.figure.value, expected)]
                aligned = [c for c in _CANDS if _hit(c.source.ctx.figure.value, expected)]
                if got == want and not args.all:
                    continue
                if got == want:
                    cause = "ok"
                elif want == "supported" and got == "contradicted":
                    cause = "true claim contradicted"
                elif not present:
                    cause = "not retrieved"
                elif not aligned:
                    cause = "retrieved, not aligned"
                else:
                    cause = f"aligned ({aligned[0].match.strength}/{aligned[0].outcome}), not decided"
                causes[cause] += 1
                print(f"{case['id']:8} want={want[:5]} got={got[:5]} {cause}")
                print(f"    {case['claim']}")
                for c in report.claims:
                    print(f"    fig {c.figure.text!r}={c.figure.value} unit={c.figure.unit} -> {c.verdict}")
                for sf in present[:2]:
                    ctx = sf.ctx
                    print(f"    src {ctx.figure.text!r}={ctx.figure.value} unit={ctx.figure.unit} hdr={ctx.header!r}"
                          f" :: {ctx.sentence_text[:110]!r}")
                for c in aligned[:1]:
                    print(f"    cand align={c.match.align:.2f} level={c.match.entity_level} {c.match.reason}")
    print()
    for cause, n in causes.most_common():
        print(f"{cause:45} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
