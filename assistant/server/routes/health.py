"""Liveness."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from assistant.server.schemas import Health
from assistant.server.state import ServerState, get_state

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness and index state")
async def healthz(state: Annotated[ServerState, Depends(get_state)]) -> Health:
    """``ok`` once the index is open, with the number of documents; open even when a token is configured."""
    # Read the flag before counting: "not seeding" must mean the count includes the whole seed corpus.
    seeding = state.seeding
    if state.assistant is None:
        return Health(status="starting", documents=None, seeding=seeding)
    count = len(await run_in_threadpool(state.assistant.documents))
    return Health(status="ok", documents=count, seeding=seeding)
