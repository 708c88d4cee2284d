"""The app with a real Assistant (hash embedder): opened and seeded in the lifespan, upload, text windows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant import Assistant
from assistant.server import create_app
from assistant.settings import Settings

pytest.importorskip("assistant.index.store")

V3 = "# DeepSeek-V3 notes\n\nDeepSeek-V3 was pre-trained on 14.8 trillion tokens.\n"
CHIPS = "# 芯片\n\nH800 的 NVLink 带宽为 400 GB/s。\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "v3.md").write_text(V3, encoding="utf-8")
    (folder / "chips.md").write_text(CHIPS, encoding="utf-8")
    return folder


def wait_seeded(client: TestClient) -> dict:
    deadline = time.monotonic() + 60
    while True:
        health = client.get("/healthz").json()
        if not health["seeding"] or time.monotonic() > deadline:
            return health
        time.sleep(0.05)


def test_lifespan_opens_seeds_and_serves(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", seed_corpus=corpus)
    app = create_app(settings)
    with TestClient(app) as client:
        assert wait_seeded(client) == {"status": "ok", "documents": 2, "seeding": False}
        docs = {d["title"]: d for d in client.get("/api/documents").json()["documents"]}
        assert sorted(docs) == ["DeepSeek-V3 notes", "芯片"]
        v3 = docs["DeepSeek-V3 notes"]["id"]
        # A window larger than the document is clamped, so a client can ask for context blindly.
        window = client.get(f"/api/documents/{v3}/text", params={"start": 10, "end": 10_000}).json()
        assert (window["start"], window["end"], window["text"]) == (10, len(V3), V3[10:])
        past = client.get(f"/api/documents/{v3}/text", params={"start": 5_000, "end": 6_000}).json()
        assert (past["start"], past["end"], past["text"]) == (len(V3), len(V3), "")
        assert client.get("/api/documents/0000/text").status_code == 404

        upload = client.post(
            "/api/documents",
            files={"file": ("notes 2025.txt", "GPU 租金每小时 2 美元。".encode(), "text/plain")},
        )
        assert upload.status_code == 201, upload.text
        doc = upload.json()["document"]
        assert (doc["uploaded_name"], doc["source"], doc["kind"]) == (
            "notes 2025.txt",
            "notes 2025.txt",
            "text",
        )
        text = client.get(f"/api/documents/{doc['id']}/text").json()
        assert (text["text"], text["source"]) == ("GPU 租金每小时 2 美元。", "notes 2025.txt")
        assert client.get("/healthz").json()["documents"] == 3
        assert app.state.server.assistant is not None
    # The app opened the Assistant, so the app closed it.
    assert app.state.server.assistant is None


def test_a_second_start_does_not_seed_again(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", seed_corpus=corpus)
    with TestClient(create_app(settings)) as client:
        assert wait_seeded(client)["documents"] == 2
    (corpus / "later.md").write_text("# Later\n\nAdded after the first start.\n", encoding="utf-8")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "documents": 2, "seeding": False}


def test_a_seed_cut_short_is_finished_at_the_next_start(tmp_path: Path, corpus: Path) -> None:
    """A server stopped mid-seed leaves its marker and part of the corpus indexed: the next start completes it."""
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", seed_corpus=corpus)
    # what an interrupted seed leaves: one document of the two, and the marker
    with Assistant.open(settings=settings) as assistant:
        assistant.ingest([corpus / "v3.md"])
    (settings.data_dir / ".seed.pending").touch()
    with TestClient(create_app(settings)) as client:
        assert wait_seeded(client) == {"status": "ok", "documents": 2, "seeding": False}
    assert not (settings.data_dir / ".seed.pending").exists()


def test_seeding_off_starts_empty(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", seed_corpus=corpus, seed_on_start=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok", "documents": 0, "seeding": False}
