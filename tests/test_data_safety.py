"""Data safety: secrets never reach logs, reprs or responses; the data folder is the user's alone; no endpoint reads
or writes outside it."""

from __future__ import annotations

import json
import logging
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant import Assistant
from assistant.ask.llm import make_chat_model
from assistant.index.store import Index
from assistant.server import create_app
from assistant.settings import Settings

API_TOKEN = "api-token-5f1c9e0b7d"
CHROMA_TOKEN = "chroma-token-a83b2c"
LLM_KEY = "sk-llm-key-e41d7790"
SECRETS = (API_TOKEN, CHROMA_TOKEN, LLM_KEY)
DOC = "# Cluster note\n\nThe cluster has 2048 H800 GPUs and cost $5.576M to train on.\n"


def _secret_settings(data_dir: Path, **extra: object) -> Settings:
    return Settings(
        data_dir=data_dir, embedder="hash", seed_on_start=False, api_token=API_TOKEN, chroma_token=CHROMA_TOKEN,
        llm_api_key=LLM_KEY, **extra,
    )  # fmt: skip


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


# --- secrets ---------------------------------------------------------------------------------------------------
def test_settings_never_show_their_secrets(tmp_path: Path) -> None:
    settings = _secret_settings(tmp_path / "data", llm_base_url="http://127.0.0.1:9/v1")
    shown = [
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        json.dumps(settings.model_dump(mode="json")),
    ]
    assert [_leaks(s) for s in shown] == [[], [], [], []]
    assert (
        settings.api_token is not None and settings.api_token.get_secret_value() == API_TOKEN
    )  # still usable
    assert _leaks(repr(make_chat_model(settings))) == []


def test_environment_secrets_are_hidden_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_API_TOKEN", API_TOKEN)
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", LLM_KEY)
    settings = Settings(data_dir=tmp_path / "data")
    assert _leaks(repr(settings) + settings.model_dump_json()) == []
    assert settings.llm_api_key is not None and settings.llm_api_key.get_secret_value() == LLM_KEY


@pytest.fixture
def secret_app(tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    # The chat model points at a closed loopback port: phrasing fails, is logged, and the answer stands.
    settings = _secret_settings(tmp_path / "data", llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=2.0)
    with Assistant.open(settings=settings) as a, TestClient(create_app(settings, assistant=a)) as client:
        yield client, settings


def test_requests_log_no_secret_even_at_debug(
    secret_app: tuple[TestClient, Settings], caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = secret_app
    caplog.set_level(logging.DEBUG)
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    responses = [
        client.post("/api/documents", files={"file": ("note.md", DOC.encode())}, headers=auth),
        client.post("/api/ask", json={"question": "How many H800 GPUs does the cluster have?"}, headers=auth),
        client.post("/api/ask", json={"question": "x" * 5000}, headers=auth),
        client.get("/api/documents", headers={"Authorization": f"Bearer {API_TOKEN}x"}),
        client.get("/api/documents", headers=auth),
    ]
    assert [r.status_code for r in responses] == [201, 200, 413, 401, 200]
    assert responses[1].json()["status"] == "answered"
    assert any("LLM phrasing failed" in r.getMessage() for r in caplog.records)  # the LLM path ran and failed
    assert len(caplog.records) > 5
    assert _leaks(caplog.text) == []
    for r in responses:
        assert _leaks(r.text + json.dumps(dict(r.headers))) == []


# --- the data folder -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_a_new_data_folder_is_user_only(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "deep" / "data"
    old = os.umask(umask)
    try:
        Index.open(Settings(data_dir=data, embedder="hash")).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "writer.lock").stat().st_mode) == 0o600 & ~umask


def test_uploads_folder_is_user_only_even_before_the_index(tmp_path: Path) -> None:
    from assistant.server.uploads import UploadStore

    old = os.umask(0)
    try:
        with UploadStore(tmp_path / "fresh" / "uploads", 100).exclusive():
            pass
    finally:
        os.umask(old)
    assert [stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "fresh", tmp_path / "fresh" / "uploads")] == [
        0o700,
        0o700,
    ]


# --- nothing outside the data folder ---------------------------------------------------------------------------
@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    settings = Settings(data_dir=tmp_path / "data", embedder="hash", seed_on_start=False)
    with Assistant.open(settings=settings) as a, TestClient(create_app(settings, assistant=a)) as client:
        yield client, settings.data_dir


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_uploads_land_inside_the_data_folder_whatever_their_name(
    app: tuple[TestClient, Path], tmp_path: Path
) -> None:
    client, data = app
    outside = Path("/tmp") / f"{uuid.uuid4().hex}.md"
    names = [
        "../../etc/passwd.md",
        str(outside),
        "..\\..\\windows\\x.md",
        "a/../../b.md",
        "\x00evil.md",
        "....//x.md",
    ]
    before = _files(tmp_path) - _files(data)
    for i, name in enumerate(names):
        content = f"# Note {i}\n\nNote {i} says the cluster has {1000 + i} GPUs.\n".encode()
        r = client.post("/api/documents", files={"file": (name, content, "text/markdown")})
        assert r.status_code == 201, (name, r.text)
    assert _files(tmp_path) - _files(data) == before  # nothing new beside the data folder
    assert not outside.exists()
    saved = [p for p in (data / "uploads").iterdir() if p.suffix == ".md"]
    assert len(saved) == len(names)
    assert all(len(p.stem) == 32 and p.resolve().parent == (data / "uploads").resolve() for p in saved)
    sources = sorted(d.source_path for d in client.app.state.server.assistant.documents())
    assert sources == sorted(str(p.resolve()) for p in saved)


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2Fetc%2Fpasswd/text",
        "/api/documents/%2Fetc%2Fpasswd/text",
        "/api/documents/..%2Fregistry.sqlite3/text",
        "/api/documents/....%2F%2Fetc%2Fpasswd/text",
        "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/text",
        "/static/..%2F..%2Fassistant%2Fsettings.py",
        "/static/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_path_traversal_is_404(app: tuple[TestClient, Path], path: str) -> None:
    client, _ = app
    r = client.get(path)
    assert r.status_code == 404, r.text
    assert "root:" not in r.text


def test_calculators_read_no_file_named_by_a_client(app: tuple[TestClient, Path], tmp_path: Path) -> None:
    client, _ = app
    private = tmp_path / "private.csv"
    private.write_text(
        "market,region,period,vendor,share,basis,source\n"
        "government-led AI computing-center tenders,China,2025H1,SecretCo,0.15,share of tenders won,private\n",
        encoding="utf-8",
    )
    typed = client.post("/api/tools/chip_share", json={"market": "tender", "extra_csv": str(private)})
    assert (typed.status_code, typed.json()["error"]["details"][0]["loc"]) == (422, "body.extra_csv")
    from assistant.errors import InputError
    from assistant.server.routes.tools import run

    with pytest.raises(InputError, match="extra_csv names a file on the server"):
        run({"chip_share": lambda **kw: kw}, lambda name, **kw: kw, "chip_share", {"extra_csv": str(private)})
    listed = {t["name"]: t for t in client.get("/api/tools").json()["tools"]}
    assert "extra_csv" not in listed["chip_share"]["parameters"]["properties"]
    assert "SecretCo" not in typed.text
