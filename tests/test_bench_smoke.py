"""Smoke test of bench/bench.py: every section on a three-document corpus with the hash embedder.

No timing is asserted (benchmarks print numbers; tests check shapes and exact counts).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH_DIR))

import scale  # noqa: E402

import bench  # noqa: E402  (bench/bench.py, found through BENCH_DIR)
from assistant import Assistant  # noqa: E402
from assistant.evaluate import QACase, load_cases  # noqa: E402
from assistant.index.registry import Registry  # noqa: E402
from assistant.settings import Settings  # noqa: E402

DOCS = {
    "alpha.md": "# Alpha model report\n\nThe Alpha model was trained on 2048 accelerators for 57 days.\n\n"
    "Its training data held 14.8 trillion tokens of text and code.\n",
    "beta.md": "# Beta chip brief\n\nThe Beta chip delivers 990 teraflops of dense BF16 compute.\n\n"
    "Each Beta board carries 6 stacks of high-bandwidth memory.\n",
    "gamma.md": "# 伽马模型简报\n\n伽马模型共有 6710 亿参数，每个词元激活 370 亿参数。\n\n训练共用了 278 万 GPU 小时。\n",
}
QUESTIONS = [
    {"id": "s1", "lang": "en", "question": "How many accelerators trained the Alpha model?",
     "expect_numbers": [2048], "source": "alpha", "kind": "lookup"},
    {"id": "s2", "lang": "en", "question": "How many memory stacks does each Beta board carry?",
     "expect_numbers": [6], "source": "beta", "kind": "lookup"},
    {"id": "s3", "lang": "zh", "question": "伽马模型共有多少参数？",
     "expect_numbers": [671e9], "source": "gamma", "kind": "lookup"},
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, bench.IngestResult]:
    """The tiny corpus, a question file, and an index ingested by ``ingest_section`` (hash embedder)."""
    root = tmp_path_factory.mktemp("bench")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    questions = root / "smoke_qa.jsonl"
    questions.write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8"
    )
    data = root / "index"
    result = bench.ingest_section(corpus, data, Settings(embedder="hash"))
    return corpus, questions, data, result


def test_ingest_section_counts(built: tuple[Path, Path, Path, bench.IngestResult]) -> None:
    _corpus, _questions, _data, r = built
    assert (r.documents, r.failed) == (3, 0)
    assert r.characters == sum(len(t) for t in DOCS.values())
    # every embedded text is timed again on the bare embedder, and the second pass embeds nothing
    assert r.raw_texts == r.chunks_embedded > 0
    assert (r.reingest_unchanged, r.reingest_embedded) == (3, 0)
    rows = bench.ingest_rows(r)
    assert [row.section for row in rows] == ["ingest"] * 9
    assert rows[0].value == f"3 / {r.chunks} / {r.characters}"
    assert rows[-1].met is (r.reingest_seconds < 10)


def test_ask_and_baseline_sections(built: tuple[Path, Path, Path, bench.IngestResult]) -> None:
    _corpus, questions, data, r = built
    cases = [(questions.stem, c) for c in load_cases(questions) if isinstance(c, QACase)]
    with Assistant.open(data, settings=Settings(embedder="hash")) as assistant:
        asked = bench.ask_section(assistant, cases)
        compared = bench.baseline_section(assistant.index, bench.lookup_cases([questions]))
    assert asked.questions == 3
    assert asked.cases == {"smoke_qa": 3}
    assert sum(asked.outcomes.values()) == 3
    assert {"analysis", "retrieval"} <= set(asked.stages)
    assert asked.total.n == 3
    # the baseline indexes exactly the embedded chunks, every vector taken from the cache
    assert (compared.chunks, compared.cache_hits, compared.computed) == (r.raw_texts, r.raw_texts, 0)
    assert compared.baseline.cases == compared.ours.cases == {"smoke_qa": 3}
    # with k=5 over so few chunks both sides see every chunk: each question is a hit
    assert compared.baseline.hits == compared.ours.hits == {"smoke_qa": 3}
    ask_metrics = [row.metric for row in bench.ask_rows(asked)]
    assert ask_metrics[0] == "total ms p50 / p95 / p99 (3 asks)"
    assert "answer accuracy, smoke_qa" in ask_metrics
    base_metrics = [row.metric for row in bench.baseline_rows(compared)]
    assert base_metrics[1:] == [
        "baseline similarity_search: ms p50 / p95",
        "baseline similarity_search: hit@5, smoke_qa",
        "ours Index.search: ms p50 / p95",
        "ours Index.search: hit@5, smoke_qa",
    ]
    assert bench.baseline_rows(compared)[2].value == "3/3 (100%)"


def test_check_section(built: tuple[Path, Path, Path, bench.IngestResult], tmp_path: Path) -> None:
    _corpus, _questions, data, _r = built
    draft = tmp_path / "draft.md"
    draft.write_text("伽马模型共有 6710 亿参数。The Alpha model was trained on 4096 accelerators.\n", encoding="utf-8")
    with Assistant.open(data, settings=Settings(embedder="hash")) as assistant:
        checked = bench.check_section(assistant, draft, runs=2)
    assert (checked.draft, checked.claims, len(checked.seconds)) == ("draft.md", 2, 2)
    assert sum(checked.verdicts.values()) == 2
    rows = bench.check_rows(checked)
    assert [r.section for r in rows] == ["check", "check"]
    assert rows[0].metric == f"draft.md ({checked.chars} chars, 2 claims): s, first / warm"


def test_scale_section_builds_exact_sizes(
    built: tuple[Path, Path, Path, bench.IngestResult], tmp_path: Path
) -> None:
    _corpus, _questions, data, _r = built
    queries = [q["question"] for q in QUESTIONS]
    curve = scale.scale_section(data, [30, 250], "hash", queries, tmp_path, keep=True)
    assert [(c.chunks, c.documents, c.search.n) for c in curve] == [(30, 1, 3), (250, 3, 3)]
    assert all(c.disk_mb > 0 and 0 < c.serve_peak_rss_mb < 4096 for c in curve)
    assert set(curve[0].stages_p50_ms) == {"embed", "dense", "lexical", "fuse", "index"}
    registry = Registry(tmp_path / "scale-250" / "registry.sqlite3")
    try:
        assert registry.chunk_count() == 250
        assert [d.chunks for d in registry.documents()] == [100, 100, 50]
        first = registry.documents()[0]
        pairs = registry.chunks_for([first.id])
        assert pairs[0][1].endswith(" syn0x0")  # the synthetic id token closes the perturbed tokens
        rows = registry.chunk_rows(c.id for c, _ in pairs)
        text = registry.text(first.id)
        assert all(rows[c.id].text == text[c.start : c.end] for c, _ in pairs)
    finally:
        registry.close()
    rows = bench.scale_rows(curve)
    assert len(rows) == 12
    assert rows[0].metric == "N=30: build s | open+sync s | docs"
    assert all(row.met is None for row in rows)  # the targets apply from 100k chunks up


def test_render_table_columns() -> None:
    rows = [
        bench.Row(section="ask", metric="total", value="12 / 30 / 41"),
        bench.Row(section="scale", metric="N=100,000: disk MB", value="900", target="p95 <= 150", met=False),
    ]
    lines = bench.render_table(rows).splitlines()
    assert lines[0].split() == ["section", "metric", "value", "target", "ok"]
    assert lines[2].split() == ["ask", "total", "12", "/", "30", "/", "41"]
    assert lines[3].endswith("p95 <= 150  MISS")
    assert len(lines) == 4
