"""Compare retrieval on a question set: dense only, BM25 only, plain RRF, the hybrid index, and the ask pipeline.

The hybrid index is RRF leaning on the dense rank where the query's words cannot reach a chunk's language, with
the title signal and each ranking's first place kept (``Index.search``).

A question is a hit at k when one of the top-k chunks comes from an expected source and states one of the
expected figures. The ask pipeline adds a search inside the documents named after the question's subject and a
second, translated query (assistant.ask.retrieve). Prints one table. Usage:

    python bench/retrieval_eval.py --data-dir DIR ../shared/eval/dev_qa.jsonl [more.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from assistant import Assistant
from assistant.ask.analyze import analyze
from assistant.ask.retrieve import retrieve
from assistant.index.store import Index
from assistant.models import Passage
from assistant.text import detect_language, tokenize
from tools.figures import parse_figures


def _states(text: str, numbers: list[float], tolerance: float) -> bool:
    values = [f.value for f in parse_figures(text)]
    return any(abs(v - n) <= tolerance * max(abs(n), 1e-12) for n in numbers for v in values)


def is_hit(passages: list[Passage], case: dict) -> bool:
    sources = [s.casefold() for s in case.get("source", "").split("|") if s]
    numbers = case.get("expect_numbers") or []
    tolerance = case.get("tolerance", 0.005)
    for p in passages:
        where = f"{p.document.source_path} {p.document.title}".casefold()
        if sources and not any(s in where for s in sources):
            continue
        if not numbers or _states(p.chunk.text, numbers, tolerance):
            return True
    return False


def strategies(assistant: Assistant, query: str, k: int) -> dict[str, list[Passage]]:
    index: Index = assistant.index
    depth = max(4 * k, 40)
    index.sync()
    dense = index.dense.search(index.embedder.embed_query(query), detect_language(query), depth)
    tokens = tokenize(query)
    lexical = index.lexical.search(tokens, depth)
    analysis = analyze(query, index)
    return {
        "dense": index.fuse(dense, [], k),
        "bm25": index.fuse([], lexical, k),
        "rrf": index.fuse(dense, lexical, k),
        "hybrid": index.fuse(dense, lexical, k, coverage=index.lexical.coverage(tokens), tokens=tokens),
        "ask": retrieve(analysis, index, assistant.settings.model_copy(update={"top_k": k}))[:k],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    assistant = Assistant.open(args.data_dir)
    cases = []
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else None
            if case and case.get("kind") == "lookup" and case.get("source"):
                cases.append(case)
    names = ["dense", "bm25", "rrf", "hybrid", "ask"]
    hits: dict[str, dict[str, int]] = {n: {"zh": 0, "en": 0} for n in names}
    counts = {"zh": 0, "en": 0}
    latency = []
    assistant.index.sync()
    for case in cases:
        lang = "zh" if case.get("lang") == "zh" else "en"
        counts[lang] += 1
        t0 = time.perf_counter()
        results = strategies(assistant, case["question"], args.k)
        latency.append((time.perf_counter() - t0) * 1e3)
        for name in names:
            ok = is_hit(results[name], case)
            hits[name][lang] += ok
            if args.verbose and name == "ask" and not ok:
                print(f"miss {case.get('id')}: {case['question']}")
                for p in results[name]:
                    print(f"    {p.document.title[:40]:40} {p.chunk.text[:90]!r}")
    total = len(cases)
    print(f"{len(cases)} lookup questions ({counts['zh']} zh, {counts['en']} en), hit@{args.k}")
    print(f"{'strategy':10} {'all':>6} {'zh':>6} {'en':>6}")
    for name in names:
        h = hits[name]
        print(
            f"{name:10} {(h['zh'] + h['en']) / max(total, 1):6.2f} {h['zh'] / max(counts['zh'], 1):6.2f} "
            f"{h['en'] / max(counts['en'], 1):6.2f}"
        )
    print(f"latency of all four strategies together: p50 {statistics.median(latency):.0f} ms")


if __name__ == "__main__":
    main()
