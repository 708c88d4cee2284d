"""Readers and a writer at once in one process: searches never fail or see a half-ingested document."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from assistant import Assistant
from assistant.settings import Settings


def test_searches_during_ingest_see_only_whole_documents(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(60):
        body = " ".join(f"Report {i} paragraph {j} says the cluster used {i * 10 + j} GPU hours." for j in range(30))
        (folder / f"r{i:02}.md").write_text(f"# Report {i}\n\n{body}\n", encoding="utf-8")
    a = Assistant.open(settings=Settings(data_dir=tmp_path / "idx", embedder="hash"))
    errors: list[BaseException] = []
    partial: list[str] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                for p in a.search("cluster GPU hours report", k=10):
                    if p.document.chunks != len(a.index.registry.chunks_for([p.document.id])):
                        partial.append(p.document.id)
            except BaseException as exc:  # any failure of a reader is the finding
                errors.append(exc)
                return

    # switch threads often, so a reader lands inside an update if one can
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    readers = [threading.Thread(target=reader) for _ in range(4)]
    for t in readers:
        t.start()
    try:
        report = a.ingest([folder])
    finally:
        sys.setswitchinterval(old)
        done.set()
        for t in readers:
            t.join(timeout=60)
    assert errors == []
    assert partial == []
    assert report.added == 60
    assert len(a.documents()) == 60
