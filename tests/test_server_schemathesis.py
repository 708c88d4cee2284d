"""Property-based API tests generated from /openapi.json: no request the schema allows (or nearly allows) may
produce a 5xx, and every response must match its documented status, content type and schema.

Run against the fake Assistant (every route, strict checks) and against a real one over a tiny corpus with the
hash embedder (the routes that reach the library, 5xx check only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from browser.fakes import FakeAssistant  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assistant.server import create_app  # noqa: E402
from assistant.settings import Settings  # noqa: E402

STRICT = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CORPUS = {
    "a.md": "# Notes\n\nDeepSeek-V3 was pre-trained on 14.8 trillion tokens. It took 2.788 million H800 GPU hours.\n",
    "b.md": "# 芯片\n\nH800 的 NVLink 带宽为 400 GB/s。\n",
}


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", max_upload_bytes=64 * 1024, seed_on_start=False, **kw)


def _run(schema, mode: str, checks: list, examples: int, paths: tuple[str, ...] = ("/",)) -> int:
    """Draw cases for every operation under ``paths``; returns how many operations ran."""
    generation_mode = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(paths):
            continue
        if mode == "negative" and not (
            len(operation.body) or len(operation.query) or len(operation.path_parameters)
        ):
            continue  # nothing to break in a request without inputs

        @given(case=operation.as_strategy(generation_mode=generation_mode))
        @settings(
            max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case) -> None:
            case.call_and_validate(checks=checks)

        run()
        ran += 1
    return ran


# The pytest plugin's ``from_fixture`` does not run under this pytest version, so cases are drawn with
# hypothesis directly from each operation's strategy.
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_route_against_the_fake(tmp_path: Path, mode: str) -> None:
    app_settings = _settings(tmp_path)
    fake = FakeAssistant(app_settings)
    fake.ingest([_corpus(tmp_path)])
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(app_settings, assistant=fake))
    ran = _run(schema, mode, STRICT, examples=15)
    import tools

    # 15 operations (3 ingest-job routes, 3 export/page routes) + one per calculator when positive; the 12 with
    # inputs + the calculators when negative.
    assert ran == (15 if mode == "positive" else 12) + len(tools.TOOLS)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_library_routes_against_a_real_assistant(tmp_path: Path, mode: str) -> None:
    pytest.importorskip("assistant.index.store")
    from assistant import Assistant

    app_settings = _settings(tmp_path, embedder="hash")
    with Assistant.open(settings=app_settings) as assistant:
        assistant.ingest([_corpus(tmp_path)])
        schema = schemathesis.openapi.from_asgi(
            "/openapi.json", create_app(app_settings, assistant=assistant)
        )
        ran = _run(
            schema,
            mode,
            [not_a_server_error],
            examples=10,
            paths=("/api/ask", "/api/check", "/api/documents"),
        )
    assert ran == (7 if mode == "positive" else 6)
