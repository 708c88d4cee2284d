"""The case formats an evaluation file may hold, and reading them (JSON Lines, one case a line).

Each line is recognised by its keys:

- ``question``: a question set (``../shared/eval/dev_qa.jsonl``, ``newdocs/qa.jsonl``, ``bench/*.jsonl``);
- ``claim``: single claims with an expected verdict;
- ``text`` + ``consistent``: a text whose arithmetic is or is not consistent; with ``calculations`` (each
  expression, stated result and whether it is right) it is a FacTool worked answer;
- ``query`` + ``positive``: an RGB question with its own passages (``answer`` lists the gold answers, an inner
  list holding variants of one answer); with ``positive_wrong`` it is an RGB planted-figure case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from assistant.errors import InputError

DEFAULT_TOLERANCE = 0.005


def _as_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Turn(BaseModel):
    """One earlier turn of a conversation."""

    question: str
    answer: str


class QACase(BaseModel):
    """A question with the figures its answer must contain."""

    id: str
    lang: str = ""
    question: str
    expect_numbers: list[float] = Field(default_factory=list)
    any: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    source: str = ""
    kind: str = "lookup"
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")

    _id = field_validator("id", mode="before")(_as_str)


class ClaimCase(BaseModel):
    """A single claim and its expected verdict (with the source's value when contradicted)."""

    id: str
    lang: str = ""
    claim: str
    verdict: Literal["supported", "contradicted", "unverifiable"]
    correct: list[float] = Field(default_factory=list)
    tolerance: float = DEFAULT_TOLERANCE

    _id = field_validator("id", mode="before")(_as_str)


class ArithCase(BaseModel):
    """A text whose own arithmetic is, or is not, consistent."""

    id: str
    lang: str = ""
    text: str
    consistent: bool
    note: str = ""

    _id = field_validator("id", mode="before")(_as_str)


class Calculation(BaseModel):
    """One written calculation of a worked answer, labelled by people."""

    expression: str
    stated: str
    right: bool


class CalcCase(ArithCase):
    """A worked answer whose every calculation is labelled right or wrong (FacTool's format)."""

    calculations: list[Calculation]


class RgbQueryCase(BaseModel):
    """An RGB question answered from its own passages; the answer must contain every gold answer."""

    id: str
    query: str
    answer: list[list[str]]
    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)

    _id = field_validator("id", mode="before")(_as_str)

    @field_validator("answer", mode="before")
    @classmethod
    def _answers(cls, value: Any) -> Any:
        """``"x"`` -> ``[["x"]]``; ``["a", ["b", "b2"]]`` -> ``[["a"], ["b", "b2"]]``."""
        if isinstance(value, str | int | float):
            return [[str(value)]]
        if isinstance(value, list):
            return [[str(v) for v in a] if isinstance(a, list) else [str(a)] for a in value]
        return value


class RgbFactCase(RgbQueryCase):
    """An RGB case whose ``positive_wrong`` passages carry ``fakeanswer`` in place of the answer."""

    fakeanswer: str
    positive_wrong: list[str] = Field(min_length=1)

    _fake = field_validator("fakeanswer", mode="before")(_as_str)


Case = QACase | ClaimCase | ArithCase | CalcCase | RgbQueryCase | RgbFactCase


def parse_case(raw: dict[str, Any]) -> Case:
    """One case from its JSON object, by its keys; raises ``InputError`` or ``ValidationError``."""
    if not isinstance(raw, dict):
        raise InputError("a case must be a JSON object")
    if "question" in raw:
        return QACase.model_validate(raw)
    if "claim" in raw:
        return ClaimCase.model_validate(raw)
    if "query" in raw and "positive" in raw:
        return (RgbFactCase if "positive_wrong" in raw else RgbQueryCase).model_validate(raw)
    if "text" in raw and "consistent" in raw:
        return (CalcCase if "calculations" in raw else ArithCase).model_validate(raw)
    raise InputError(
        "expected a 'question', a 'claim', a 'text' with 'consistent', or a 'query' with 'positive'"
    )


def load_cases(path: str | Path) -> list[Case]:
    """Read an evaluation file; raises ``InputError`` naming the line of a malformed case."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such evaluation file: {p}")
    cases: list[Case] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(parse_case(json.loads(line)))
        except (json.JSONDecodeError, ValidationError, InputError) as exc:
            raise InputError(f"{p}:{n}: bad case: {exc}") from exc
    return cases
