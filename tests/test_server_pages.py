"""The page as printed: GET /api/documents/{id}/pages/{n} renders a PDF page, marking a citation's span."""

from __future__ import annotations

import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.settings import Settings

pytest.importorskip("pypdfium2")

DATA = Path(__file__).parent / "data" / "corpus"
QUOTE = "a rental price of $2 per GPU hour."


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of a PNG the server wrote (8-bit RGB, filter 0 on every row)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
            assert body[8:10] == b"\x08\x02"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    rows = [raw[r * stride : (r + 1) * stride] for r in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, height, [row[1:] for row in rows]


def marked_rows(rows: list[bytes]) -> list[int]:
    """Rows holding a highlighter pixel: yellow-tinted (red and green high, blue clearly lower)."""
    out = []
    for r, row in enumerate(rows):
        for i in range(0, len(row), 3):
            red, green, blue = row[i], row[i + 1], row[i + 2]
            if red > 200 and green > 150 and blue < red - 60:
                out.append(r)
                break
    return out


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("pages")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "report.pdf", corpus / "report.pdf")
    (corpus / "note.md").write_text("# Note\n\nNot a PDF.\n", encoding="utf-8")
    app = create_app(Settings(data_dir=base / "data", embedder="hash", seed_corpus=corpus))
    with TestClient(app) as c:
        deadline = time.monotonic() + 60
        while c.get("/healthz").json()["seeding"] and time.monotonic() < deadline:
            time.sleep(0.05)
        yield c


def docs(client: TestClient) -> dict[str, dict]:
    return {d["kind"]: d for d in client.get("/api/documents").json()["documents"]}


def test_page_png_marks_the_quoted_span_only_where_asked(client: TestClient) -> None:
    pdf = docs(client)["pdf"]
    text = client.get(f"/api/documents/{pdf['id']}/text").json()["text"]
    start = text.index(QUOTE)
    plain = client.get(f"/api/documents/{pdf['id']}/pages/2")
    assert (plain.status_code, plain.headers["content-type"]) == (200, "image/png")
    width, height, rows = decode_png(plain.content)
    assert (width, height) == (918, 1188)  # US letter at 1.5 px per point
    assert marked_rows(rows) == []
    marked = client.get(f"/api/documents/{pdf['id']}/pages/2", params={"start": start, "end": start + len(QUOTE)})
    assert marked.status_code == 200
    _, _, mrows = decode_png(marked.content)
    hit = marked_rows(mrows)
    # the quote is the second printed line (baseline y=726 of 792 points): marked rows lie around it
    assert hit and min(hit) >= (792 - 740) * 1.5 and max(hit) <= (792 - 718) * 1.5
    again = client.get(
        f"/api/documents/{pdf['id']}/pages/2",
        params={"start": start, "end": start + len(QUOTE)},
        headers={"If-None-Match": marked.headers["etag"]},
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("kind", "page", "params", "status", "message"),
    [
        ("markdown", 1, {}, 415, "is markdown, not a PDF: it has no printed pages"),
        ("pdf", 3, {}, 404, "page 3 is not in this document (it has 2 pages)"),
        ("pdf", 1, {"start": 5}, 422, "give both start and end, or neither"),
        ("pdf", 1, {"start": 9, "end": 9}, 422, "end (9) must be after start (9)"),
        ("pdf", 1, {"start": 0, "end": 10**6}, 422, "past the end of the document's text"),
    ],
)
def test_bad_page_requests_are_4xx(
    client: TestClient, kind: str, page: int, params: dict, status: int, message: str
) -> None:
    doc = docs(client)[kind]
    r = client.get(f"/api/documents/{doc['id']}/pages/{page}", params=params)
    assert r.status_code == status
    assert message in r.json()["error"]["message"]


@pytest.mark.parametrize(("path", "status"), [("/api/documents/nope/pages/1", 404), ("/api/documents/x/pages/0", 422)])
def test_unknown_document_or_page_zero(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status
