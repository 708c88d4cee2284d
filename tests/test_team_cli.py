"""The team commands without a server database: a clear one-line refusal (exit 2), never a trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NEEDS_DB = "ASSISTANT_DATABASE_URL=postgresql://"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["worker"], f"a worker needs the server database: set {NEEDS_DB}..."),
        (["jobs"], f"ingest jobs need a server database: set {NEEDS_DB}..."),
        (["serve", "--workers", "2"], "--workers above 1 needs the server database (ASSISTANT_DATABASE_URL)"),
    ],
)
def test_team_commands_need_the_server_database(tmp_path: Path, args: list[str], message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_DATABASE_URL"}
    env.update({"ASSISTANT_EMBEDDER": "hash", "ASSISTANT_DATA_DIR": str(tmp_path / "d")})
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stderr) == (2, f"assistant: {message}\n")


def test_job_routes_answer_422_without_the_server_database(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant import Assistant
    from assistant.server.app import create_app
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path / "d", embedder="hash", seed_on_start=False)
    with Assistant.open(settings=settings) as assistant, TestClient(create_app(settings, assistant)) as client:
        got = client.get("/api/jobs/1")
    assert got.status_code == 422
    assert got.json()["error"]["message"] == f"ingest jobs need a server database: set {NEEDS_DB}..."
