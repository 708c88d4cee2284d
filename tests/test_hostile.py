"""Hostile input through the library, the HTTP API and the CLI: every one is refused with a documented input error
(or, for odd but valid text, ingested whole), never a 5xx or another exception, and the index stays consistent."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from data.make_data import make_pdf
from fastapi.testclient import TestClient
from helpers import assert_consistent

from assistant import Assistant
from assistant.cli import main as cli_main
from assistant.errors import InputError, NotFoundError, TooLargeError
from assistant.server import create_app
from assistant.settings import Settings

BASE = "# Baseline\n\nDeepSeek-V3 was pre-trained on 14.8 trillion tokens with 2.788M H800 GPU hours.\n"


@cache
def _real_pdf() -> bytes:
    pages = [[(72, 720 - 20 * j, 11, f"Page {p} line {j}: revenue grew {p * j}% to ${p + j}.5B.") for j in range(20)]
             for p in range(8)]  # fmt: skip
    return make_pdf(pages)


def _deep_html() -> bytes:
    return b"<html><body>" + b"<div>" * 100_000 + b"deep text" + b"</div>" * 100_000 + b"</body></html>"


def _wide_csv() -> bytes:
    return b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n"  # one header row, 7.9 MB


# name, content, the error the ingest reports for it
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("random.pdf", b"%PDF-1.7\n" + random.Random(1).randbytes(50_000), "corrupt PDF"),
    ("truncated.pdf", _real_pdf()[: len(_real_pdf()) * 4 // 5], "corrupt PDF"),  # no xref, last objects cut
    ("binary.txt", random.Random(2).randbytes(20_000), "binary file"),
    ("image.md", b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(5_000), "binary file"),
    ("nested.html", _deep_html(), "no text in HTML page"),
    ("wide.csv", _wide_csv(), "CSV too wide: 1000000 columns (limit 500)"),
    *[(f"empty{suffix}", b"", "empty file") for suffix in (".txt", ".md", ".pdf", ".html", ".csv")],
]
WORDS_LINE = " ".join(f"word{i} costs ${i % 97}.5M" for i in range(60_000)).encode()  # ~1.1 MB, no newline
NO_SPACE_LINE = b"x" * 1_000_000


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedder="hash", seed_on_start=False, max_question_chars=200)


@pytest.fixture
def assistant(settings: Settings, tmp_path: Path) -> Iterator[Assistant]:
    base = tmp_path / "base.md"
    base.write_text(BASE, encoding="utf-8")
    with Assistant.open(settings=settings) as a:
        assert a.ingest([base]).added == 1
        yield a


@pytest.fixture
def client(settings: Settings, assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(settings, assistant=assistant), raise_server_exceptions=False) as c:
        yield c


# --- files through the library ---------------------------------------------------------------------------------
def test_bad_files_are_reported_not_raised(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, content, _ in BAD_FILES:
        (folder / name).write_bytes(content)
    before = [d.id for d in assistant.documents()]
    report = assistant.ingest([folder])
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert sorted(failed) == sorted(name for name, _, _ in BAD_FILES)
    for name, _, error in BAD_FILES:
        assert failed[name].startswith(error), (name, failed[name])
    assert (report.added, report.updated) == (0, 0)
    assert [d.id for d in assistant.documents()] == before
    assert_consistent(assistant)


@pytest.mark.parametrize(("name", "content"), [("words.txt", WORDS_LINE), ("nospace.txt", NO_SPACE_LINE)])
def test_huge_single_line_is_ingested_whole(
    assistant: Assistant, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = assistant.ingest([path])
    assert (report.added, report.failed) == (1, [])
    doc = next(d for d in assistant.documents() if d.source_path == str(path.resolve()))
    assert doc.chars == len(content)
    assert assistant.document_text(doc.id).text == content.decode()
    assert doc.chunks >= len(content) // 1000
    assert_consistent(assistant)


def test_library_questions_raise_only_input_errors(assistant: Assistant) -> None:
    with pytest.raises(TooLargeError, match="question has 201 characters; the limit is 200"):
        assistant.ask("x" * 201)
    with pytest.raises(TooLargeError, match="the limit is 200000"):
        assistant.check("1" * 200_001)
    for empty in ("", "   ", "\n\t\u3000"):
        with pytest.raises(InputError, match="question is empty"):
            assistant.ask(empty)
    with pytest.raises(InputError, match="question is empty"):
        assistant.ask(None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="bad filters"):
        assistant.ask("What was the cost?", filters={"language": "fr"})
    with pytest.raises(InputError, match="bad filters"):
        assistant.ask("What was the cost?", filters={"unknown": 1})
    with pytest.raises(NotFoundError):
        assistant.document_text("../../etc/passwd")
    with pytest.raises(InputError, match="empty query"):
        assistant.search(" ")
    assert_consistent(assistant)


# --- files and bodies through HTTP -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "content", "error"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_uploads_are_422_and_leave_nothing(
    client: TestClient, assistant: Assistant, settings: Settings, name: str, content: bytes, error: str
) -> None:
    r = client.post("/api/documents", files={"file": (name, content, "application/octet-stream")})
    body = r.json()["error"]
    assert (r.status_code, body["type"]) == (422, "invalid_input")
    if content:
        assert body["message"].startswith(f"the file could not be read: {error}")
    else:
        assert body["message"] == "the uploaded file is empty"
    assert list((settings.data_dir / "uploads").glob("*")) == []
    assert len(assistant.documents()) == 1
    assert_consistent(assistant)


def test_huge_single_line_upload_is_201(client: TestClient, assistant: Assistant) -> None:
    r = client.post("/api/documents", files={"file": ("line.txt", NO_SPACE_LINE, "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["document"]["chars"] == len(NO_SPACE_LINE)
    assert_consistent(assistant)


def _post(client: TestClient, path: str, body: bytes) -> tuple[int, str]:
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    return r.status_code, r.json()["error"]["type"] if r.status_code >= 400 else ""


BODIES: list[tuple[str, bytes, int, str]] = [
    ("/api/ask", json.dumps({"question": "x" * 201}).encode(), 413, "too_large"),
    ("/api/ask/stream", json.dumps({"question": "x" * 201}).encode(), 413, "too_large"),
    ("/api/check", json.dumps({"text": "1" * 200_001}).encode(), 413, "too_large"),
    ("/api/ask", b'{"question": ""}', 422, "validation_error"),
    ("/api/ask", b'{"question": "  \\n\\t "}', 422, "invalid_input"),
    ("/api/ask/stream", b'{"question": "   "}', 422, "invalid_input"),
    ("/api/check", b'{"text": " "}', 422, "invalid_input"),
    ("/api/ask", b'{"question": "cost?", "temperature": 2}', 422, "validation_error"),
    ("/api/ask", b'{"question": "cost?", "filters": {"colour": "red"}}', 422, "validation_error"),
    ("/api/ask", b'{"question": 42}', 422, "validation_error"),
    ("/api/ask", b'{"question": ["a", "b"]}', 422, "validation_error"),
    ("/api/ask", b'{"question": null}', 422, "validation_error"),
    ("/api/ask", b'{"question": "cost?", "filters": {"language": "fr"}}', 422, "validation_error"),
    ("/api/ask", b'{"question": "cost?", "filters": {"doc_ids": "abc"}}', 422, "validation_error"),
    ("/api/ask", b'{"question": "\\ud800"}', 422, "validation_error"),  # a lone surrogate
    ("/api/ask", b"[]", 422, "validation_error"),
    ("/api/ask", b"{", 422, "validation_error"),
    ("/api/ask", b"[" * 100_000, 400, "bad_request"),  # nested past the JSON parser's recursion limit
    ("/api/ask", b"\xff\xfe\x00", 400, "bad_request"),  # not JSON in any encoding
    ("/api/check", b'{"text": 3.5}', 422, "validation_error"),
    # 1e-93 dollars an hour is absurd but well defined: rendered digit by digit (was InvalidOperation, a 422)
    (
        "/api/tools/implied_change",
        b'{"start_usd_per_hour": 2.6e-93, "end_usd_per_hour": 1, "periods": 1024}',
        200,
        "",
    ),
    # a billion periods would build a billion prices
    (
        "/api/tools/project_rental_price",
        b'{"start_usd_per_hour": 2, "change": -0.01, "periods": 1000000000}',
        422,
        "invalid_input",
    ),
    ("/api/tools/gpus_needed", b'{"gpus": "many", "speedup": 2}', 422, "validation_error"),
    ("/api/tools/chip_share", b'{"extra_csv": "/etc/passwd"}', 422, "validation_error"),
    ("/api/tools/no_such_tool", b"{}", 404, "not_found"),
]


@pytest.mark.parametrize(("path", "body", "status", "type_"), BODIES)
def test_bad_bodies_get_their_documented_error(
    client: TestClient, assistant: Assistant, path: str, body: bytes, status: int, type_: str
) -> None:
    assert _post(client, path, body) == (status, type_)
    assert len(assistant.documents()) == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [("start=-1", 422), ("start=abc", 422), ("start=5&end=2", 422), ("end=99999999999999999999999", 200)],
)
def test_bad_text_windows(client: TestClient, assistant: Assistant, query: str, status: int) -> None:
    doc = assistant.documents()[0]
    r = client.get(f"/api/documents/{doc.id}/text?{query}")
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["text"] == BASE


# --- the CLI ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "message"),
    [("x" * 2001, "question has 2001 characters; the limit is 2000"), ("  ", "question is empty")],
)
def test_cli_refuses_bad_questions_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], question: str, message: str
) -> None:
    code = cli_main(["ask", question, "--json", "--data-dir", str(tmp_path / "cli"), "--embedder", "hash"])
    assert code == 2
    assert capsys.readouterr().err == f"assistant: {message}\n"
