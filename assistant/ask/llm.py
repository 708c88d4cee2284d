"""The optional chat model: phrasing answers from the cited passages, and choosing calculators.

The model is any OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, hosted APIs) built by
``make_chat_model(settings)``. It never answers on its own authority:

- phrasing gets only the quotes the extractive answer already cited, and its text is shown only if every
  figure in it equals (within 0.5%) a figure of those quotes, of the question, or of a tool result, and every
  [n] marker names one of the citations; otherwise the extractive answer stands;
- tool choice goes through the same calculators (``langchain_tools``), and a call is run only if each numeric
  argument comes from the question (as written, or as a fraction/unit conversion of it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.ask.analyze import QuestionAnalysis
from assistant.errors import InputError
from assistant.index.base import Retriever
from assistant.models import Answer, Passage
from assistant.settings import Settings
from tools.figures import Figure, parse_figures

log = logging.getLogger(__name__)

# --- prompts -----------------------------------------------------------------------------------------------

PHRASE_SYSTEM = (
    "You answer questions about the AI industry using only the numbered source quotes given. "
    "Answer in {language}, in one to three sentences. Copy every number exactly as a quote writes it and "
    "put the quote's marker, e.g. [1], after each statement. Add no number that is not in the quotes or "
    "the question. If the quotes do not answer the question, say so."
)
PHRASE_USER = "Question: {question}\n\nSources:\n{sources}"
SOURCE_LINE = "[{number}] {title}: {quote}"

TOOLS_SYSTEM = (
    "You decide whether a question asks for a calculation that one of the given tools performs. If it does, "
    "call exactly one tool with arguments taken from the question (percentages as fractions: 25% -> 0.25; "
    "a fall as a negative change). If it does not, answer with the single word NONE."
)

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
RELATIVE_TOLERANCE = 0.005
# Conversions a model may apply to a question's figure when filling a tool argument: a duration into another
# time unit (2 years -> 24 months, 3 days -> 72 hours), a percentage written as a number (25% -> 25).
_TIME_FACTORS = {
    "year": (12.0, 365.0, 52.0),
    "month": (1 / 12, 30.0),
    "week": (7.0, 7 / 30),
    "day": (24.0, 1 / 30, 1 / 7, 1 / 365),
    "hour": (1 / 24,),
}
_MARKER = re.compile(r"\[(\d{1,3})\]")


def make_chat_model(settings: Settings) -> Any:
    """A ``ChatOpenAI`` for the configured endpoint (``llm_base_url``, ``llm_model``, ``llm_api_key``).

    Built only when called; raises ``InputError`` when no endpoint is configured.
    """
    if not settings.llm_base_url:
        raise InputError("no LLM endpoint configured (set ASSISTANT_LLM_BASE_URL)")
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "default",
        api_key=key,
        timeout=settings.llm_timeout_s,
        temperature=0,
        max_retries=1,
    )


# --- phrasing ----------------------------------------------------------------------------------------------


def llm_phrase(analysis: QuestionAnalysis, answer: Answer, passages: Sequence[Passage], llm: Any) -> Answer:
    """Let ``llm`` phrase ``answer`` from its own citations; the extractive answer when the guard rejects it."""
    if not answer.citations:
        return answer
    from langchain_core.messages import HumanMessage, SystemMessage

    sources = "\n".join(
        SOURCE_LINE.format(number=c.number, title=c.title, quote=" ".join(c.quote.split()))
        for c in answer.citations
    )
    messages = [
        SystemMessage(PHRASE_SYSTEM.format(language=LANGUAGE_NAMES.get(analysis.answer_language, "English"))),
        HumanMessage(PHRASE_USER.format(question=analysis.question, sources=sources)),
    ]
    try:
        reply = llm.invoke(messages)
    except Exception as exc:  # an unreachable or failing endpoint must not lose the answer
        log.warning("LLM phrasing failed (%s); keeping the extractive answer", exc)
        return answer
    text = _text_of(reply)
    allowed = list(_values([c.quote for c in answer.citations] + [analysis.question]))
    problem = guard_text(text, allowed, {c.number for c in answer.citations})
    if problem:
        log.info("LLM answer rejected: %s", problem)
        return answer
    return answer.model_copy(update={"text": text.strip()})


def guard_text(text: str, allowed: Sequence[float], numbers: set[int]) -> str | None:
    """Why an LLM text may not be shown (an unsupported figure, a bad or missing marker), or None if it may."""
    if not text.strip():
        return "empty reply"
    markers = {int(m) for m in _MARKER.findall(text)}
    if not markers:
        return "no citation marker"
    if markers - numbers:
        return f"unknown citation marker(s) {sorted(markers - numbers)}"
    for fig in parse_figures(text):
        if not any(_close(fig.value, a) for a in allowed):
            return f"figure {fig.text!r} is in no cited passage"
    return None


# --- tool choice -------------------------------------------------------------------------------------------


def llm_tool_answer(
    analysis: QuestionAnalysis,
    llm: Any,
    *,
    retriever: Retriever,
    settings: Settings,
    timings: dict[str, float] | None = None,
) -> Answer | None:
    """Ask ``llm`` to choose a calculator for a question the rules did not route; None if it chooses none or
    its arguments are not the question's figures."""
    if len(analysis.figures) < 2:
        return None  # a computation needs at least two inputs; one figure is a lookup's context
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.ask.lc_tools import langchain_tools
    from assistant.ask.route import ToolPlan
    from assistant.ask.toolrun import tool_answer

    try:
        bound = llm.bind_tools(langchain_tools())
        reply = bound.invoke([SystemMessage(TOOLS_SYSTEM), HumanMessage(analysis.question)])
    except Exception as exc:
        log.warning("LLM tool choice failed (%s); answering by retrieval", exc)
        return None
    calls = getattr(reply, "tool_calls", None) or []
    if not calls:
        return None
    call = calls[0]
    name, args = call.get("name", ""), dict(call.get("args") or {})
    problem = guard_arguments(args, analysis.figures) or _file_argument(name, args)
    if problem:
        log.info("LLM tool call %s rejected: %s", name, problem)
        return None
    return tool_answer(
        analysis, ToolPlan(name=name, arguments=args), retriever=retriever, settings=settings, timings=timings
    )


def guard_arguments(args: dict[str, Any], given: Sequence[Figure]) -> str | None:
    """Why a tool call's arguments may not be used (a number not from the question), or None if they may."""
    allowed: list[float] = []
    for f in given:
        allowed.append(abs(f.value))
        if f.unit in _TIME_FACTORS:
            allowed.extend(abs(f.value) * c for c in _TIME_FACTORS[f.unit])
        elif f.unit in ("percent", "percentage_point"):
            allowed.append(abs(f.value) * 100)
        elif f.unit == "times":
            allowed.append(abs(f.value) - 1)  # "2x faster" is a speed-up of 1.0
    for key, value in args.items():
        for v in _flat_numbers(value):
            if not any(_close(abs(v), a) for a in allowed) and not _ordinal(v):
                return f"{key}={v!r} does not come from the question"
    return None


def _file_argument(name: str, args: dict[str, Any]) -> str | None:
    from tools import FILE_ARGUMENTS

    named = sorted(set(args) & FILE_ARGUMENTS.get(name, frozenset()))
    return f"{', '.join(named)} would read a local file" if named else None


def _ordinal(v: float) -> bool:
    # a period count of 1 or a default like 12 months may be implied by the wording ("a year", "monthly")
    return v in (1, 12)


# --- helpers -----------------------------------------------------------------------------------------------


def _text_of(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


def _values(texts: Iterable[str]) -> Iterable[float]:
    for t in texts:
        for f in parse_figures(t):
            yield f.value
            if f.low is not None:
                yield f.low
            if f.high is not None:
                yield f.high


def _flat_numbers(value: Any) -> Iterable[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flat_numbers(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _flat_numbers(v)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b)) or a == b
