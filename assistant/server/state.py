"""What the app holds while it runs: the one Assistant, the ingest lock and the first-run seeding."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from starlette.exceptions import HTTPException

from assistant import Assistant
from assistant.server.pages import PageRenders
from assistant.server.uploads import UploadStore
from assistant.settings import Settings

log = logging.getLogger(__name__)

REPO_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@dataclass
class ServerState:
    """Shared by every request of one app (one per worker process)."""

    settings: Settings
    uploads: UploadStore
    assistant: Assistant | None = None
    owns_assistant: bool = False
    # Ingest writes to the index and registry; one at a time per process. Reads go on concurrently.
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    seeding: bool = False
    seed_progress: str | None = None
    seed_thread: threading.Thread | None = None
    page_renders: PageRenders = field(default_factory=PageRenders)

    def indexing(self) -> str | None:
        """How far the first-run ingest has got while it runs ("embed 120/900", "starting"); None otherwise."""
        if not self.seeding:
            return None
        return self.seed_progress or "starting"


def get_state(request: Request) -> ServerState:
    """The app's state (a FastAPI dependency)."""
    return request.app.state.server


def get_assistant(request: Request) -> Assistant:
    """The app's Assistant (a FastAPI dependency); 503 while it is still being opened."""
    assistant = get_state(request).assistant
    if assistant is None:
        raise HTTPException(status_code=503, detail="the index is still opening; try again in a moment")
    return assistant


def seed_folder(settings: Settings) -> Path | None:
    """The folder to ingest into an empty index on first start, or None when seeding is off or it is missing."""
    if not settings.seed_on_start:
        return None
    if settings.uses_database_server:  # a team's index is filled by `assistant ingest` jobs, not by each API process
        log.info("server database: no seeding at start (queue the corpus with `assistant ingest`)")
        return None
    folder = settings.seed_corpus or REPO_CORPUS
    if not folder.is_dir():
        log.info("no seed corpus at %s; starting with an empty index", folder)
        return None
    return folder


@contextlib.contextmanager
def _process_lock(path: Path) -> Iterator[bool]:
    """An exclusive, non-blocking lock file, so only one of several workers seeds the shared data folder."""
    try:
        import fcntl
    except ImportError:  # no fcntl on Windows: a single worker is assumed there
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_seed(state: ServerState, folder: Path) -> None:
    """Ingest ``folder`` if the index is still empty or an earlier seed was cut short (runs in a background
    thread). A marker file in the data folder stands while the seed runs, so a server stopped mid-seed finishes it
    at its next start; documents already indexed are skipped then."""
    assistant = state.assistant
    assert assistant is not None
    pending = _pending(state.settings)
    try:
        with _process_lock(state.settings.data_dir / ".seed.lock") as mine, state.ingest_lock:
            if not mine or not _wants_seed(assistant, state.settings):
                return
            log.info("ingesting the bundled corpus at %s", folder)
            pending.touch()

            def progress(stage: str, done: int, total: int) -> None:
                state.seed_progress = f"{stage} {done}/{total}"

            report = assistant.ingest([folder], progress=progress)
            pending.unlink(missing_ok=True)
            log.info(
                "seeded %d documents (%d failed) in %.1f s", report.added, len(report.failed), report.seconds
            )
    except Exception:
        log.exception("ingesting the seed corpus failed")
    finally:
        state.seeding = False
        state.seed_progress = None


def start_seeding(state: ServerState) -> None:
    """Start ingesting the seed corpus in the background when the index is empty or a seed was cut short."""
    assistant = state.assistant
    folder = seed_folder(state.settings)
    if assistant is None or folder is None or not _wants_seed(assistant, state.settings):
        return
    state.seeding = True
    state.seed_thread = threading.Thread(
        target=run_seed, args=(state, folder), name="seed-corpus", daemon=True
    )
    state.seed_thread.start()


def _pending(settings: Settings) -> Path:
    """The marker a seed leaves in the data folder until it has finished."""
    return settings.data_dir / ".seed.pending"


def _wants_seed(assistant: Assistant, settings: Settings) -> bool:
    return not assistant.documents() or _pending(settings).exists()
