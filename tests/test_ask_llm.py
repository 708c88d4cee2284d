"""The optional LLM path with scripted fake chat models: phrasing, the numeric guard, tool choice."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.ask import answer_question
from assistant.ask.llm import guard_arguments, guard_text, make_chat_model
from assistant.errors import InputError
from assistant.settings import Settings
from tests.ask_fakes import FakeRetriever
from tests.test_ask_answer import V3
from tools.figures import parse_figures

QUESTION = "How many GPU hours did DeepSeek-V3's context length extension take?"


class ToolCallingFake(GenericFakeChatModel):
    """A scripted chat model that accepts ``bind_tools`` (the stock fakes do not)."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> ToolCallingFake:
        return self


def fake(*replies: AIMessage) -> ToolCallingFake:
    return ToolCallingFake(messages=iter(replies))


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(
        [("v3", "DeepSeek-V3 Technical Report", "deepseek/DeepSeek_V3.pdf", V3)], chunk_chars=300
    )


def test_make_chat_model_needs_an_endpoint() -> None:
    with pytest.raises(InputError, match="no LLM endpoint"):
        make_chat_model(Settings())
    model = make_chat_model(Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="tiny"))
    assert model.model_name == "tiny"
    assert model.openai_api_base == "http://127.0.0.1:9/v1"


def test_llm_phrases_from_the_cited_quotes(retriever: FakeRetriever) -> None:
    reply = AIMessage("The context length extension took 119K GPU hours [1].")
    answer = answer_question(QUESTION, retriever=retriever, settings=Settings(), llm=fake(reply))
    assert answer.text == "The context length extension took 119K GPU hours [1]."
    assert answer.citations[0].quote.startswith("Combined with 119K GPU hours")
    assert "llm" in answer.timings_ms


@pytest.mark.parametrize(
    "reply",
    [
        "The context length extension took 120K GPU hours [1].",  # an invented figure
        "It took 119K GPU hours, about $238,000 at $2 per hour [1].",  # arithmetic the sources do not state
        "It took 119K GPU hours [7].",  # a citation that does not exist
        "It took 119K GPU hours.",  # no citation at all
    ],
)
def test_guard_falls_back_to_the_extractive_answer(reply: str, retriever: FakeRetriever) -> None:
    extractive = answer_question(QUESTION, retriever=retriever, settings=Settings())
    answer = answer_question(QUESTION, retriever=retriever, settings=Settings(), llm=fake(AIMessage(reply)))
    assert answer.text == extractive.text
    assert answer.text.startswith("119K GPU hours [1]")


def test_guard_text_compares_values_not_spellings() -> None:
    allowed = [2.788e6, 5.576e6, 0.933]
    assert (
        guard_text("训练共用278.8万GPU小时，成本557.6万美元[1]，KV缓存减少93.3%[1]。", allowed, {1}) is None
    )
    assert guard_text("It cost $6.2M [1].", allowed, {1}) == "figure '$6.2M' is in no cited passage"
    assert guard_text("It cost $5.576M [3].", allowed, {1, 2}) == "unknown citation marker(s) [3]"


def test_llm_chooses_a_tool_the_rules_did_not(retriever: FakeRetriever) -> None:
    call = {"name": "training_cost", "args": {"gpus": 64, "days": 30, "usd_per_gpu_hour": 2}, "id": "c1"}
    answer = answer_question(
        "Total for 64 GPUs, 30 days, $2/h?",
        retriever=retriever,
        settings=Settings(),
        llm=fake(AIMessage("", tool_calls=[call])),
    )
    assert answer.route == "tool"
    assert answer.tool_calls[0].name == "training_cost"
    assert float(answer.tool_calls[0].result["cost_usd"]) == 64 * 30 * 24 * 2


def test_llm_tool_call_with_an_invented_argument_is_refused(retriever: FakeRetriever) -> None:
    call = {"name": "training_cost", "args": {"gpus": 64, "days": 30, "usd_per_gpu_hour": 2.5}, "id": "c1"}
    answer = answer_question(
        "Total for 64 GPUs over 30 days?",
        retriever=retriever,
        settings=Settings(),
        llm=fake(AIMessage("", tool_calls=[call]), AIMessage("No figure [1].")),
    )
    assert answer.route == "retrieval"
    assert answer.tool_calls == []


@pytest.mark.parametrize(
    ("args", "ok"),
    [
        ({"start_usd_per_hour": 2, "change": -0.1, "per": "year", "periods": 3}, True),
        ({"start_usd_per_hour": 2, "change": -0.1, "per": "month", "periods": 36}, True),  # 3 years in months
        ({"start_usd_per_hour": 2, "change": -0.15, "per": "year", "periods": 3}, False),
    ],
)
def test_guard_arguments(args: dict, ok: bool) -> None:
    given = parse_figures(
        "If an H800 rents for $2 an hour and the price falls 10% a year, what will it cost in 3 years?"
    )
    assert (guard_arguments(args, given) is None) is ok
