"""Run it for a team: two API endpoints and two ingest workers over PostgreSQL and a Chroma server, started with
the README's commands (``assistant serve``, ``assistant worker``, ``assistant ingest --wait``).

API "a" runs two uvicorn worker processes behind one port (``serve --workers 2``), API "b" one more process, as a
second host would. All share a data folder only for the uploads' original names; the index lives in the servers.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from helpers import fresh_schema, server_or_skip

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
ORION = "# Orion cluster note\n\nThe Orion cluster holds 4096 Blackwell accelerators in Reykjavik.\n"
QUESTION = "How many Blackwell accelerators does the Orion cluster hold?"


def readme_team_commands() -> dict[str, list[str]]:
    """The ``assistant ...`` lines of the README's "Run it for a team" block, by subcommand."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Run it for a team", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S)
    assert block is not None
    lines = [ln.split("  #")[0].strip() for ln in block.group(1).splitlines() if ln.startswith("assistant ")]
    return {shlex.split(ln)[1]: shlex.split(ln)[1:] for ln in lines}


def _with(args: list[str], values: dict[str, str]) -> list[str]:
    """``args`` with the values of the given options replaced (the README's hosts and ports are examples)."""
    out = list(args)
    for i, arg in enumerate(out[:-1]):
        if arg in values:
            out[i + 1] = values[arg]
    return out


def test_the_readme_block_has_the_steps_this_test_runs() -> None:
    assert list(readme_team_commands()) == ["serve", "worker", "ingest", "jobs"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Team:
    def __init__(self, env: dict[str, str], urls: list[str], data_dir: Path) -> None:
        self.env, self.urls, self.data_dir = env, urls, data_dir

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant.cli", *args], env=self.env, cwd=REPO, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    chroma = urlparse(server_or_skip("ASSISTANT_TEST_CHROMA_URL", "Chroma server"))
    tmp = tmp_path_factory.mktemp("team")
    with fresh_schema() as database_url:
        env = {
            **os.environ,
            "ASSISTANT_DATABASE_URL": database_url,
            "ASSISTANT_CHROMA_HOST": chroma.hostname or "127.0.0.1",
            "ASSISTANT_CHROMA_PORT": str(chroma.port),
            "ASSISTANT_COLLECTION": f"team-{uuid.uuid4().hex[:10]}",
            "ASSISTANT_EMBEDDER": "hash",
            "ASSISTANT_DATA_DIR": str(tmp / "data"),
            "ASSISTANT_SEED_ON_START": "false",
            "PYTHONUNBUFFERED": "1",
        }
        ports = [_free_port(), _free_port()]
        readme = readme_team_commands()
        commands = [
            _with(readme["serve"], {"--host": "127.0.0.1", "--port": str(ports[0]), "--workers": "2"}),
            _with(readme["serve"], {"--host": "127.0.0.1", "--port": str(ports[1]), "--workers": "1"}),
            [*readme["worker"], "--poll", "0.2"],
            [*readme["worker"], "--poll", "0.2"],
        ]
        procs = []
        try:
            for i, command in enumerate(commands):
                log = (tmp / f"proc{i}.log").open("wb")
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "assistant.cli", *command], env=env, cwd=REPO, stdout=log,
                        stderr=subprocess.STDOUT, start_new_session=True,
                    )
                )  # fmt: skip
            urls = [f"http://127.0.0.1:{p}" for p in ports]
            _wait_healthy(urls, procs, tmp)
            team = Team(env, urls, tmp / "data")
            ingest = [str(TEST_DATA / "corpus") if a == "corpus/" else a for a in readme["ingest"]]
            seeded = team.cli(*ingest, "--quiet")
            assert seeded.returncode == 0, seeded.stdout + seeded.stderr
            listed = team.cli(*readme["jobs"])
            assert listed.returncode == 0 and listed.stdout.count(" done (done ") == len(listed.stdout.splitlines())
            yield team
        finally:
            for proc in procs:  # each started its own session: stop it with any uvicorn children
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _wait_healthy(urls: list[str], procs: list[subprocess.Popen], tmp: Path) -> None:
    deadline = time.monotonic() + 120
    pending = list(urls)
    while pending:
        for i, proc in enumerate(procs):
            if proc.poll() is not None:
                raise AssertionError(f"process {i} exited:\n{(tmp / f'proc{i}.log').read_text(errors='replace')}")
        for url in list(pending):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).json().get("status") == "ok":
                    pending.remove(url)
            except (httpx.HTTPError, ValueError):
                pass
        assert time.monotonic() < deadline, "the API processes did not start"
        time.sleep(0.3)


def _cited(url: str, doc_id: str) -> bool:
    answer = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=60).raise_for_status().json()
    return doc_id in {c["doc_id"] for c in answer["citations"]}


def _within(seconds: float, condition: object) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if condition():  # type: ignore[operator]
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def test_upload_through_one_answer_through_the_other_then_remove(team: Team) -> None:
    a, b = team.urls
    sent = httpx.post(
        f"{a}/api/documents", files={"file": ("orion.md", ORION.encode(), "text/markdown")}, timeout=180
    )
    assert sent.status_code == 201, sent.text
    doc = sent.json()["document"]
    assert (doc["title"], doc["uploaded_name"]) == ("Orion cluster note", "orion.md")
    assert _within(5, lambda: _cited(b, doc["id"]))
    jobs = httpx.get(f"{b}/api/jobs", timeout=30).raise_for_status().json()["jobs"]
    mine = [j for j in jobs if j["doc_id"] == doc["id"]]
    assert [(j["state"], j["name"], j["attempts"]) for j in mine] == [("done", "orion.md", 1)]
    shown = team.cli("jobs", str(mine[0]["id"]))
    assert shown.returncode == 0 and f"job {mine[0]['id']} done (done 1/1, attempt 1) orion.md -> {doc['id']}" in shown.stdout

    # the same bytes again, through the other endpoint: the document that is there, nothing new
    again = httpx.post(f"{b}/api/documents", files={"file": ("copy.md", ORION.encode(), "text/markdown")}, timeout=60)
    assert (again.status_code, again.json()["document"]["id"], again.json()["report"]["unchanged"]) == (
        200, doc["id"], 1,
    )  # fmt: skip

    # removed (its file gone, pruned from the command line): gone from the other endpoint just as fast
    uploads = [p for p in (team.data_dir / "uploads").iterdir() if p.suffix == ".md"]
    for path in uploads:
        path.unlink()
    pruned = team.cli("ingest", str(TEST_DATA / "corpus"), "--prune", "--wait", "--quiet")
    assert pruned.returncode == 0, pruned.stderr
    assert _within(5, lambda: not _cited(b, doc["id"]))
    listed = httpx.get(f"{b}/api/documents", timeout=30).json()["documents"]
    assert doc["id"] not in {d["id"] for d in listed}


def test_load_across_both_api_processes_has_no_errors(team: Team, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("loadtest_team", REPO / "bench" / "loadtest.py")
    assert spec is not None and spec.loader is not None
    loadtest = importlib.util.module_from_spec(spec)
    sys.modules["loadtest_team"] = loadtest  # pydantic resolves the models' annotations through it
    spec.loader.exec_module(loadtest)
    summary = loadtest.run_load(
        team.urls, clients=16, asks=3, deadline=time.monotonic() + 600, upload=True, headers={}
    )
    print(loadtest.render(summary))
    rows = {e.name: e for e in summary.endpoints}
    assert rows["POST /api/ask"].requests == 48
    assert rows["POST /api/documents"].requests == 3
    assert (rows["all"].non_2xx, rows["all"].server_errors, rows["all"].failed) == (0, 0, 0)
    v = summary.verification
    assert v is not None
    assert (v.after - v.before, v.duplicated_ids, v.lost_ids, v.processes_agree) == (2, [], [], True)
    assert (v.upload_listed, v.twin_listed, v.twin_same_id) == (1, 1, True)
    assert summary.ok is True


def test_team_bench_prints_both_setups(capsys: pytest.CaptureFixture[str]) -> None:
    database_url = server_or_skip("ASSISTANT_TEST_DATABASE_URL", "PostgreSQL server")
    chroma_url = server_or_skip("ASSISTANT_TEST_CHROMA_URL", "Chroma server")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import team_bench
    finally:
        sys.path.remove(str(REPO / "bench"))
    corpus = TEST_DATA / "corpus" / "zh"
    code = team_bench.main([
        "--database-url", database_url, "--chroma-url", chroma_url, "--embedder", "hash", "--corpus", str(corpus),
        "--workers", "1", "--questions", str(TEST_DATA / "corpus" / "no-such.jsonl"),
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    files = sorted(p.name for p in corpus.iterdir())
    for setup in ("embedded", "server (1 workers)"):
        assert f"team: {setup}" in out
        assert f"{len(files)} docs" in out.split(f"team: {setup}")[1].splitlines()[0]
    assert out.count("ask ms p50 / p95 (0 asks)") == 2
