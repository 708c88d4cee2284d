"""The HTTP faces of follow-ups, streamed stages and Markdown export (over the fake Assistant)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser.fakes import FakeAssistant
from fastapi.testclient import TestClient
from test_server import events, make_settings

from assistant.server import create_app

DOC = "# Model notes\n\nDeepSeek-V3 was trained on 14.8 trillion tokens. DeepSeek-V3 has 671 billion parameters.\n"
FIRST = {"question": "How many tokens was DeepSeek-V3 trained on?", "answer": "14.8 trillion tokens [1]."}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = make_settings(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(DOC, encoding="utf-8")
    fake = FakeAssistant(settings)
    fake.ingest([corpus])
    with TestClient(create_app(settings, assistant=fake)) as c:
        yield c


def test_ask_reads_a_follow_up_with_its_history(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "How many parameters does it have?", "history": [FIRST]})
    assert r.status_code == 200
    answer = r.json()
    assert answer["question"] == "How many parameters does it have?"
    assert answer["read_as"] == "How many parameters does DeepSeek-V3 have?"
    assert answer["text"] == "According to the source: DeepSeek-V3 has 671 billion parameters. [1]"
    alone = client.post("/api/ask", json={"question": "How many tokens was DeepSeek-V3 trained on?"}).json()
    assert alone["read_as"] is None


def test_stream_sends_each_stage_as_it_happens(client: TestClient) -> None:
    body = {"question": "How many parameters does it have?", "history": [FIRST]}
    with client.stream("POST", "/api/ask/stream", json=body) as r:
        got = events("".join(r.iter_text()))
    stages = [(d["stage"], d.get("read_as"), d.get("passages")) for name, d in got if name == "stage"]
    assert stages == [
        ("accepted", None, None),
        ("reading", "How many parameters does DeepSeek-V3 have?", None),
        ("searching", None, None),
        ("found", None, 1),
        ("writing", None, None),
        ("done", None, None),
    ]
    answer = next(d for name, d in got if name == "answer")
    assert answer["read_as"] == "How many parameters does DeepSeek-V3 have?"


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize(
    ("history", "status", "type_", "message"),
    [
        ("x", 422, "validation_error", "Input should be a valid list"),
        ([{"question": "q"}] * 21, 422, "validation_error", "List should have at most 20 items"),
        ([{**FIRST, "extra": 1}], 422, "validation_error", "Extra inputs are not permitted"),
        ([{"answer": "a"}], 422, "validation_error", "Field required"),
        ([{"question": "   ", "answer": ""}], 422, "invalid_input", "history[0].question is empty"),
        ([{"question": "q" * 201}], 413, "too_large", "history[0].question has 201 characters; the limit is 200"),
        ([{"question": "q", "answer": "a" * 20_001}], 413, "too_large", None),
    ],
)
def test_bad_history_is_a_clear_4xx(
    client: TestClient, path: str, history: object, status: int, type_: str, message: str | None
) -> None:
    r = client.post(path, json={"question": "And Qwen3?", "history": history})
    assert r.status_code == status
    error = r.json()["error"]
    assert error["type"] == type_
    if message is not None:
        assert message in error["message"] + " ".join(d["msg"] for d in error["details"])


def test_answer_exports_as_markdown_with_source_notes(client: TestClient) -> None:
    answer = client.post("/api/ask", json={"question": "How many parameters does it have?", "history": [FIRST]})
    r = client.post("/api/export/answer", json=answer.json())
    assert (r.status_code, r.headers["content-type"]) == (200, "text/markdown; charset=utf-8")
    source = answer.json()["citations"][0]["source"]
    assert r.text == (
        "*Read as: How many parameters does DeepSeek-V3 have?*\n\n"
        "According to the source: DeepSeek-V3 has 671 billion parameters. [1]\n\n"
        "**Sources**\n\n"
        f"- [1] Model notes: “DeepSeek-V3 has 671 billion parameters.” ({source})\n"
    )
    assert client.post("/api/export/answer", json={"text": "x"}).status_code == 422


def test_check_report_exports_as_markdown(client: TestClient) -> None:
    report = client.post("/api/check", json={"text": "DeepSeek-V3 was trained on 14.8 trillion tokens."}).json()
    r = client.post("/api/export/check", json=report)
    assert r.status_code == 200
    assert r.text.startswith("## Figures\n\n| # | Verdict | Figure | Subject | Source says | Evidence |\n")
    assert "| 1 | ✓ supported | 14.8 |" in r.text
