"""Load test: concurrent clients asking questions while documents are uploaded, then a check that none was lost.

    python bench/loadtest.py                               # 16 clients x 50 asks against a fresh server on corpus/
    python bench/loadtest.py --clients 4 --asks 5 --embedder hash --json out.json
    python bench/loadtest.py --data-dir COPY_OF_AN_INDEX --no-seed
    python bench/loadtest.py --url http://127.0.0.1:8000   # an already running server (uploads two small notes)
    python bench/loadtest.py --url http://HOST_A:8000 --url http://HOST_B:8000   # several API processes

Without ``--url`` the script starts uvicorn on a free loopback port with a temporary data folder seeded from
``--corpus``, and stops it at the end. Halfway through the asks it uploads one new document, and the same second
document from two clients at once. It prints a table (requests, throughput, p50/p95/p99 latency, non-2xx, 5xx)
and then verifies through ``GET /api/documents`` that every document listed before is still listed, each id once,
the new document once, and the twice-sent one once (both senders got the same id). With several ``--url`` the
clients take turns across them, the two copies go to different processes, and every process must list the same
documents afterwards. Exit status 1 on any 5xx, any
failed connection, or a lost or duplicated document. Every count is bounded and ``--time-limit`` stops the run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from pydantic import BaseModel, Field

REPO = Path(__file__).resolve().parents[1]
DEV_QA = REPO.parent / "shared" / "eval" / "dev_qa.jsonl"
# Beside the dev questions: a calculation, a projection, a Chinese lookup and one nothing in the corpus answers.
OWN_QUESTIONS = [
    "What was the total training cost of DeepSeek-V3?",
    "英伟达数据中心收入是多少？",
    "How much would 2048 GPUs for 60 days cost at $2 per GPU hour?",
    "H800 每小时租金 2 美元，如果每月下降 3%，一年后是多少？",
    "Who won the 1998 football World Cup?",
    "H100 的显存带宽是多少？",
]
REQUEST_TIMEOUT_S = 180.0


class Endpoint(BaseModel):
    """Latency and status counts of one kind of request."""

    name: str
    requests: int
    non_2xx: int
    server_errors: int = Field(description="Responses with a 5xx status.")
    failed: int = Field(description="Requests that got no response (connection refused, reset, timeout).")
    p50_ms: float
    p95_ms: float
    p99_ms: float


class Verification(BaseModel):
    """What ``GET /api/documents`` showed after the run."""

    before: int
    after: int
    duplicated_ids: list[str]
    lost_ids: list[str]
    upload_listed: int = Field(description="How often the single upload is listed (1 is right).")
    twin_listed: int = Field(description="How often the document sent twice at once is listed (1 is right).")
    twin_statuses: list[int]
    twin_same_id: bool
    processes_agree: bool = Field(True, description="Every --url listed the same document ids afterwards.")


class Summary(BaseModel):
    """The whole run."""

    clients: int
    asks_per_client: int
    seconds: float
    requests: int
    throughput_rps: float
    timed_out: bool
    endpoints: list[Endpoint]
    verification: Verification | None = None
    ok: bool


# --- the server ------------------------------------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_server(
    data_dir: Path, corpus: Path, *, seed: bool, embedder: str | None, deadline: float, log_dir: Path
) -> Iterator[str]:
    """uvicorn on a free loopback port over ``data_dir``; yields its URL once the index is open (and seeded)."""
    port = free_port()
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_SEED_CORPUS": str(corpus),
        "ASSISTANT_SEED_ON_START": "true" if seed else "false",
    }
    if embedder:
        env["ASSISTANT_EMBEDDER"] = embedder
    log_path = log_dir / f"server-{port}.log"
    args = ["--factory", "assistant.server.app:app_factory", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", *args], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(proc, url, seed=seed, deadline=deadline, log_path=log_path)
            yield url
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen, url: str, *, seed: bool, deadline: float, log_path: Path) -> None:
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            health = httpx.get(f"{url}/healthz", timeout=5).json()
            if (
                health.get("status") == "ok"
                and not health.get("seeding")
                and (health["documents"] or not seed)
            ):
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(
                f"the server was not ready in time:\n{log_path.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.3)


# --- the clients -----------------------------------------------------------------------------------------------
class Recorder:
    """Thread-safe record of (endpoint, status or None, seconds)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[str, int | None, float]] = []

    def call(
        self, name: str, fn: httpx.Client, method: str, path: str, **kw: object
    ) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            r: httpx.Response | None = fn.request(method, path, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError:
            r = None
        with self.lock:
            self.rows.append((name, None if r is None else r.status_code, time.perf_counter() - t0))
        return r


def load_questions(path: Path = DEV_QA) -> list[str]:
    """The dev questions (when the shared eval set is beside the repo) and a few of our own."""
    questions: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    return questions + OWN_QUESTIONS


def upload_bodies(run: str) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Two new Markdown notes unique to this run: one sent once, one sent twice at once."""
    single = (
        f"# Load test note {run}\n\nThe load test cluster {run} has 4096 GPUs and cost $12.5M to build.\n"
    )
    twin = f"# 压测笔记 {run}\n\n压测集群 {run} 共有 2048 张 GPU，租金为每小时 2 美元。\n"
    return (f"loadtest-{run}.md", single.encode()), (f"loadtest-twin-{run}.md", twin.encode())


def run_load(
    url: str | list[str], *, clients: int, asks: int, deadline: float, upload: bool, headers: dict[str, str]
) -> Summary:
    """Run the clients against ``url`` (or take turns across several) and verify the document list afterwards."""
    urls = [url] if isinstance(url, str) else url
    url = urls[0]
    questions = load_questions()
    rec = Recorder()
    total = clients * asks
    done = 0
    done_lock = threading.Lock()
    halfway = threading.Event()
    run = uuid.uuid4().hex[:10]
    (single_name, single), (twin_name, twin) = upload_bodies(run)
    results: dict[str, list[httpx.Response | None]] = {"single": [], "twin": []}

    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S, headers=headers) as admin:
        before = admin.get("/api/documents").raise_for_status().json()["documents"]

    def client(n: int) -> None:
        nonlocal done
        with httpx.Client(base_url=urls[n % len(urls)], timeout=REQUEST_TIMEOUT_S, headers=headers) as http:
            for i in range(asks):
                if time.monotonic() > deadline:
                    return
                question = questions[(n * asks + i) % len(questions)]
                rec.call("POST /api/ask", http, "POST", "/api/ask", json={"question": question})
                with done_lock:
                    done += 1
                    if done * 2 >= total:
                        halfway.set()

    def send(key: str, name: str, body: bytes, barrier: threading.Barrier | None = None, to: int = 0) -> None:
        with httpx.Client(base_url=urls[to % len(urls)], timeout=REQUEST_TIMEOUT_S, headers=headers) as http:
            if barrier is not None:
                barrier.wait()
            files = {"file": (name, body, "text/markdown")}
            results[key].append(rec.call("POST /api/documents", http, "POST", "/api/documents", files=files))

    def uploader() -> None:
        if not halfway.wait(max(0.0, deadline - time.monotonic())):
            return
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=("single", single_name, single))]
        threads += [threading.Thread(target=send, args=("twin", twin_name, twin, barrier, i)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,), name=f"client-{n}") for n in range(clients)]
    if upload:
        workers.append(threading.Thread(target=uploader, name="uploader"))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - started
    timed_out = time.monotonic() > deadline

    listings = []
    for each in urls:
        with httpx.Client(base_url=each, timeout=REQUEST_TIMEOUT_S, headers=headers) as admin:
            listings.append(rec.call("GET /api/documents", admin, "GET", "/api/documents"))
    after = listings[0]
    verification = None
    if all(r is not None and r.status_code == 200 for r in listings) and after is not None:
        verification = verify(before, after.json()["documents"], results, single_name, twin_name)
        ids = [sorted(d["id"] for d in r.json()["documents"]) for r in listings if r is not None]
        verification.processes_agree = all(i == ids[0] for i in ids)
    endpoints = summarize(rec.rows)
    requests = len(rec.rows)
    bad = any(e.server_errors or e.failed for e in endpoints)
    ok = not bad and verification is not None and _verified(verification, sent=bool(results["single"]))
    return Summary(
        clients=clients, asks_per_client=asks, seconds=round(seconds, 2), requests=requests,
        throughput_rps=round(requests / seconds, 2) if seconds else 0.0, timed_out=timed_out,
        endpoints=endpoints, verification=verification, ok=ok,
    )  # fmt: skip


def verify(
    before: list[dict], after: list[dict], results: dict[str, list[httpx.Response | None]], single_name: str,
    twin_name: str,
) -> Verification:  # fmt: skip
    """Compare the document lists before and after the run."""
    ids = [d["id"] for d in after]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    lost = sorted({d["id"] for d in before} - set(ids))
    twin_ids = [r.json()["document"]["id"] for r in results["twin"] if r is not None and r.status_code < 300]
    return Verification(
        before=len(before),
        after=len(after),
        duplicated_ids=duplicated,
        lost_ids=lost,
        upload_listed=sum(d.get("uploaded_name") == single_name for d in after),
        twin_listed=sum(d.get("uploaded_name") == twin_name for d in after),
        twin_statuses=sorted(r.status_code if r is not None else 0 for r in results["twin"]),
        twin_same_id=len(twin_ids) == 2 and len(set(twin_ids)) == 1,
    )


def _verified(v: Verification, *, sent: bool) -> bool:
    if v.duplicated_ids or v.lost_ids or not v.processes_agree:
        return False
    if not sent:  # --no-upload, or the time limit came before halfway
        return v.after == v.before
    return v.upload_listed == 1 and v.twin_listed == 1 and v.twin_same_id and v.after == v.before + 2


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least the first
    return ordered[int(rank) - 1]


def summarize(rows: list[tuple[str, int | None, float]]) -> list[Endpoint]:
    """Per-endpoint counts and latency percentiles, plus an "all" row."""
    names = list(dict.fromkeys(name for name, _, _ in rows)) + ["all"]
    out = []
    for name in names:
        mine = [r for r in rows if name in ("all", r[0])]
        ms = [s * 1000 for _, _, s in mine]
        out.append(
            Endpoint(
                name=name,
                requests=len(mine),
                non_2xx=sum(1 for _, st, _ in mine if st is None or not 200 <= st < 300),
                server_errors=sum(1 for _, st, _ in mine if st is not None and st >= 500),
                failed=sum(1 for _, st, _ in mine if st is None),
                p50_ms=round(percentile(ms, 50), 1),
                p95_ms=round(percentile(ms, 95), 1),
                p99_ms=round(percentile(ms, 99), 1),
            )
        )
    return out


def render(summary: Summary) -> str:
    """The printed table and the verification lines."""
    head = ("endpoint", "requests", "non-2xx", "5xx", "no reply", "p50 ms", "p95 ms", "p99 ms")
    rows = [head] + [
        (e.name, str(e.requests), str(e.non_2xx), str(e.server_errors), str(e.failed), f"{e.p50_ms:.1f}",
         f"{e.p95_ms:.1f}", f"{e.p99_ms:.1f}")
        for e in summary.endpoints
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        f"{summary.clients} clients x {summary.asks_per_client} asks: {summary.requests} requests in "
        f"{summary.seconds:.1f} s = {summary.throughput_rps:.2f} req/s"
        + (" (stopped by the time limit)" if summary.timed_out else "")
    ]
    lines += [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    v = summary.verification
    if v is None:
        lines.append("documents: could not be listed after the run")
    else:
        lines.append(
            f"documents: {v.before} before, {v.after} after; duplicated ids {len(v.duplicated_ids)}, lost "
            f"{len(v.lost_ids)}; upload listed {v.upload_listed}x; same bytes sent twice at once: listed "
            f"{v.twin_listed}x, statuses {v.twin_statuses}, same id {v.twin_same_id}; every process lists the "
            f"same documents {v.processes_agree}"
        )
    lines.append("result: " + ("OK" if summary.ok else "FAILED"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--asks", type=int, default=50, help="questions per client (default 50)")
    parser.add_argument(
        "--time-limit", type=float, default=900.0, help="seconds for the whole run (default 900)"
    )
    parser.add_argument(
        "--url", action="append", help="target this running server instead of starting one (repeat: several)"
    )
    parser.add_argument(
        "--corpus", type=Path, default=REPO / "corpus", help="folder to seed a fresh server from"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="server data folder to use (kept); default a temporary one"
    )
    parser.add_argument("--no-seed", action="store_true", help="do not seed the server's index on start")
    parser.add_argument("--embedder", help="ASSISTANT_EMBEDDER for the started server (e.g. hash)")
    parser.add_argument("--no-upload", action="store_true", help="only ask; upload nothing")
    parser.add_argument("--token", help="bearer token for a server that needs one")
    parser.add_argument("--json", type=Path, help="also write the summary as JSON here")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 256 and 1 <= args.asks <= 10_000):
        parser.error("--clients must be 1..256 and --asks 1..10000")
    deadline = time.monotonic() + args.time_limit
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    options = {"clients": args.clients, "asks": args.asks, "upload": not args.no_upload, "headers": headers}

    if args.url:
        summary = run_load([u.rstrip("/") for u in args.url], deadline=deadline, **options)
    else:
        with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
            data_dir = args.data_dir or Path(tmp) / "data"
            seed = not args.no_seed
            server = local_server(
                data_dir, args.corpus, seed=seed, embedder=args.embedder, deadline=deadline, log_dir=Path(tmp)
            )
            with server as url:
                summary = run_load(url, deadline=deadline, **options)
    print(render(summary))
    if args.json:
        args.json.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
