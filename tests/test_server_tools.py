"""POST /api/tools/{name}: request models from signatures, results, and the caller's mistakes as 4xx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from browser.fakes import FakeAssistant
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from assistant.server import create_app
from assistant.server.routes import tools as tool_routes
from assistant.settings import Settings


class Product(BaseModel):
    formula: str
    sources: list[str]
    value: float

    def render(self, lang: str) -> str:
        return f"乘积是 {self.value:g}" if lang == "zh" else f"The product is {self.value:g}"


def multiply(
    a: Annotated[float, Field(description="First factor.")], b: Annotated[float, Field(gt=0)] = 2.0
) -> Product:
    """Multiply two numbers.

    A longer explanation that stays out of the summary.
    """
    if a < 0:
        raise ValueError("a must not be negative")
    return Product(formula="a × b", sources=["arithmetic"], value=a * b)


def explode(x: int) -> dict:
    """Always fails: a bug, not the caller's mistake."""
    raise RuntimeError("bug in the calculator")


REGISTRY = {"multiply": multiply, "explode": explode}


def run_tool(name: str, **kwargs: object) -> object:
    return REGISTRY[name](**kwargs)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(tool_routes, "load_tools", lambda: (REGISTRY, run_tool))
    settings = Settings(data_dir=tmp_path / "data", seed_on_start=False)
    app = create_app(settings, assistant=FakeAssistant(settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_tool_runs_and_renders_both_languages(client: TestClient) -> None:
    r = client.post("/api/tools/multiply", json={"a": 3, "b": 2.5})
    assert r.status_code == 200
    assert r.json() == {
        "name": "multiply",
        "result": {"formula": "a × b", "sources": ["arithmetic"], "value": 7.5},
        "text_en": "The product is 7.5",
        "text_zh": "乘积是 7.5",
    }


def test_tool_defaults_apply(client: TestClient) -> None:
    assert client.post("/api/tools/multiply", json={"a": 4}).json()["result"]["value"] == 8.0


@pytest.mark.parametrize(
    ("body", "message_start"),
    [
        ({}, "body.a: Field required"),
        ({"a": "many"}, "body.a: Input should be a valid number"),
        ({"a": 1, "b": 0}, "body.b: Input should be greater than 0"),
        ({"a": 1, "c": 1}, "body.c: Extra inputs are not permitted"),
    ],
)
def test_tool_bad_body_is_422(client: TestClient, body: dict, message_start: str) -> None:
    r = client.post("/api/tools/multiply", json=body)
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith(message_start)


def test_tool_value_error_is_422(client: TestClient) -> None:
    r = client.post("/api/tools/multiply", json={"a": -1})
    assert r.status_code == 422
    assert r.json()["error"] == {
        "type": "invalid_input",
        "message": "multiply: a must not be negative",
        "details": [],
    }


def test_unknown_tool_is_404(client: TestClient) -> None:
    r = client.post("/api/tools/teleport", json={"x": 1})
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "no calculator named 'teleport'; known: explode, multiply"


def test_tool_bug_is_500_without_details(client: TestClient) -> None:
    r = client.post("/api/tools/explode", json={"x": 1})
    assert r.status_code == 500
    assert "bug" not in r.text


def test_tool_list_and_schema(client: TestClient) -> None:
    tools = client.get("/api/tools").json()["tools"]
    assert [t["name"] for t in tools] == ["explode", "multiply"]
    multiply_info = tools[1]
    assert multiply_info["description"] == "Multiply two numbers."
    assert multiply_info["parameters"]["required"] == ["a"]
    assert multiply_info["parameters"]["properties"]["a"]["description"] == "First factor."
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/tools/multiply"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MultiplyRequest"
    }
    assert schema["components"]["schemas"]["MultiplyResponse"]["properties"]["result"] == {
        "$ref": "#/components/schemas/Product"
    }
