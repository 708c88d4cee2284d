"""Asking questions (plain and streamed as server-sent events) and checking drafts."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from assistant import Assistant
from assistant.ask.followup import parse_history
from assistant.errors import InputError, TooLargeError
from assistant.models import Answer, CheckReport
from assistant.server.handlers import ERROR_RESPONSES, error_type
from assistant.server.present import answer_view, check_view
from assistant.server.schemas import AskRequest, CheckRequest, DeltaEvent, ErrorResponse, Stage, StageEvent
from assistant.server.state import ServerState, get_assistant, get_state

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["ask"], responses=ERROR_RESPONSES)

HEARTBEAT_S = 1.0
# Split after sentence ends (Chinese and Latin) and newlines, keeping every character, so deltas rejoin exactly.
_PIECES = re.compile(r".*?(?:[。！？；!?]|[.;:](?=\s)|\n|$)", re.S)

AssistantDep = Annotated[Assistant, Depends(get_assistant)]
StateDep = Annotated[ServerState, Depends(get_state)]


def _json_error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(ErrorResponse)}}}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _event(name: str, model: type[BaseModel]) -> dict[str, Any]:
    data = {"type": "string", "contentMediaType": "application/json", "contentSchema": _ref(model)}
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"const": name}, "data": data},
    }


# The stream's errors before it starts are JSON, not events; FastAPI would file them under text/event-stream.
STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events, in order: `stage` (StageEvent) one or more times, `delta` (DeltaEvent) "
        "pieces of the answer text, one `answer` (Answer), a final `stage` 'done'; or an `error` (ErrorResponse) "
        "if answering fails after the stream began. Each event is `event: NAME` and `data: JSON`.",
        "content": {
            "text/event-stream": {
                # OpenAPI 3.2's per-event schema: each event's name and its JSON payload.
                "itemSchema": {
                    "oneOf": [
                        _event("stage", StageEvent),
                        _event("delta", DeltaEvent),
                        _event("answer", Answer),
                        _event("error", ErrorResponse),
                    ]
                }
            }
        },
    },
    **{code: _json_error(spec["description"]) for code, spec in ERROR_RESPONSES.items()},
}
# Named in the event schemas above; app.py adds them to the schema's components.
STREAM_EVENT_MODELS: tuple[type[BaseModel], ...] = (StageEvent, DeltaEvent)


class EventStreamResponse(StreamingResponse):
    """A streamed ``text/event-stream`` response (server-sent events)."""

    media_type = "text/event-stream"


@router.post("/ask", response_model=Answer, summary="Answer a question with citations")
def ask(body: AskRequest, assistant: AssistantDep, state: StateDep) -> Answer:
    """Answer a question from the indexed documents (or a calculator), citing the passages used.

    ``status`` is ``not_found`` when the documents do not answer it; ``related`` then lists the closest passages.
    """
    answer = assistant.ask(body.question, filters=body.filters, history=_history(body))
    return answer_view(answer, state.uploads, state.indexing())


@router.post(
    "/ask/stream",
    response_class=EventStreamResponse,
    responses=STREAM_RESPONSES,
    summary="Answer a question, streaming progress and the answer as server-sent events",
)
async def ask_stream(body: AskRequest, assistant: AssistantDep, state: StateDep) -> EventStreamResponse:
    """Like ``POST /api/ask`` but streamed: ``stage`` events as the work goes (``reading`` with the question as
    read, ``searching``, ``found`` with the number of passages, ``writing``), ``delta`` pieces of the answer text,
    then one ``answer`` event with the complete answer. Bad input is refused with a normal 4xx before the stream
    starts; a failure after that arrives as an ``error`` event.
    """
    _check_text(body.question, state.settings.max_question_chars, "question")
    parse_history(_history(body), max_question_chars=state.settings.max_question_chars)
    return EventStreamResponse(
        _answer_events(assistant, body, state),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/check", response_model=CheckReport, summary="Check the figures of a draft against the sources")
def check(body: CheckRequest, assistant: AssistantDep, state: StateDep) -> CheckReport:
    """Find each figure in the draft and mark it supported, contradicted or unverifiable by the sources, with the
    evidence; recompute the arithmetic the draft implies between its own figures.
    """
    return check_view(assistant.check(body.text), state.uploads)


def _history(body: AskRequest) -> list[dict[str, str]] | None:
    return [t.model_dump() for t in body.history] or None


def _check_text(text: str, limit: int, what: str) -> None:
    # The facade checks this too, but a stream has already sent 200 when the facade runs.
    if not text.strip():
        raise InputError(f"{what} is empty")
    if len(text) > limit:
        raise TooLargeError(f"{what} has {len(text)} characters; the limit is {limit}")


def sse(event: str, payload: BaseModel | dict) -> str:
    """One server-sent event frame with a JSON payload."""
    data = (
        payload.model_dump_json()
        if isinstance(payload, BaseModel)
        else json.dumps(payload, ensure_ascii=False)
    )
    return f"event: {event}\ndata: {data}\n\n"


def split_pieces(text: str) -> list[str]:
    """The answer text cut into sentence-sized pieces that concatenate back to ``text``."""
    return [p for p in _PIECES.findall(text) if p]


async def _answer_events(assistant: Assistant, body: AskRequest, state: ServerState) -> AsyncIterator[str]:
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    progress: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def stage(name: Stage, **extra: Any) -> str:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return sse("stage", StageEvent(stage=name, elapsed_ms=elapsed, **extra))

    def report(what: str, detail: Any) -> None:
        # called on the worker thread as the answer is worked out
        loop.call_soon_threadsafe(progress.put_nowait, (what, detail))

    def staged(what: str, detail: Any) -> str:
        if what == "read":
            return stage("reading", read_as=detail if detail != body.question else None)
        return stage("found", passages=int(detail))

    yield stage("accepted")
    work = asyncio.ensure_future(
        run_in_threadpool(
            assistant.ask, body.question, filters=body.filters, history=_history(body), progress=report
        )
    )
    try:
        searching = False
        while not work.done():
            # A heartbeat keeps proxies from closing a quiet connection and lets the page show elapsed time.
            getter = asyncio.ensure_future(progress.get())
            await asyncio.wait({work, getter}, timeout=HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                what, detail = getter.result()
                yield staged(what, detail)
                if what == "read" and not searching:
                    searching = True
                    yield stage("searching")
            else:
                getter.cancel()
                if not work.done():
                    yield stage("searching")
        while not progress.empty():
            yield staged(*progress.get_nowait())
        answer = answer_view(work.result(), state.uploads, state.indexing())
    except InputError as exc:
        yield sse("error", {"error": {"type": error_type(exc), "message": str(exc), "details": []}})
        return
    except Exception:
        log.exception("answering failed in /api/ask/stream")
        message = "the server failed while working; the error was logged"
        yield sse("error", {"error": {"type": "internal_error", "message": message, "details": []}})
        return
    finally:
        if not work.done():
            # The client went away; the worker thread finishes on its own and its result is dropped.
            work.cancel()
    yield stage("writing")
    for piece in split_pieces(answer.text):
        yield sse("delta", DeltaEvent(text=piece))
    yield sse("answer", answer)
    yield stage("done")
