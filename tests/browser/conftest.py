"""Real-browser tests: Debian's Chromium driven by pytest-playwright against uvicorn in a subprocess.

Two servers run for the session on free loopback ports, each with its own temp data folder and a tiny corpus:
the real app (hash embedder, seeded from the corpus on start, with one PDF) and the app over a fake Assistant
(fixed answers for the chart and verdict tests). Everything skips cleanly when Chromium or Playwright is missing,
unless ASSISTANT_REQUIRE_BROWSER=1 (set by CI): then a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pagedata import CORPUS

CHROMIUM = Path(os.environ.get("ASSISTANT_CHROMIUM", "/usr/bin/chromium"))
REPO = Path(__file__).resolve().parents[2]
PDF = REPO / "tests" / "data" / "corpus" / "report.pdf"
REQUIRED = os.environ.get("ASSISTANT_REQUIRE_BROWSER") == "1"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent

HAVE_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None
if not HAVE_PLAYWRIGHT:
    if REQUIRED:
        raise pytest.UsageError("ASSISTANT_REQUIRE_BROWSER=1 but Playwright is not installed: the page is untested")
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if REQUIRED and any("browser" in item.keywords for item in items):
        raise pytest.UsageError(f"ASSISTANT_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: the page is untested")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_corpus(folder: Path, *, pdf: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    if pdf:
        shutil.copy(PDF, folder / PDF.name)
    return folder


@pytest.fixture(scope="session")
def _servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


def _start(args: list[str], env: dict[str, str], log: Path, ready: callable) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", *args, "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"server exited early:\n{log.read_text()[-3000:]}")
                try:
                    health = httpx.get(f"{url}/healthz", timeout=2).json()
                    if ready(health):
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server not ready in time:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def live_server(_servers_dir: Path) -> Iterator[str]:
    """The real app: hash embedder, a temp data folder seeded from the tiny corpus on start."""
    base = _servers_dir / "real"
    env = {
        "ASSISTANT_DATA_DIR": str(base / "data"),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_SEED_CORPUS": str(_write_corpus(base / "corpus", pdf=True)),
        "ASSISTANT_SEED_ON_START": "true",
    }
    args = ["--factory", "assistant.server.app:app_factory"]
    ready = lambda h: h.get("status") == "ok" and not h["seeding"] and h["documents"] == len(CORPUS) + 1  # noqa: E731
    yield from _start(args, env, base / "server.log", ready)


@pytest.fixture(scope="session")
def fake_server(_servers_dir: Path) -> Iterator[str]:
    """The app over the fake Assistant (fixed answers, real calculators)."""
    base = _servers_dir / "fake"
    env = {
        "ASSISTANT_DATA_DIR": str(base / "data"),
        "ASSISTANT_SEED_ON_START": "false",
        "FAKE_CORPUS": str(_write_corpus(base / "corpus")),
    }
    args = ["--factory", "fake_server:app_factory", "--app-dir", str(HERE)]
    yield from _start(args, env, base / "server.log", lambda h: h.get("documents") == len(CORPUS))


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture
def shot():
    """Save a screenshot to artifacts/screenshots/NAME.png (kept out of pytest-playwright's wiped folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(target, name: str) -> Path:
        """``target`` is a page or a locator (for one element)."""
        path = SCREENSHOTS / f"{name}.png"
        target.screenshot(path=str(path))
        return path

    return save


@pytest.fixture
def page_errors(page) -> list[str]:
    """Uncaught page errors and console errors (a CSP violation is logged as a console error)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors
