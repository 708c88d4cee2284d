"""Ingest as jobs over PostgreSQL: claiming with leases, the worker, and a worker killed mid-document."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from helpers import assert_consistent

from assistant.index.store import Index
from assistant.jobs.queue import MAX_ATTEMPTS, JobQueue, queue_for
from assistant.jobs.worker import Worker
from assistant.settings import Settings

pytestmark = pytest.mark.postgres

NOTE = b"# Orion cluster note\n\nThe Orion cluster holds 4096 Blackwell accelerators in Reykjavik.\n"


def _expire(queue: JobQueue, job_id: int) -> None:
    """What a dead worker's silence does after ``job_lease_s``, without waiting for it."""
    with queue.registry.connection() as con:
        con.execute("UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = %s", (job_id,))


@pytest.fixture
def index(tmp_path: Path, pg_url: str) -> Index:
    idx = Index.open(Settings(data_dir=tmp_path / "idx", embedder="hash", database_url=pg_url))
    yield idx
    idx.close()


def test_claims_skip_locked_and_expired_leases_are_taken_over(index: Index) -> None:
    queue = queue_for(index.registry)
    first, second = queue.enqueue_path("/srv/a.md"), queue.enqueue_path("/srv/b.md")
    got = [queue.claim("w1"), queue.claim("w2"), queue.claim("w3")]
    assert [(j.id, j.worker, j.attempts) if j else None for j in got] == [
        (first.id, "w1", 1), (second.id, "w2", 1), None,
    ]
    assert queue.heartbeat(first.id, "w1") is True
    assert queue.heartbeat(first.id, "w2") is False
    _expire(queue, first.id)
    taken = queue.claim("w3")
    assert taken is not None and (taken.id, taken.worker, taken.attempts) == (first.id, "w3", 2)
    assert queue.heartbeat(first.id, "w1") is False  # the dead worker's lease is gone
    for attempt in range(3, MAX_ATTEMPTS + 1):
        _expire(queue, first.id)
        again = queue.claim(f"w{attempt + 1}")
        assert again is not None and again.attempts == attempt
    _expire(queue, first.id)
    assert queue.claim("w9") is None  # a file that kills its workers is not handed out forever
    failed = queue.get(first.id)
    assert (failed.state, failed.error) == ("failed", f"its worker stopped {MAX_ATTEMPTS} times while ingesting it")


def test_the_same_upload_twice_while_open_is_one_job(index: Index) -> None:
    queue = queue_for(index.registry)
    digest = hashlib.sha256(NOTE).hexdigest()
    one, new_one = queue.enqueue_upload("orion.md", NOTE, digest)
    two, new_two = queue.enqueue_upload("copy of orion.md", NOTE, digest)
    assert (new_one, new_two, two.id) == (True, False, one.id)


def test_a_worker_runs_upload_and_path_jobs(tmp_path: Path, index: Index) -> None:
    queue = queue_for(index.registry)
    path = tmp_path / "zh.txt"
    path.write_text("青松数据中心部署了八千张推理加速卡。\n", encoding="utf-8")
    upload, _ = queue.enqueue_upload("orion.md", NOTE, hashlib.sha256(NOTE).hexdigest())
    by_path = queue.enqueue_path(str(path))
    missing = queue.enqueue_path(str(tmp_path / "gone.md"))
    worker = Worker(index, queue, uploads=tmp_path / "uploads", name="w1")
    assert worker.run(threading.Event(), max_jobs=3) == 3
    jobs = [queue.get(j.id) for j in (upload, by_path, missing)]
    assert [(j.state, j.stage, j.attempts) for j in jobs] == [("done", "done", 1)] * 2 + [("failed", "failed", 1)]
    assert jobs[0].report is not None and (jobs[0].report.added, jobs[0].report.chunks_added) == (1, 1)
    assert {index.document(j.doc_id).title for j in jobs[:2] if j.doc_id} == {"Orion cluster note", "青松数据中心部署了八千张推理加速卡。"}
    assert jobs[2].error == "cannot read file: No such file or directory"
    assert queue.payload(upload.id) is None  # stored bytes are dropped once done
    # the same bytes again: the worker finds the document and adds nothing
    again, _ = queue.enqueue_upload("again.md", NOTE, hashlib.sha256(NOTE).hexdigest())
    assert worker.run(threading.Event(), max_jobs=1) == 1
    done = queue.get(again.id)
    assert (done.doc_id, done.report.unchanged if done.report else None) == (jobs[0].doc_id, 1)
    assert len(index.documents()) == 2
    assert_consistent(_facade(index))


def _facade(index: Index) -> object:
    from assistant import Assistant

    return Assistant(index.settings, index=index)


def test_a_worker_killed_mid_document_loses_and_duplicates_nothing(
    tmp_path: Path, pg_url: str, chroma_url: str
) -> None:
    url = urlparse(chroma_url)
    collection = f"t-{uuid.uuid4().hex[:12]}"
    long_doc = tmp_path / "long.md"
    paragraphs = [f"Paragraph {i}: cluster {i} ran {i * 37} accelerators for {i % 29} days." * 6 for i in range(2500)]
    long_doc.write_text("# Long report\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    env = {
        **os.environ, "ASSISTANT_DATABASE_URL": pg_url, "ASSISTANT_CHROMA_HOST": url.hostname or "",
        "ASSISTANT_CHROMA_PORT": str(url.port), "ASSISTANT_COLLECTION": collection, "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_DATA_DIR": str(tmp_path / "w1"), "ASSISTANT_JOB_LEASE_S": "3",
    }
    settings = Settings(
        data_dir=tmp_path / "w2", embedder="hash", database_url=pg_url, chroma_host=url.hostname,
        chroma_port=url.port or 8000, collection=collection,
    )
    index = Index.open(settings)
    queue = queue_for(index.registry)
    job = queue.enqueue_path(str(long_doc))
    child = subprocess.Popen([sys.executable, "-m", "assistant.cli", "worker", "--poll", "0.1"], env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            seen = queue.get(job.id)
            if seen.stage == "embedding" and 0 < seen.done < seen.total:
                break
            assert not seen.finished, "the worker finished before it could be stopped mid-document"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    stopped_at = queue.get(job.id)
    assert (stopped_at.state, stopped_at.attempts) == ("running", 1)

    _expire(queue, job.id)
    worker = Worker(index, queue, uploads=tmp_path / "uploads", name="w2")
    assert worker.run(threading.Event(), max_jobs=1) == 1
    done = queue.get(job.id)
    assert (done.state, done.worker, done.attempts) == ("done", "w2", 2)
    assert done.report is not None and done.report.added == 1
    docs = index.documents()
    assert [d.title for d in docs] == ["Long report"]
    assert index.vectors.count() == docs[0].chunks  # every chunk once, no vector left over from the dead worker
    assert_consistent(_facade(index))
    index.vectors.reset(embedder_name="hash", dim=index.embedder.dim)
    index.close()
