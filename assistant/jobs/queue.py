"""The ingest job queue: a PostgreSQL table that API processes and the CLI add to and ``assistant worker``
processes take from.

A worker claims the oldest open job with ``SELECT ... FOR UPDATE SKIP LOCKED`` (so two workers never claim the
same one) and holds it by a lease it renews with heartbeats. A job whose lease ran out (its worker died or lost
the database) is open again and the next worker claims it; ingesting is idempotent per file (document ids come
from the path, unchanged content embeds nothing), so a re-run adds no duplicate. After ``MAX_ATTEMPTS`` claims
a job is failed rather than handed out forever.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.errors import NotFoundError
from assistant.index.registry_pg import PgRegistry
from assistant.models import IngestReport

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
JobState = Literal["queued", "running", "done", "failed"]

_COLUMNS = (
    "id, name, path, content_hash, state, attempts, worker, stage, done, total, doc_id, result, error, "
    "created_at, updated_at"
)


class Job(BaseModel):
    """One file to ingest and how far it got."""

    id: int
    name: str = Field(description="The file name shown to people (an upload's original name, or the path).")
    path: str | None = Field(None, description="The file a worker reads; None for uploads, whose bytes are stored.")
    content_hash: str | None = None
    state: JobState
    attempts: int = Field(description="How many times a worker claimed it (more than 1: a worker died).")
    worker: str | None = None
    stage: str = Field(description="queued, loading, embedding, writing, done or failed.")
    done: int = Field(0, description="Units of the current stage finished (chunks while embedding).")
    total: int = Field(0, description="Units of the current stage.")
    doc_id: str | None = Field(None, description="The document the job produced (or found already indexed).")
    report: IngestReport | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def _job(row: tuple) -> Job:
    keys = [c.strip() for c in _COLUMNS.split(",")]
    data = dict(zip(keys, row, strict=True))
    result = data.pop("result")
    data["report"] = IngestReport.model_validate_json(result) if result else None
    return Job.model_validate(data)


class JobQueue:
    """Enqueue, claim, heartbeat, report progress, finish. Every call is one short transaction."""

    def __init__(self, registry: PgRegistry, *, lease_s: float = 30.0) -> None:
        self.registry = registry
        self.lease_s = lease_s

    def _con(self) -> Any:
        return self.registry.connection()

    # --- adding -----------------------------------------------------------------------------------
    def enqueue_path(self, path: str) -> Job:
        """A job for a file every worker can read at ``path``."""
        with self._con() as con:
            row = con.execute(
                f"INSERT INTO jobs (name, path) VALUES (%s, %s) RETURNING {_COLUMNS}", (path, path)
            ).fetchone()
        return _job(row)

    def enqueue_upload(self, name: str, data: bytes, content_hash: str) -> tuple[Job, bool]:
        """A job for uploaded bytes (stored in the job). While a job for the same content is open, that job is
        returned instead (False: not new), so simultaneous uploads of one file end in one document."""
        with self._con() as con:
            row = con.execute(
                f"INSERT INTO jobs (name, payload, content_hash) VALUES (%s, %s, %s) "
                f"ON CONFLICT (content_hash) WHERE state IN ('queued', 'running') DO NOTHING RETURNING {_COLUMNS}",
                (name, data, content_hash),
            ).fetchone()
            if row is not None:
                return _job(row), True
            row = con.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE content_hash = %s AND state IN ('queued', 'running')",
                (content_hash,),
            ).fetchone()
        if row is None:  # it finished between the two statements: a new job finds the document indexed
            return self.enqueue_upload(name, data, content_hash)
        return _job(row), False

    # --- reading ----------------------------------------------------------------------------------
    def get(self, job_id: int) -> Job:
        with self._con() as con:
            row = con.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = %s", (job_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no job with id {job_id}")
        return _job(row)

    def recent(self, limit: int = 50) -> list[Job]:
        """The open jobs and the latest finished ones, newest first."""
        with self._con() as con:
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM jobs ORDER BY (state IN ('queued', 'running')) DESC, id DESC LIMIT %s",
                (limit,),
            ).fetchall()
        return [_job(r) for r in rows]

    def payload(self, job_id: int) -> bytes | None:
        with self._con() as con:
            row = con.execute("SELECT payload FROM jobs WHERE id = %s", (job_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    # --- working ----------------------------------------------------------------------------------
    def claim(self, worker: str) -> Job | None:
        """Take the oldest queued job, or a running one whose lease expired; None when there is nothing."""
        with self._con() as con:
            con.execute(
                "UPDATE jobs SET state = 'failed', stage = 'failed', updated_at = now(), "
                "error = 'its worker stopped ' || attempts || ' times while ingesting it' "
                "WHERE state = 'running' AND lease_until < now() AND attempts >= %s",
                (MAX_ATTEMPTS,),
            )
            row = con.execute(
                f"""UPDATE jobs SET state = 'running', worker = %s, attempts = attempts + 1, stage = 'loading',
                    lease_until = now() + make_interval(secs => %s), updated_at = now()
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                    ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1
                ) RETURNING {_COLUMNS}""",
                (worker, self.lease_s),
            ).fetchone()
        if row is None:
            return None
        job = _job(row)
        if job.attempts > 1:
            log.warning("job %d: taking over from a worker that stopped (attempt %d)", job.id, job.attempts)
        return job

    def heartbeat(self, job_id: int, worker: str) -> bool:
        """Renew the lease; False when the job is no longer this worker's."""
        with self._con() as con:
            cur = con.execute(
                "UPDATE jobs SET lease_until = now() + make_interval(secs => %s) "
                "WHERE id = %s AND worker = %s AND state = 'running'",
                (self.lease_s, job_id, worker),
            )
            return cur.rowcount == 1

    def progress(self, job_id: int, worker: str, stage: str, done: int, total: int) -> None:
        with self._con() as con:
            con.execute(
                "UPDATE jobs SET stage = %s, done = %s, total = %s, updated_at = now(), "
                "lease_until = now() + make_interval(secs => %s) WHERE id = %s AND worker = %s AND state = 'running'",
                (stage, done, total, self.lease_s, job_id, worker),
            )

    def finish(self, job_id: int, worker: str, report: IngestReport, doc_id: str | None, error: str | None) -> None:
        """Mark the job done (or failed, with ``error``) and drop its stored bytes."""
        state = "failed" if error else "done"
        with self._con() as con:
            con.execute(
                "UPDATE jobs SET state = %s, stage = %s, result = %s, doc_id = %s, error = %s, payload = NULL, "
                "done = CASE WHEN %s THEN done ELSE total END, lease_until = NULL, updated_at = now() "
                "WHERE id = %s AND worker = %s",
                (state, state, report.model_dump_json(), doc_id, error, bool(error), job_id, worker),
            )


def wait_for(queue: JobQueue, job_id: int, timeout_s: float, *, poll_s: float = 0.2) -> Job:
    """The job once it finished, or as it stands when ``timeout_s`` ran out."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        job = queue.get(job_id)
        if job.finished or time.monotonic() >= deadline:
            return job
        time.sleep(poll_s)


def queue_for(registry: object, lease_s: float = 30.0) -> JobQueue:
    """The job queue of a registry; only the PostgreSQL registry has one (``ASSISTANT_DATABASE_URL``)."""
    from assistant.errors import InputError

    if not isinstance(registry, PgRegistry):
        raise InputError("ingest jobs need a server database: set ASSISTANT_DATABASE_URL=postgresql://...")
    return JobQueue(registry, lease_s=lease_s)
