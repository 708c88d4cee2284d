"""`assistant ask --markdown` prints the answer's Markdown; `--history` reads a follow-up with earlier turns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.markdown import answer_markdown
from assistant.models import Answer

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "corpus"
FIRST = [{"question": "How many H800 GPUs did the cluster use?", "answer": "2,048 H800 GPUs [1]."}]


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_EMBEDDER": "hash", "ASSISTANT_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    assert cli(folder, "ingest", str(CORPUS), "--quiet").returncode == 0
    return folder


def test_markdown_is_the_answer_with_numbered_source_notes(data: Path) -> None:
    question = "How many H800 GPUs did the cluster use for the pre-training stage?"
    as_json = cli(data, "ask", question, "--json")
    as_markdown = cli(data, "ask", question, "--markdown")
    assert (as_json.returncode, as_markdown.returncode) == (0, 0)
    answer = Answer.model_validate_json(as_json.stdout)
    assert as_markdown.stdout == answer_markdown(answer)
    notes = [line for line in as_markdown.stdout.splitlines() if line.startswith("- [")]
    assert notes[0].startswith("- [1] Tiny Test Report, p. 1: “The cluster used 2,048 H800 GPUs")


def test_history_reads_the_follow_up(data: Path) -> None:
    done = cli(data, "ask", "How many parameters does it have?", "--history", "-", "--json", stdin=json.dumps(FIRST))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["read_as"] == "How many parameters does the cluster have?"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("not json", "assistant: history is not JSON"),
        ('{"question": "q"}', "assistant: history must be a JSON list of {question, answer} turns"),
        ('[{"answer": "a"}]', "assistant: history[0].question: Field required"),
    ],
)
def test_bad_history_exits_2_with_one_line(data: Path, stdin: str, message: str) -> None:
    done = cli(data, "ask", "And Qwen3?", "--history", "-", stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1
