"""bench/arith_fast.py scores written-calculation sets on the draft's own arithmetic, as ``eval`` does."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH_DIR))

import arith_fast  # noqa: E402

CASES = [
    {"id": "f1", "lang": "zh", "text": "芯片 A 售价 3 万美元，芯片 B 售价 4.5 万美元，A 的价格比 B 低 50%。", "consistent": False,
     "calculations": [{"expression": "(4.5 - 3) / 4.5", "stated": "0.5", "right": False}]},
    {"id": "f2", "lang": "en", "text": "Each GPU costs $25,000 to $30,000, so 1,000 GPUs cost $25M to $30M.", "consistent": True,
     "calculations": [{"expression": "25000 * 1000", "stated": "2.5e7", "right": True},
                      {"expression": "30000 * 1000", "stated": "3e7", "right": True}]},
]  # fmt: skip


def test_scores_a_set(tmp_path: Path) -> None:
    path = tmp_path / "calc.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES) + "\n", encoding="utf-8")
    assert arith_fast.score(path, verbose=False) == (
        f"{'calc.jsonl':32s} cases 2/2  wrong flagged 1/1  right flagged 0/2"
    )
