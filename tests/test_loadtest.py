"""bench/loadtest.py with small counts (hash embedder): no 5xx, nothing lost or duplicated; and its checker."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "bench" / "loadtest.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def loadtest() -> ModuleType:
    return _module()


def test_small_run_has_no_5xx_and_lists_every_document_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "v3.md").write_text(
        "# DeepSeek-V3 notes\n\nThe total training cost of DeepSeek-V3 was $5.576M.\n", encoding="utf-8"
    )
    (corpus / "chips.md").write_text("# 芯片\n\nH800 的 NVLink 带宽为 400 GB/s。\n", encoding="utf-8")
    out = tmp_path / "summary.json"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "4", "--asks", "5", "--embedder", "hash", "--corpus", str(corpus),
         "--json", str(out), "--time-limit", "240"],
        env={**os.environ, "ASSISTANT_EMBEDDER": "hash"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(out.read_text(encoding="utf-8"))
    rows = {e["name"]: e for e in summary["endpoints"]}
    assert rows["POST /api/ask"]["requests"] == 20
    assert rows["POST /api/documents"]["requests"] == 3
    assert [rows["all"][k] for k in ("non_2xx", "server_errors", "failed")] == [0, 0, 0]
    v = summary["verification"]
    assert (v["before"], v["after"], v["duplicated_ids"], v["lost_ids"]) == (2, 4, [], [])
    assert (v["upload_listed"], v["twin_listed"], v["twin_statuses"], v["twin_same_id"]) == (
        1,
        1,
        [200, 201],
        True,
    )
    assert summary["timed_out"] is False
    assert "result: OK" in run.stdout
    assert "p95 ms" in run.stdout.splitlines()[1]


def test_percentile_is_nearest_rank(loadtest: ModuleType) -> None:
    values = [float(v) for v in range(1, 101)]
    assert [loadtest.percentile(values, q) for q in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]
    assert loadtest.percentile([7.0], 99) == 7.0
    assert loadtest.percentile([], 50) == 0.0


class _Reply:
    def __init__(self, status: int, doc_id: str) -> None:
        self.status_code = status
        self._doc_id = doc_id

    def json(self) -> dict:
        return {"document": {"id": self._doc_id}}


@pytest.mark.parametrize(
    ("after", "twins", "ok"),
    [
        (["a", "b", "u", "t"], [(201, "t"), (200, "t")], True),
        (["a", "b", "u", "t", "t2"], [(201, "t"), (201, "t2")], False),  # the same bytes became two documents
        (["a", "u", "t"], [(201, "t"), (200, "t")], False),  # "b" was lost
        (["a", "b", "b", "u", "t"], [(201, "t"), (200, "t")], False),  # "b" listed twice
    ],
)
def test_verification_catches_lost_and_duplicated_documents(
    loadtest: ModuleType, after: list[str], twins: list[tuple[int, str]], ok: bool
) -> None:
    names = {"u": "single.md", "t": "twin.md", "t2": "twin.md"}
    listed = [{"id": i, "uploaded_name": names.get(i)} for i in after]
    results = {"single": [_Reply(201, "u")], "twin": [_Reply(s, i) for s, i in twins]}
    v = loadtest.verify([{"id": "a"}, {"id": "b"}], listed, results, "single.md", "twin.md")
    assert loadtest._verified(v, sent=True) is ok
