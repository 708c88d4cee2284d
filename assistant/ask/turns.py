"""The earlier turns of a conversation as a caller sends them: validated, with the limits on their number and size.

``assistant.ask.followup`` reads a question in their light; the faces (CLI, HTTP) validate them here first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import InputError, TooLargeError

__all__ = ["MAX_ANSWER_CHARS", "MAX_TURNS", "Turn", "parse_history"]

MAX_TURNS = 20
MAX_ANSWER_CHARS = 20_000


class Turn(BaseModel):
    """One earlier turn of a conversation: the question and the answer's text."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="The question as the user asked it.")
    answer: str = Field("", max_length=MAX_ANSWER_CHARS, description="The answer's text.")


def parse_history(history: Sequence[Any] | None, *, max_question_chars: int) -> list[Turn]:
    """Validate a conversation's earlier turns (oldest first): dicts ``{"question", "answer"}`` or ``Turn``.

    Raises ``InputError`` (or ``TooLargeError``) naming the turn and what is wrong with it.
    """
    if history is None:
        return []
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise InputError("history must be a list of {question, answer} turns")
    if len(history) > MAX_TURNS:
        raise TooLargeError(f"history has {len(history)} turns; the limit is {MAX_TURNS}")
    turns: list[Turn] = []
    for i, raw in enumerate(history):
        if isinstance(raw, Turn):
            turn = raw
        else:
            try:
                turn = Turn.model_validate(raw)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(x) for x in err.get("loc", ())) or "turn"
                raise InputError(f"history[{i}].{where}: {err.get('msg')}") from exc
        if not turn.question.strip():
            raise InputError(f"history[{i}].question is empty")
        if len(turn.question) > max_question_chars:
            raise TooLargeError(
                f"history[{i}].question has {len(turn.question)} characters; the limit is {max_question_chars}"
            )
        turns.append(turn)
    return turns
