"""Shared fixtures: every test gets its own data folder, and the network beyond loopback is blocked."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import fresh_schema, server_or_skip

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_DATA = Path(__file__).resolve().parent / "data"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise OSError(f"network access is blocked in tests (tried {host})")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "assistant-data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def shared_corpus() -> Path:
    """The real corpus beside the repo; tests needing it skip where it is absent."""
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    return corpus


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL of a fresh schema for this test."""
    with fresh_schema() as url:
        yield url


@pytest.fixture
def chroma_url() -> str:
    """The URL of the Chroma server CI starts (skips locally without one, fails in CI)."""
    return server_or_skip("ASSISTANT_TEST_CHROMA_URL", "Chroma server")


@pytest.fixture
def user_vocabulary() -> Iterator[None]:
    """The user vocabulary of ``tests/data/vocab/domain/`` (company names in both languages) made active."""
    from assistant.domain import use_data_dir

    use_data_dir(TEST_DATA / "vocab")
    yield
    use_data_dir(None)
