"""Planted names and dates: caught on drafts with a swap, false alarms on true drafts.

    python bench/planted_bench.py --data-dir DATA bench/heldout_planted.jsonl bench/heldout_planted_true.jsonl

Each file is in RGB's fact format (``query``, ``answer``, ``fakeanswer``, ``positive``, ``positive_wrong``,
``negative``); its passages are indexed under ``DATA/eval/<stem>`` and the first ``positive_wrong`` passage is
checked against its own case's passages. A file whose name ends in ``_true`` holds true drafts: any contradicted
claim there is a false alarm. Prints one line per case and the totals.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant import Assistant
from assistant.check import check_text
from assistant.evaluate import load_cases
from assistant.evaluate.cases import RgbFactCase
from assistant.evaluate.passages import PassageIndex
from assistant.evaluate.scoring import score_rgb_fact


def run(data_dir: Path, path: Path) -> tuple[int, int]:
    """(hits, cases): caught swaps, or for a ``_true`` file the cases with a false alarm."""
    cases = [c for c in load_cases(path) if isinstance(c, RgbFactCase)]
    truthful = path.stem.endswith("_true")
    assistant = Assistant.open(data_dir)
    passages = PassageIndex.build(assistant, data_dir / "eval" / path.stem, cases)
    hits = 0
    try:
        for case in cases:
            text = case.positive_wrong[0]
            idx = passages.assistant
            report = check_text(text, retriever=idx.index, settings=idx.settings, filters=passages.filters(case))
            flagged = [c for c in report.claims if c.verdict == "contradicted"]
            shown = "; ".join(f"{c.figure.text} -> {c.source_figure.text if c.source_figure else '?'}" for c in flagged)
            if truthful:
                hit = bool(flagged)
                label = "FALSE ALARM" if hit else "ok"
            else:
                hit = score_rgb_fact(case, text, report).passed
                label = "caught" if hit else "missed"
            hits += hit
            print(f"{case.id:6} {label:12} {shown}")
    finally:
        passages.close()
        assistant.close()
    what = "false alarms" if truthful else "caught"
    print(f"{path.name}: {what} {hits}/{len(cases)}")
    return hits, len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    for f in args.files:
        run(args.data_dir, f)


if __name__ == "__main__":
    main()
