"""The HTTP API against a fake Assistant: every route, bad bodies, limits, errors and the event stream."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser.fakes import FakeAssistant
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.settings import Settings

DOC_A = (
    "# DeepSeek-V3 notes\n\nDeepSeek-V3 was trained on 14.8 trillion tokens. It has 671 billion parameters.\n"
)
DOC_B = "# 芯片\n\nH800 的带宽是 400 GB/s。\n"


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    base: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "max_upload_bytes": 4096,
        "max_body_bytes": 2048,
        "max_question_chars": 200,
        "max_check_chars": 1000,
        "seed_on_start": False,
    }
    return Settings(**{**base, **overrides})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def fake(settings: Settings, tmp_path: Path) -> FakeAssistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(DOC_A, encoding="utf-8")
    (corpus / "b.md").write_text(DOC_B, encoding="utf-8")
    fake = FakeAssistant(settings)
    fake.ingest([corpus])
    return fake


@pytest.fixture
def client(settings: Settings, fake: FakeAssistant) -> TestClient:
    with TestClient(create_app(settings, assistant=fake)) as client:
        yield client


def doc_id(fake: FakeAssistant, title: str) -> str:
    return next(d.id for d in fake.documents() if d.title == title)


def events(body: str) -> list[tuple[str, dict]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    out = []
    for frame in body.split("\n\n"):
        if not frame.strip():
            continue
        fields = dict(line.split(": ", 1) for line in frame.split("\n"))
        out.append((fields["event"], json.loads(fields["data"])))
    return out


# --- health, static page, schema ----------------------------------------------------------------------------
def test_healthz_counts_documents_and_sends_security_headers(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "documents": 2, "seeding": False}
    assert r.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    assert r.headers["x-content-type-options"] == "nosniff"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data


def test_page_and_its_files_are_served_with_csp(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
    parser = _Tags()
    parser.feed(page.text)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "module", "src": "/static/app.js"}]
    assert parser.script_text.strip() == ""
    # No inline handlers or styles: the CSP would block them, and they are where injected markup would run.
    assert [(t, a) for t, a in parser.tags if any(k.startswith("on") or k == "style" for k in a)] == []
    for asset in ("/static/app.js", "/static/style.css", "/static/chat.js"):
        assert client.get(asset).status_code == 200
    assert client.get("/static/../assistant/settings.py").status_code == 404


def test_page_scripts_never_parse_strings_as_html() -> None:
    web = Path(__file__).resolve().parents[1] / "web"
    sinks = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*[\"']on"
    )
    offenders = {p.name: sinks.findall(p.read_text(encoding="utf-8")) for p in web.glob("*.js")}
    assert len(offenders) >= 8
    assert {name: found for name, found in offenders.items() if found} == {}


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {
        "/healthz",
        "/api/ask",
        "/api/ask/stream",
        "/api/check",
        "/api/documents",
        "/api/documents/{doc_id}/text",
        "/api/tools",
        "/api/tools/{name}",
    } <= set(schema["paths"])
    ask = schema["paths"]["/api/ask"]["post"]
    assert ask["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AskRequest"
    }
    assert ask["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    stream = schema["paths"]["/api/ask/stream"]["post"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"]
    assert {"StageEvent", "DeltaEvent", "Answer", "ErrorResponse"} <= set(schema["components"]["schemas"])


# --- ask ----------------------------------------------------------------------------------------------------
def test_ask_returns_cited_answer(client: TestClient, fake: FakeAssistant) -> None:
    r = client.post("/api/ask", json={"question": "How many tokens was DeepSeek-V3 trained on?"})
    assert r.status_code == 200
    answer = r.json()
    assert answer["status"] == "answered"
    [cite] = answer["citations"]
    assert cite["doc_id"] == doc_id(fake, "DeepSeek-V3 notes")
    assert cite["quote"] == "DeepSeek-V3 was trained on 14.8 trillion tokens."
    assert DOC_A[cite["start"] : cite["end"]] == cite["quote"]


@pytest.mark.parametrize(
    ("seeding", "progress", "expected"),
    [(False, None, None), (True, None, "starting"), (True, "embed 120/900", "embed 120/900")],
)
@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
def test_an_answer_given_while_indexing_says_so(
    client: TestClient, path: str, seeding: bool, progress: str | None, expected: str | None
) -> None:
    state = client.app.state.server  # type: ignore[attr-defined]
    state.seeding, state.seed_progress = seeding, progress
    r = client.post(path, json={"question": "How many tokens was DeepSeek-V3 trained on?"})
    assert r.status_code == 200
    answer = r.json() if path == "/api/ask" else next(d for n, d in events(r.text) if n == "answer")
    assert answer["indexing"] == expected


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, "body.question"),
        ({"question": 5}, "body.question"),
        ({"question": ""}, "body.question"),
        ({"question": "hi", "extra": 1}, "body.extra"),
        ({"question": "hi", "filters": {"kind": "exe"}}, "body.filters.kind"),
        ([1, 2], "body"),
    ],
)
def test_ask_bad_bodies_are_422_with_the_field_named(client: TestClient, body: object, loc: str) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["type"] == "validation_error"
    assert error["message"].startswith(loc + ":")
    assert error["details"][0]["loc"] == loc


def test_ask_invalid_json_is_422(client: TestClient) -> None:
    r = client.post("/api/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["type"] == "validation_error"
    assert "JSON" in r.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
def test_blank_question_is_422_and_long_question_is_413(client: TestClient, path: str) -> None:
    blank = client.post(path, json={"question": "   "})
    assert (blank.status_code, blank.json()["error"]) == (
        422,
        {"type": "invalid_input", "message": "question is empty", "details": []},
    )
    long = client.post(path, json={"question": "x" * 201})
    assert long.status_code == 413
    assert long.json()["error"]["message"] == "question has 201 characters; the limit is 200"


def test_ask_stream_sends_stages_deltas_then_the_same_answer(client: TestClient) -> None:
    question = {"question": "How many parameters does DeepSeek-V3 have?"}
    with client.stream("POST", "/api/ask/stream", json=question) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-store"
        body = "".join(r.iter_text())
    got = events(body)
    names = [name for name, _ in got]
    assert names[:2] == ["stage", "stage"]
    assert [data["stage"] for name, data in got if name == "stage"][-2:] == ["writing", "done"]
    assert got[0][1]["stage"] == "accepted"
    answer = next(data for name, data in got if name == "answer")
    deltas = [data["text"] for name, data in got if name == "delta"]
    assert len(deltas) >= 2
    assert "".join(deltas) == answer["text"]
    assert names.index("answer") > max(i for i, n in enumerate(names) if n == "delta")
    plain = client.post("/api/ask", json=question).json()
    assert {k: v for k, v in answer.items() if k != "timings_ms"} == {
        k: v for k, v in plain.items() if k != "timings_ms"
    }


def test_ask_stream_failure_after_start_is_an_error_event(client: TestClient, fake: FakeAssistant) -> None:
    fake.fail_next = RuntimeError("disk on fire /secret/path")
    r = client.post("/api/ask/stream", json={"question": "tokens?"})
    assert r.status_code == 200
    got = events(r.text)
    assert got[-1] == (
        "error",
        {
            "error": {
                "type": "internal_error",
                "message": "the server failed while working; the error was logged",
                "details": [],
            }
        },
    )
    assert "secret" not in r.text


# --- check --------------------------------------------------------------------------------------------------
def test_check_marks_figures(client: TestClient) -> None:
    draft = "DeepSeek-V3 was trained on 14.8 trillion tokens. It has 600 billion parameters. 2 × 3 = 7"
    r = client.post("/api/check", json={"text": draft})
    assert r.status_code == 200
    report = r.json()
    verdicts = [(c["figure"]["text"], c["verdict"]) for c in report["claims"]]
    assert verdicts[:2] == [("14.8", "supported"), ("600", "contradicted")]
    assert report["claims"][1]["source_figure"]["text"] == "671"
    assert report["arithmetic"][0]["consistent"] is False


@pytest.mark.parametrize(
    ("body", "status", "type_"),
    [
        ({}, 422, "validation_error"),
        ({"text": None}, 422, "validation_error"),
        ({"text": "  "}, 422, "invalid_input"),
        ({"text": "9" * 1001}, 413, "too_large"),
    ],
)
def test_check_bad_bodies(client: TestClient, body: dict, status: int, type_: str) -> None:
    r = client.post("/api/check", json=body)
    assert (r.status_code, r.json()["error"]["type"]) == (status, type_)


# --- documents ----------------------------------------------------------------------------------------------
def test_documents_list(client: TestClient, fake: FakeAssistant) -> None:
    r = client.get("/api/documents")
    assert r.status_code == 200
    docs = r.json()["documents"]
    assert [d["title"] for d in docs] == ["DeepSeek-V3 notes", "芯片"]
    assert docs[0]["id"] == doc_id(fake, "DeepSeek-V3 notes")
    assert docs[0]["uploaded_name"] is None
    assert "content_hash" not in docs[0]


def test_document_text_slice(client: TestClient, fake: FakeAssistant) -> None:
    did = doc_id(fake, "DeepSeek-V3 notes")
    r = client.get(f"/api/documents/{did}/text", params={"start": 21, "end": 32})
    assert r.status_code == 200
    body = r.json()
    assert (body["start"], body["end"], body["text"], body["total_chars"]) == (
        21,
        32,
        "DeepSeek-V3",
        len(DOC_A),
    )
    whole = client.get(f"/api/documents/{did}/text").json()
    assert whole["text"] == DOC_A


@pytest.mark.parametrize(
    ("params", "status"),
    [({"start": -1}, 422), ({"start": 10, "end": 5}, 422), ({"start": "x"}, 422)],
)
def test_document_text_bad_bounds(client: TestClient, fake: FakeAssistant, params: dict, status: int) -> None:
    r = client.get(f"/api/documents/{doc_id(fake, '芯片')}/text", params=params)
    assert r.status_code == status
    assert r.json()["error"]["message"]


def test_unknown_document_is_404(client: TestClient) -> None:
    r = client.get("/api/documents/nope/text")
    assert r.status_code == 404
    assert r.json()["error"] == {"type": "not_found", "message": "no document with id 'nope'", "details": []}


def test_upload_ingests_under_a_generated_name(
    client: TestClient, settings: Settings, fake: FakeAssistant
) -> None:
    content = b"# Fresh report\n\nThe cluster has 2048 GPUs.\n"
    r = client.post("/api/documents", files={"file": ("../../etc/evil name.md", content, "text/markdown")})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["report"]["added"] == 1
    doc = body["document"]
    assert (doc["title"], doc["uploaded_name"], doc["source"]) == (
        "Fresh report",
        "evil name.md",
        "evil name.md",
    )
    saved = [p for p in (settings.data_dir / "uploads").iterdir() if not p.name.endswith(".meta.json")]
    assert len(saved) == 1
    assert saved[0].read_bytes() == content
    assert len(saved[0].stem) == 32 and saved[0].suffix == ".md"
    assert not (settings.data_dir.parent / "etc").exists()
    listed = client.get("/api/documents").json()["documents"]
    assert doc["id"] in {d["id"] for d in listed}


def test_upload_title_falls_back_to_the_original_name(client: TestClient) -> None:
    r = client.post(
        "/api/documents", files={"file": ("年报 2025.TXT", "没有标题的文本。".encode(), "text/plain")}
    )
    assert r.status_code == 201, r.text
    assert r.json()["document"]["title"] == "年报 2025.TXT"


@pytest.mark.parametrize("name", ["x.exe", "x.md.sh", "noext", "", ".md", "x.pdf.", "x.docx"])
def test_upload_wrong_type_is_415(client: TestClient, settings: Settings, name: str) -> None:
    r = client.post("/api/documents", files={"file": (name, b"hello", "application/octet-stream")})
    # An empty file name is not a file part at all for the multipart parser: that is a 422.
    assert r.status_code == (422 if name == "" else 415), r.text
    if name:
        assert r.json()["error"]["type"] == "unsupported_type"
        assert ".pdf, .html, .htm, .md, .markdown, .txt, .csv" in r.json()["error"]["message"]
    assert not (settings.data_dir / "uploads").exists() or not any((settings.data_dir / "uploads").iterdir())


def test_upload_over_the_limit_is_413(client: TestClient, settings: Settings) -> None:
    # Just over the file limit but inside the multipart slack: caught while copying.
    r = client.post("/api/documents", files={"file": ("big.txt", b"a" * 4097, "text/plain")})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "too_large")
    # Far over: refused from Content-Length before the body is read.
    r = client.post("/api/documents", files={"file": ("big.txt", b"a" * 200_000, "text/plain")})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "too_large")
    assert not any((settings.data_dir / "uploads").glob("*.txt"))


def test_upload_without_file_or_unreadable_is_422(client: TestClient, settings: Settings) -> None:
    assert client.post("/api/documents", data={"x": "1"}).status_code == 422
    empty = client.post("/api/documents", files={"file": ("e.md", b"", "text/markdown")})
    assert (empty.status_code, empty.json()["error"]["message"]) == (422, "the uploaded file is empty")
    binary = client.post("/api/documents", files={"file": ("b.txt", b"\x00\x01", "text/plain")})
    assert binary.status_code == 422
    assert binary.json()["error"]["message"] == "the file could not be read: binary content"
    assert list((settings.data_dir / "uploads").iterdir()) == []


# --- limits, errors, auth, CORS -----------------------------------------------------------------------------
def test_json_body_over_limit_is_413(client: TestClient) -> None:
    big = json.dumps({"text": "a" * 3000}).encode()
    r = client.post("/api/check", content=big, headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "too_large")


def test_chunked_body_over_limit_is_413(client: TestClient) -> None:
    def chunks():
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 500
        yield b'"}'

    r = client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "too_large")


def test_unexpected_failure_is_500_without_details(settings: Settings, fake: FakeAssistant) -> None:
    fake.fail_next = RuntimeError("Traceback: /very/secret/path")
    with TestClient(create_app(settings, assistant=fake), raise_server_exceptions=False) as client:
        r = client.post("/api/ask", json={"question": "tokens?"})
    assert r.status_code == 500
    assert r.json() == {
        "error": {
            "type": "internal_error",
            "message": "the server failed while working; the error was logged",
            "details": [],
        }
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "type_"),
    [("GET", "/api/nope", 404, "not_found"), ("GET", "/api/ask", 405, "method_not_allowed")],
)
def test_routing_errors_use_the_error_shape(
    client: TestClient, method: str, path: str, status: int, type_: str
):
    r = client.request(method, path)
    assert (r.status_code, r.json()["error"]["type"]) == (status, type_)


def test_bearer_token(tmp_path: Path, fake: FakeAssistant) -> None:
    secured = make_settings(tmp_path, api_token="s3cret-token")
    with TestClient(create_app(secured, assistant=fake)) as client:
        missing = client.get("/api/documents")
        assert (missing.status_code, missing.json()["error"]["type"]) == (401, "unauthorized")
        assert missing.headers["www-authenticate"] == "Bearer"
        assert client.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert (
            client.get("/api/documents", headers={"Authorization": "Basic s3cret-token"}).status_code == 401
        )
        assert (
            client.get("/api/documents", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        )
        assert (
            client.get("/api/documents", headers={"Authorization": "bearer s3cret-token"}).status_code == 200
        )
        big_upload = client.post("/api/documents", files={"file": ("a.md", b"x" * 100, "text/markdown")})
        assert big_upload.status_code == 401
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/static/app.js").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def test_cors_closed_by_default(client: TestClient) -> None:
    r = client.get("/api/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_allows_only_configured_origins(tmp_path: Path, fake: FakeAssistant) -> None:
    configured = make_settings(tmp_path, cors_origins=["https://ok.example"], api_token="t")
    with TestClient(create_app(configured, assistant=fake)) as client:
        pre = client.options(
            "/api/ask",
            headers={
                "Origin": "https://ok.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://ok.example"
        denied = client.get("/api/documents", headers={"Origin": "https://ok.example"})
        assert denied.status_code == 401
        assert denied.headers["access-control-allow-origin"] == "https://ok.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_injected_assistant_is_not_closed(settings: Settings, fake: FakeAssistant) -> None:
    with TestClient(create_app(settings, assistant=fake)):
        pass
    assert fake.closed is False
