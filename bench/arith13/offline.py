"""Score arithmetic sets offline: the draft's own arithmetic (written calculations, implied relations,
restatements) exactly as ``check_text`` computes it, without retrieval. Usage:
``python bench/arith13/offline.py [-v] SET.jsonl ...`` prints wrong-flagged / right-flagged per set."""

from __future__ import annotations

import sys

from assistant.check.arithmetic import find_relations
from assistant.check.claims import find_claims
from assistant.check.consistency import restatements
from assistant.check.written import find_written
from assistant.evaluate.calculations import flagged
from assistant.evaluate.cases import ArithCase, CalcCase, load_cases
from assistant.models import ArithmeticCheck


def arithmetic(text: str) -> list[ArithmeticCheck]:
    claims, contexts, sentences = find_claims(text)
    written = find_written(text)
    spans = [(w.start, w.end) for w in written]
    return written + find_relations(text, contexts, sentences, skip=spans) + restatements(text, claims, spans)


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    for path in (a for a in argv if a != "-v"):
        wf = w = rf = r = passed = texts = 0
        for case in load_cases(path):
            if isinstance(case, ArithCase) and not isinstance(case, CalcCase):  # a text consistent or not as a whole: scored as ``score_arith`` does
                checks = arithmetic(case.text)
                bad = any(not c.consistent for c in checks)
                texts, passed = texts + 1, passed + (bool(checks) and not bad if case.consistent else bad)
                continue
            if not isinstance(case, CalcCase):
                continue
            checks = arithmetic(case.text)
            for calc in case.calculations:
                hit = flagged(case.text, calc, checks)
                if calc.right:
                    r, rf = r + 1, rf + hit
                else:
                    w, wf = w + 1, wf + hit
                if verbose and hit == calc.right:
                    kind = "FALSE FLAG" if calc.right else "MISSED"
                    print(f"  {kind} {case.id}: {calc.expression} = {calc.stated} | {case.text[:140]}")
                    for c in checks:
                        print(f"      {'ok ' if c.consistent else 'BAD'} {c.relation}: {c.explanation}")
        print(f"{path}: wrong flagged {wf}/{w}, right flagged {rf}/{r}" + (f", texts right {passed}/{texts}" if texts else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
