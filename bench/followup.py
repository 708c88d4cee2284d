"""Follow-up conversations: score a set of two-turn cases and measure what reading follow-ups costs.

    python bench/followup.py bench/followup_qa.jsonl --data-dir DIR

Each case is a QA case of `assistant eval` with a ``history`` field (earlier turns, ``{question, answer}``) and,
optionally, ``read_as``: the reading a person would write, so the reading is scored apart from the answer. Prints
per case: passed, how the question was read, the outcome; then the score, and three latencies over the set:
the resolution alone, ``ask(question, history)``, and ``ask(read_as)`` without history (the same work minus the
reading), so the difference is what follow-ups add to an ask.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant import Assistant  # noqa: E402
from assistant.ask.followup import Turn, resolve  # noqa: E402
from assistant.evaluate import QACase, score_qa  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds (the best of each case is kept)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [(QACase.model_validate({k: v for k, v in r.items() if k != "history"}), r["history"]) for r in rows]
    expected = [r.get("read_as") for r in rows]
    passed = read_right = 0
    with Assistant.open(args.data_dir) as assistant:
        assistant.ask(cases[0][0].question)  # load models and statistics before timing
        reads: list[str] = []
        for (case, history), want in zip(cases, expected, strict=True):
            answer = assistant.ask(case.question, history=history)
            result = score_qa(case, answer)
            passed += result.passed
            reads.append(answer.read_as or case.question)
            right = want is None or reads[-1] == want
            read_right += right
            print(f"{case.id} {'PASS' if result.passed else 'FAIL'} {'read ok' if right else 'MISREAD'}  "
                  f"{answer.read_as or '(as asked)'}  {result.outcome} {result.detail}")  # fmt: skip
        resolve_ms: list[float] = []
        with_history: list[float] = []
        without: list[float] = []
        for (case, history), read in zip(cases, reads, strict=True):
            turns = [Turn.model_validate(t) for t in history]
            best = [float("inf")] * 3
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                resolve(case.question, turns)
                t1 = time.perf_counter()
                assistant.ask(case.question, history=history)
                t2 = time.perf_counter()
                assistant.ask(read)
                t3 = time.perf_counter()
                best = [min(b, x) for b, x in zip(best, (t1 - t0, t2 - t1, t3 - t2), strict=True)]
            resolve_ms.append(best[0] * 1000)
            with_history.append(best[1] * 1000)
            without.append(best[2] * 1000)
    print(f"\npassed {passed}/{len(cases)} = {passed / len(cases):.1%}; read as expected {read_right}/{len(cases)}")
    print(f"{'':28}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, values in (
        ("resolve (reading only)", resolve_ms),
        ("ask(question, history)", with_history),
        ("ask(read_as), no history", without),
    ):
        print(f"{name:28}{statistics.median(values):9.1f}{p95(values):9.1f}{max(values):9.1f}")
    print(f"follow-ups add {p95(with_history) - p95(without):+.1f} ms to ask p95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
