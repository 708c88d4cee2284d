"""Ingest jobs over the server database: uploads become jobs for ``assistant worker`` processes, and their
progress can be followed here. Without ``ASSISTANT_DATABASE_URL`` these routes answer 422 and uploads are
ingested in the API process as before."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile, status
from pydantic import BaseModel

from assistant import Assistant
from assistant.errors import InputError
from assistant.jobs.queue import Job, JobQueue, queue_for, wait_for
from assistant.models import IngestReport
from assistant.server.handlers import ERROR_RESPONSES
from assistant.server.present import document_info
from assistant.server.schemas import ALLOWED_UPLOAD_SUFFIXES, UploadResponse
from assistant.server.state import ServerState, get_assistant, get_state
from assistant.server.uploads import clean_name, file_sha256

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=ERROR_RESPONSES)

AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StateDep = Annotated[ServerState, Depends(get_state)]


class JobList(BaseModel):
    """Open jobs first, then the latest finished ones."""

    jobs: list[Job]


def _queue(assistant: Assistant, state: ServerState) -> JobQueue:
    if not state.settings.uses_database_server:
        queue_for(None)  # raises the one message for "no server database"
    return queue_for(assistant.index.registry, state.settings.job_lease_s)


@router.get("", response_model=JobList, summary="List ingest jobs")
def list_jobs(
    assistant: AssistantDep, state: StateDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> JobList:
    """The open ingest jobs and the latest finished ones, newest first."""
    return JobList(jobs=_queue(assistant, state).recent(limit))


@router.get("/{job_id}", response_model=Job, summary="One ingest job's progress")
def get_job(job_id: int, assistant: AssistantDep, state: StateDep) -> Job:
    """State (queued, running, done, failed), stage and chunks embedded so far, and the document it produced."""
    return _queue(assistant, state).get(job_id)


@router.post("", response_model=Job, status_code=status.HTTP_202_ACCEPTED, summary="Upload a file as a job")
def create_job(
    assistant: AssistantDep,
    state: StateDep,
    file: Annotated[UploadFile, File(description=f"One file: {', '.join(ALLOWED_UPLOAD_SUFFIXES)}.")],
) -> Job:
    """Queue the file for the ingest workers and answer at once; follow it at ``GET /api/jobs/{id}``."""
    return enqueue_upload(assistant, state, file)[0]


def _read_upload(state: ServerState, file: UploadFile) -> tuple[str, bytes, str]:
    """Check the upload like any other (type, size, not empty): its display name, bytes and SHA-256."""
    saved = state.uploads.save(file.file, file.filename)
    try:
        return clean_name(file.filename or saved.name), saved.read_bytes(), file_sha256(saved)
    finally:
        state.uploads.discard(saved)  # the worker writes its own copy from the job


def enqueue_upload(assistant: Assistant, state: ServerState, file: UploadFile) -> tuple[Job, bool]:
    """Store the upload's bytes in a new job, or join the open job for the same bytes (False)."""
    return _queue(assistant, state).enqueue_upload(*_read_upload(state, file))


def upload_as_job(assistant: Assistant, state: ServerState, response: Response, file: UploadFile) -> UploadResponse:
    """``POST /api/documents`` over the server database: the same answers as the in-process ingest (201 new,
    200 known), reached through a job; 202 with ``Location: /api/jobs/{id}`` if no worker finished it within
    ``upload_wait_s``."""
    name, data, digest = _read_upload(state, file)
    known = assistant.index.registry.document_by_hash(digest)
    if known is not None:
        response.status_code = status.HTTP_200_OK
        return UploadResponse(document=document_info(known, state.uploads), report=IngestReport(unchanged=1))
    queue = _queue(assistant, state)
    job, new = queue.enqueue_upload(name, data, digest)
    job = wait_for(queue, job.id, assistant.settings.upload_wait_s)
    if not job.finished:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/jobs/{job.id}"
        return UploadResponse(document=None, report=IngestReport())
    if job.state == "failed":
        raise InputError(f"the file could not be read: {job.error}")
    doc = assistant.index.document(job.doc_id) if job.doc_id else None
    # a client that joined another's open job for the same bytes hears "already indexed", as in-process
    report = (job.report or IngestReport()) if new else IngestReport(unchanged=1)
    response.status_code = status.HTTP_201_CREATED if report.added else status.HTTP_200_OK
    log.info("upload via job %d: %s", job.id, report.model_dump(exclude={"failed"}))
    return UploadResponse(document=document_info(doc, state.uploads) if doc else None, report=report)
