"""kill -9 of the server while an upload is half written: the restarted server rolls it back, and re-uploading
completes it, once."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from helpers import assert_consistent

from assistant import Assistant
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SMALL = "# Small note\n\nThe small cluster has 64 GPUs.\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(data_dir: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """uvicorn over ``data_dir`` (hash embedder, no seeding); stopped with SIGTERM unless the test killed it."""
    port = _free_port()
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_SEED_ON_START": "false",
    }
    args = ["--factory", "assistant.server.app:app_factory", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", *args], cwd=REPO, env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"{url}/healthz", timeout=2).json().get("status") == "ok":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.1)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _big_document() -> bytes:
    paragraphs = [
        f"Paragraph {i}: the cluster in region {i % 17} ran {i * 13} H800 GPUs for {i % 90 + 1} days at "
        f"${i % 7 + 1}.5 per GPU hour, and the report counts {i * 1000} tokens."
        for i in range(6000)
    ]
    return ("# Big report\n\n" + "\n\n".join(paragraphs) + "\n").encode()


def _pending(data_dir: Path) -> int:
    con = sqlite3.connect(f"file:{data_dir / 'registry.sqlite3'}?mode=ro", uri=True, timeout=5)
    try:
        return int(con.execute("SELECT count(*) FROM pending").fetchone()[0])
    except sqlite3.OperationalError:  # the registry is still being created
        return 0
    finally:
        con.close()


def _listed(url: str) -> list[dict]:
    return httpx.get(f"{url}/api/documents", timeout=30).json()["documents"]


def test_kill_9_during_an_upload_then_restart_and_reupload(tmp_path: Path) -> None:
    data = tmp_path / "data"
    log = tmp_path / "server.log"
    big = _big_document()

    with server(data, log) as (url, proc):
        small = httpx.post(f"{url}/api/documents", files={"file": ("small.md", SMALL.encode())}, timeout=60)
        assert small.status_code == 201, small.text
        small_id = small.json()["document"]["id"]

        outcome: list[object] = []

        def send() -> None:
            try:
                outcome.append(
                    httpx.post(f"{url}/api/documents", files={"file": ("big.md", big)}, timeout=120)
                )
            except httpx.HTTPError as exc:
                outcome.append(exc)

        sender = threading.Thread(target=send)
        sender.start()
        # Kill once the new chunk ids are recorded as pending: the vectors are going into Chroma, nothing is
        # committed in the registry yet. That is the step recovery has to undo.
        deadline = time.monotonic() + 60
        while _pending(data) == 0:
            assert not outcome, f"the upload finished before it could be interrupted: {outcome}"
            assert time.monotonic() < deadline, "the upload never reached the vector store"
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        sender.join(60)
        assert proc.returncode == -signal.SIGKILL
        assert len(outcome) == 1 and isinstance(outcome[0], httpx.HTTPError)
    assert _pending(data) == 1  # the killed writer left its mark

    with server(data, log) as (url, _):  # opening the index recovers
        assert [d["id"] for d in _listed(url)] == [small_id]
    assert _pending(data) == 0
    with Assistant.open(settings=Settings(data_dir=data, embedder="hash", seed_on_start=False)) as a:
        assert [d.id for d in a.documents()] == [small_id]
        assert_consistent(a)  # the half-written vectors are gone: vector count == dense chunks

    with server(data, log) as (url, _):
        again = httpx.post(f"{url}/api/documents", files={"file": ("big.md", big)}, timeout=120)
        assert again.status_code == 201, again.text
        big_id = again.json()["document"]["id"]
        twice = httpx.post(f"{url}/api/documents", files={"file": ("big copy.md", big)}, timeout=120)
        assert (twice.status_code, twice.json()["document"]["id"], twice.json()["report"]["unchanged"]) == (
            200,
            big_id,
            1,
        )
        assert sorted(d["id"] for d in _listed(url)) == sorted([small_id, big_id])
    with Assistant.open(settings=Settings(data_dir=data, embedder="hash", seed_on_start=False)) as a:
        docs = {d.id: d for d in a.documents()}
        assert sorted(docs) == sorted([small_id, big_id])
        assert docs[big_id].chunks > 1000
        assert_consistent(a)
