"""Every shell command in README.md runs (with the hashing embedder, so it is quick), and exits 0.

The long-running ones (make, serve, chroma run, uvicorn) are exercised elsewhere: CI runs `make test`,
tests/test_server*.py and the browser tests serve the app, and tests/test_chroma_server.py uses a Chroma server.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ELSEWHERE = ("make ", "chroma run", "uvicorn", "ASSISTANT_CHROMA_HOST", "assistant serve")


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#") and not line.startswith(ELSEWHERE):
                commands.append(line)
    return commands


def test_readme_has_the_two_commands_first() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert first is not None
    lines = [ln.split("#")[0].strip() for ln in first.group(1).splitlines() if ln.strip()]
    assert lines == ["make run", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_readme_commands_run(tmp_path: Path) -> None:
    commands = _commands()
    assert sum(c.startswith("assistant ") for c in commands) >= 6
    shared = REPO.parent / "shared"
    env = {**os.environ, "ASSISTANT_EMBEDDER": "hash", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for command in commands:
        if "../shared" in command and not shared.is_dir():
            continue
        command = command.replace("--data-dir data", f"--data-dir {shlex.quote(str(tmp_path / 'data'))}")
        command = command.replace("draft.txt", shlex.quote(str(tmp_path / "draft.txt")))
        done = subprocess.run(command, shell=True, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
        if command.startswith("assistant sources"):
            assert "documents" in done.stdout.splitlines()[-1]
        if command.startswith("assistant ask") and "--json" in command and "$" in command:
            answer = json.loads(done.stdout)
            assert answer["route"] == "tool", answer["text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "question is empty"),
        (["ingest", "no/such/folder"], "no such file or folder"),
        (["check", "no-such-draft.txt"], "no such file"),
        (["ask", "x", "--language", "fr"], "invalid choice"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    env = {**os.environ, "ASSISTANT_EMBEDDER": "hash", "ASSISTANT_DATA_DIR": str(tmp_path / "d")}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
