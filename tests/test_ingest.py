"""Ingest into a real embedded Chroma + registry + BM25, with the hashing embedder (fast, model-free)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from helpers import assert_consistent

from assistant import Assistant
from assistant.errors import IndexMismatchError
from assistant.index.embedders import HashEmbedder
from assistant.settings import Settings

EN = """---
title: Training brief
date: 2024-12-27
language: en
---
DeepSeek-V3 used 2.788M H800 GPU hours for its full training. The rental price was assumed to be $2 per GPU hour.

The total training cost was $5.576M. Pre-training took less than two months.
"""
ZH = "DeepSeek-V3 拥有6710亿参数。它在14.8万亿Token上完成预训练。\n\n英伟达数据中心收入达到512亿美元。\n"


@pytest.fixture(
    params=["embedded", "chroma-server", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def backend(request: pytest.FixtureRequest) -> dict[str, object]:
    """Settings for the stores: the embedded default, a real Chroma server where CI runs one, and the registry
    in PostgreSQL (with the embedded Chroma) where CI runs one."""
    if request.param == "embedded":
        return {}
    if request.param == "postgres":
        return {"database_url": request.getfixturevalue("pg_url")}
    url = urlparse(request.getfixturevalue("chroma_url"))
    return {"chroma_host": url.hostname, "chroma_port": url.port, "collection": f"t-{uuid.uuid4().hex[:12]}"}


def _settings(tmp_path: Path, backend: dict[str, object] | None = None) -> Settings:
    return Settings(data_dir=tmp_path / "idx", embedder="hash", **(backend or {}))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "brief.md").write_text(EN, encoding="utf-8")
    (folder / "zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "prices.csv").write_text("gpu,usd_per_hour\nH100,2.10\nA100,1.20\n", encoding="utf-8")
    return folder


def test_ingest_then_search_and_reingest(tmp_path: Path, docs: Path, backend: dict[str, object]) -> None:
    with Assistant.open(settings=_settings(tmp_path, backend)) as a:
        report = a.ingest([docs])
        assert (report.added, report.updated, report.unchanged, report.removed) == (3, 0, 0, 0)
        assert report.failed == []
        kinds = {d.kind: d for d in a.documents()}
        assert set(kinds) == {"markdown", "text", "csv"}
        assert kinds["markdown"].title == "Training brief"
        assert kinds["markdown"].date == "2024-12-27"
        assert kinds["text"].language == "zh"
        assert kinds["csv"].chunks == 2
        assert_consistent(a)
        hits = a.search("H800 GPU hours", k=3)
        assert "2.788M H800 GPU hours" in hits[0].chunk.text
        zh_hits = a.search("多少参数", k=2)
        assert zh_hits[0].document.kind == "text"
        row_hits = a.search("A100 usd_per_hour", k=1, filters={"kind": "csv"})
        assert (row_hits[0].chunk.row, row_hits[0].chunk.text) == (2, "gpu: A100; usd_per_hour: 1.20")

        again = a.ingest([docs])
        assert (again.added, again.updated, again.unchanged, again.chunks_embedded) == (0, 0, 3, 0)


def test_changed_file_replaces_its_chunks_and_prune_removes(tmp_path: Path, docs: Path, backend: dict[str, object]) -> None:
    with Assistant.open(settings=_settings(tmp_path, backend)) as a:
        a.ingest([docs])
        (docs / "brief.md").write_text(EN.replace("2.788M", "9.999M"), encoding="utf-8")
        report = a.ingest([docs])
        assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
        texts = [p.chunk.text for p in a.search("H800 GPU hours full training", k=5)]
        assert any("9.999M" in t for t in texts)
        assert not any("2.788M" in t for t in texts)
        assert_consistent(a)

        (docs / "zh.txt").unlink()
        pruned = a.ingest([docs], prune=True)
        assert pruned.removed == 1
        assert {d.kind for d in a.documents()} == {"markdown", "csv"}
        assert_consistent(a)


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path: Path, docs: Path, backend: dict[str, object]) -> None:
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf")
    with Assistant.open(settings=_settings(tmp_path, backend)) as a:
        report = a.ingest([docs, tmp_path / "missing-folder"])
        failed = {Path(f.path).name: f.error for f in report.failed}
        assert set(failed) == {"empty.txt", "binary.txt", "broken.pdf", "missing-folder"}
        assert all(msg for msg in failed.values())
        assert report.added == 3
        assert_consistent(a)


class _OtherEmbedder(HashEmbedder):
    name = "other-embedder"


def test_embedder_mismatch_names_the_reindex_command(tmp_path: Path, docs: Path, backend: dict[str, object]) -> None:
    settings = _settings(tmp_path, backend)
    with Assistant.open(settings=settings) as a:
        a.ingest([docs])
    with pytest.raises(IndexMismatchError, match="--reindex"):
        Assistant.open(settings=settings, embedder=_OtherEmbedder())


def test_reindex_rebuilds_with_another_embedder(tmp_path: Path, docs: Path, backend: dict[str, object]) -> None:
    from assistant.index.store import Index

    settings = _settings(tmp_path, backend)
    with Assistant.open(settings=settings) as a:
        a.ingest([docs])
    index = Index.open(settings, embedder=_OtherEmbedder(), reindex=True)
    a = Assistant(settings, index=index)
    assert a.documents() == []
    assert a.ingest([docs]).added == 3
    assert_consistent(a)
    a.close()
    Assistant.open(settings=settings, embedder=_OtherEmbedder()).close()


_CHILD = """
import sys
from assistant import Assistant
from assistant.settings import Settings
import json
a = Assistant.open(settings=Settings(data_dir=sys.argv[1], embedder="hash", **json.loads(sys.argv[3])))
def progress(stage, done, total):
    print(done, flush=True)
a.ingest([sys.argv[2]], progress=progress)
print("finished", flush=True)
"""


def test_kill_9_mid_ingest_leaves_documents_whole_or_absent(tmp_path: Path, backend: dict[str, object]) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        body = " ".join(f"Document {i} sentence {j} mentions {i * j} GPU hours." for j in range(40))
        (folder / f"doc{i:03}.md").write_text(f"# Doc {i}\n\n{body}\n", encoding="utf-8")
    data = tmp_path / "idx"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(data), str(folder), json.dumps(backend)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip().isdigit() and int(line) >= 30:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    settings = Settings(data_dir=data, embedder="hash", **backend)  # type: ignore[arg-type]
    with Assistant.open(settings=settings) as a:  # opening recovers what the killed writer left
        done = len(a.documents())
        assert 30 <= done < 400
        assert_consistent(a)
        report = a.ingest([folder])
        assert (report.added, report.unchanged) == (400 - done, done)
        assert len(a.documents()) == 400
        assert_consistent(a)


def test_chunk_inside_a_table_is_indexed_with_its_header_and_headings(tmp_path: Path) -> None:
    """A chunk of rows cut off from its table's header finds a search on the header's and heading's words."""
    docs = tmp_path / "docs"
    docs.mkdir()
    rows = "\n".join(f"| {n} | {n * 3} us |" for n in range(1, 60))
    (docs / "kernels.md").write_text(
        f"# Library\n\n## Low-latency kernels\n\n| Ranks | Combine latency |\n|---|---|\n{rows}\n", encoding="utf-8"
    )
    settings = Settings(data_dir=tmp_path / "idx", embedder="hash", chunk_chars=200, chunk_overlap=0)
    with Assistant.open(settings=settings) as a:
        a.ingest([docs])
        (doc,) = a.documents()
        stored = {c.id: (c, tokens) for c, tokens in a.index.registry.chunks_for([doc.id])}
        rows_of = a.index.registry.chunk_rows(list(stored))
        inside = [cid for cid, c in rows_of.items() if c.text.startswith("| 5")]
        assert inside, "the table was not cut inside its rows"
        tokens = stored[inside[0]][1].split(" ")
        assert {"combine", "latency", "low-latency", "kernels"} <= set(tokens)
        hits = a.index.search_lexical("combine latency", k=50)
        assert inside[0] in {p.chunk.id for p in hits}


@pytest.mark.parametrize(
    ("coverage", "first"),
    [
        (None, "zh"),  # plain RRF: the Chinese chunk has both ranks, the English one only the dense rank
        ({"en": 1.0, "zh": 1.0}, "zh"),  # the query's words reach both languages: plain RRF
        ({"en": 0.0, "zh": 1.0}, "en"),  # they cannot reach English chunks: its dense rank counts twice
    ],
)
def test_fusion_leans_on_dense_where_words_cannot_reach(
    tmp_path: Path, coverage: dict[str, float] | None, first: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "en.md").write_text(EN, encoding="utf-8")
    (docs / "zh.md").write_text(ZH, encoding="utf-8")
    with Assistant.open(settings=_settings(tmp_path)) as a:
        a.ingest([docs])
        ids = {}
        for doc in a.documents():
            chunk, _ = next(iter(a.index.registry.chunks_for([doc.id])))
            ids["zh" if doc.language == "zh" else "en"] = chunk.id
        dense = [(ids["en"], 0.9), (ids["zh"], 0.8)]
        lexical = [(ids["zh"], 3.0)]
        ranked = a.index.fuse(dense, lexical, 2, coverage=coverage)
        assert ranked[0].chunk.id == ids[first]
        weight = 2.0 if first == "en" else 1.0
        assert ranked[0 if first == "en" else 1].score == pytest.approx(weight / 61)
