"""Written-calculation sets scored on the draft's own arithmetic alone: no index, no claims, seconds per set.

    python bench/arith_fast.py bench/heldout_arith9.jsonl bench/heldout_arith12.jsonl [-v]

A calculation case is scored only on ``CheckReport.arithmetic`` (see ``assistant.evaluate.calculations``), and
that part of ``check`` reads no passage, so this gives the figures ``assistant.cli eval`` gives for such sets in
a fraction of the time. Prints one line per set (``-v``: the failing cases first).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.check.arithmetic import find_relations
from assistant.check.claims import find_claims
from assistant.check.consistency import restatements
from assistant.check.written import find_written
from assistant.evaluate import load_cases
from assistant.evaluate.calculations import score_calculations
from assistant.evaluate.cases import CalcCase
from assistant.models import ArithmeticCheck, CheckReport


def arithmetic(text: str) -> list[ArithmeticCheck]:
    """The arithmetic part of ``check_text``'s report, in the same order of steps."""
    claims, contexts, sentences = find_claims(text)
    written = find_written(text)
    spans = [(w.start, w.end) for w in written]
    return written + find_relations(text, contexts, sentences, skip=spans) + restatements(text, claims, spans)


def score(path: Path, verbose: bool) -> str:
    cases = [c for c in load_cases(path) if isinstance(c, CalcCase)]
    passed = wrong = wrong_flagged = right = right_flagged = 0
    for case in cases:
        report = CheckReport(claims=[], arithmetic=arithmetic(case.text), language="en")
        result = score_calculations(case, report)
        passed += result.passed
        wrong += result.counts["wrong"]
        wrong_flagged += result.counts["wrong_flagged"]
        right += result.counts["right"]
        right_flagged += result.counts["right_flagged"]
        if verbose and not result.passed:
            print(f"    {case.id}  {result.detail}")
    return (
        f"{path.name:32s} cases {passed}/{len(cases)}  wrong flagged {wrong_flagged}/{wrong}  "
        f"right flagged {right_flagged}/{right}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for path in args.files:
        print(score(path, args.verbose))


if __name__ == "__main__":
    main()
