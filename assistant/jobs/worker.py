"""``assistant worker``: claim ingest jobs one at a time and run them, on any host that reaches the database
and the Chroma server.

Per job: load and chunk the file and embed its chunks into the shared embedding cache *outside* the writer
lock (several workers embed at once, and a worker that dies leaves its finished batches for the next one), then
ingest it under the writer lock with the usual per-document write protocol, which finds every vector cached.
A heartbeat thread renews the job's lease while it runs.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from pathlib import Path

from assistant.errors import AssistantError
from assistant.index.store import Index
from assistant.jobs.queue import Job, JobQueue
from assistant.models import IngestReport

log = logging.getLogger(__name__)


def worker_name() -> str:
    """host:pid, as shown in a job's ``worker`` field."""
    return f"{socket.gethostname()}:{os.getpid()}"


def upload_file_name(content_hash: str, original_name: str) -> str:
    """The file an upload's bytes are written to: named by content (the same path, hence the same document id,
    on every host and every retry) with the original suffix; 32 hex characters like the server's uploads."""
    return content_hash[:32] + Path(original_name).suffix.lower()


class Worker:
    """Runs jobs from ``queue`` against ``index``; uploaded bytes are written under ``uploads``."""

    def __init__(self, index: Index, queue: JobQueue, *, uploads: Path, name: str | None = None) -> None:
        self.index = index
        self.queue = queue
        self.uploads = uploads
        self.name = name or worker_name()

    def run(self, stop: threading.Event, *, poll_s: float = 1.0, max_jobs: int | None = None) -> int:
        """Take jobs until ``stop`` is set (or ``max_jobs`` ran); return how many ran."""
        ran = 0
        while not stop.is_set() and (max_jobs is None or ran < max_jobs):
            job = self.queue.claim(self.name)
            if job is None:
                stop.wait(poll_s)
                continue
            self.process(job)
            ran += 1
        return ran

    def process(self, job: Job) -> None:
        """Run one claimed job to done or failed."""
        beating = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job.id, beating), name=f"job-{job.id}", daemon=True)
        beat.start()
        try:
            report, doc_id = self._ingest(job)
            error = report.failed[0].error if report.failed else None
        except (AssistantError, OSError, UnicodeError, ValueError) as exc:
            log.warning("job %d (%s) failed: %s", job.id, job.name, exc)
            report, doc_id, error = IngestReport(), None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        except Exception as exc:  # a failure while working: logged with its trace, the job says what happened
            log.exception("job %d (%s) failed", job.id, job.name)
            report, doc_id, error = IngestReport(), None, f"{type(exc).__name__}: {exc}"
        finally:
            beating.set()
            beat.join()
        self.queue.finish(job.id, self.name, report, doc_id, error)
        log.info("job %d (%s): %s", job.id, job.name, error or report.model_dump(exclude={"failed"}))

    def _heartbeat(self, job_id: int, stop: threading.Event) -> None:
        while not stop.wait(self.queue.lease_s / 3):
            try:
                if not self.queue.heartbeat(job_id, self.name):
                    log.warning("job %d is no longer held by this worker", job_id)
            except Exception:  # the next beat tries again; the lease has slack for a missed one
                log.warning("heartbeat for job %d failed", job_id, exc_info=True)

    def _ingest(self, job: Job) -> tuple[IngestReport, str | None]:
        from assistant.ingest.pipeline import document_id, embed_ahead, ingest_paths

        registry = self.index.registry
        if job.content_hash:
            known = registry.document_by_hash(job.content_hash)
            if known is not None:  # indexed already (by another upload, or by this job before its worker died)
                return IngestReport(unchanged=1), known.id
        path = Path(job.path) if job.path else self._materialise(job)

        def progress(stage: str, done: int, total: int) -> None:
            self.queue.progress(job.id, self.name, stage, done, total)

        embed_ahead(self.index, path, progress=progress)
        progress("writing", 0, 1)
        report = ingest_paths(self.index, [path])
        if report.failed:
            return report, None
        doc_id = document_id(path)
        return report, doc_id if doc_id in registry.doc_versions() else None

    def _materialise(self, job: Job) -> Path:
        """Write an upload job's stored bytes to its file (and the sidecar with the original name)."""
        data = self.queue.payload(job.id)
        if data is None or not job.content_hash:
            raise AssistantError(f"job {job.id} has no stored file")
        self.uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self.uploads / upload_file_name(job.content_hash, job.name)
        if not target.exists():
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(data)
            partial.replace(target)
        # the sidecar the server's documents view reads (assistant.server.uploads.UploadMeta)
        sidecar = target.with_name(target.name + ".meta.json")
        sidecar.write_text(json.dumps({"original_name": job.name, "bytes": len(data)}), encoding="utf-8")
        return target
