"""Inconsistent relations the draft arithmetic finds in texts known to be true (the ``positive`` passages of
planted-figure sets): ``python bench/arith13/truetexts.py SET.jsonl ...``; ``-v`` prints them."""

from __future__ import annotations

import json
import sys

from bench.arith13.offline import arithmetic


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    for path in (a for a in argv if a != "-v"):
        texts = flags = 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                for text in row.get("positive", []):
                    texts += 1
                    bad = [c for c in arithmetic(text) if not c.consistent]
                    flags += bool(bad)
                    for c in bad if verbose else []:
                        print(f"  {row['id']}: {c.explanation} | {c.text[:120]}")
        print(f"{path}: true texts with an inconsistent relation {flags}/{texts}")


if __name__ == "__main__":
    main(sys.argv[1:])
