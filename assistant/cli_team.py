"""The team commands of the CLI: queue ingest jobs, follow them, run a worker (server database only)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from assistant.errors import InputError

log = logging.getLogger("assistant")


def enqueue_ingest(args: argparse.Namespace, settings: Any) -> int:
    """Against a server database: one job per file for the workers (which must read the files at these paths)."""
    from assistant.index.store import Index
    from assistant.ingest.ignore import iter_files
    from assistant.ingest.pipeline import ingest_paths
    from assistant.jobs.queue import queue_for

    index = Index.open(settings, reindex=args.reindex)
    try:
        queue = queue_for(index.registry, settings.job_lease_s)
        if args.prune:  # removing needs no embedding: done here, at once
            removed = ingest_paths(index, [], prune=True).removed
            print(f"removed {removed}", file=sys.stderr)
        jobs = [queue.enqueue_path(str(p.resolve())) for p in iter_files(list(args.paths))]
        if args.json and not args.wait:
            print(json.dumps([j.model_dump(mode="json") for j in jobs], ensure_ascii=False, indent=2))
        elif not args.quiet:
            print(f"queued {len(jobs)} jobs: {', '.join(str(j.id) for j in jobs[:20])}{' ...' if len(jobs) > 20 else ''}")
        if not args.wait:
            return 0
        return _wait_jobs(queue, [j.id for j in jobs], as_json=args.json, quiet=args.quiet)
    finally:
        index.close()


def _wait_jobs(queue: Any, ids: list[int], *, as_json: bool, quiet: bool) -> int:
    """Follow jobs to the end, one status line per change on stderr; exit 1 if any failed."""
    import time

    last: dict[int, str] = {}
    open_ids = list(ids)
    finished = []
    while open_ids:
        for job_id in list(open_ids):
            job = queue.get(job_id)
            line = _job_line(job)
            if not quiet and last.get(job_id) != line:
                print(line, file=sys.stderr)
                last[job_id] = line
            if job.finished:
                open_ids.remove(job_id)
                finished.append(job)
        if open_ids:
            time.sleep(0.5)
    if as_json:
        print(json.dumps([j.model_dump(mode="json") for j in finished], ensure_ascii=False, indent=2))
    return 1 if any(j.state == "failed" for j in finished) else 0


def _job_line(job: Any) -> str:
    where = f" {job.done}/{job.total}" if job.total else ""
    tail = f": {job.error}" if job.error else (f" -> {job.doc_id}" if job.doc_id else "")
    return f"job {job.id} {job.state} ({job.stage}{where}, attempt {job.attempts}) {job.name}{tail}"


def show_jobs(args: argparse.Namespace, settings: Any) -> int:
    from assistant.index.store import open_registry
    from assistant.jobs.queue import queue_for

    if not settings.uses_database_server:
        queue_for(None)  # the one message for "no server database"
    registry = open_registry(settings)
    try:
        queue = queue_for(registry, settings.job_lease_s)
        if args.wait:
            return _wait_jobs(queue, args.ids, as_json=args.json, quiet=False)
        jobs = [queue.get(i) for i in args.ids] if args.ids else queue.recent(args.limit)
        if args.json:
            print(json.dumps([j.model_dump(mode="json") for j in jobs], ensure_ascii=False, indent=2))
        else:
            for job in jobs:
                print(_job_line(job))
        return 0
    finally:
        registry.close()


def run_worker(args: argparse.Namespace, settings: Any) -> int:
    import signal
    import threading

    from assistant.index.store import Index
    from assistant.jobs.queue import queue_for
    from assistant.jobs.worker import Worker

    if not settings.uses_database_server:
        raise InputError("a worker needs the server database: set ASSISTANT_DATABASE_URL=postgresql://...")
    index = Index.open(settings)
    stop = threading.Event()
    # SIGTERM / Ctrl-C: finish the job at hand, then leave (a kill -9 leaves it to another worker's lease check)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    worker = Worker(index, queue_for(index.registry, settings.job_lease_s), uploads=settings.data_dir / "uploads")
    log.warning("worker %s waiting for ingest jobs", worker.name)
    try:
        ran = worker.run(stop, poll_s=args.poll, max_jobs=args.max_jobs)
    finally:
        index.close()
    log.warning("worker %s stopped after %d jobs", worker.name, ran)
    return 0
