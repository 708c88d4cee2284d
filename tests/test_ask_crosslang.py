"""Questions answered from a document in the other language: glossary phrases, periods, names, and the
not-found cases that must stay not found."""

from __future__ import annotations

import pytest

from assistant.ask import answer_question
from assistant.ask.analyze import analyze, asked_kind
from assistant.ask.terms import key_terms, names_in, phrases_in
from assistant.settings import Settings
from tests.ask_fakes import FakeRetriever

# Written for these tests: a Chinese report in which NVIDIA is the subject and Cambricon is named once.
ZH_REPORT = (
    "英伟达近况。"
    "据公司披露，2025财年英伟达的毛利率保持在75%上下。"
    "在租赁市场上，2024年上半年H100的租金曾经跳涨到每小时4.5美元以上。"
    "2025财年第三季度，英伟达数据中心收入达到512亿美元。"
    # filler, so the once-named company stands far past the document's opening
    + "行业观察人士表示，市场情绪在这一年里反复摇摆，买家和卖家都在重新评估手中的合同与库存。" * 16
    + "国产芯片方面，寒武纪在2025年一季度营收激增逾40倍。"
    + "分析师认为英伟达仍将主导训练市场。"
)
# Written for these tests: an English inference note for Chinese questions.
EN_NOTE = (
    "DeepSeek serving statistics. Over one day the inference service used 226 nodes on average. "
    "The total daily cost of the service was $87,072. "
    "The Llama 3.1 models support a context length of 128K tokens."
)


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(
        [
            ("zh", "英伟达近况", "articles/nvidia_zh.txt", ZH_REPORT),
            ("en", "Serving notes", "notes/serving.md", EN_NOTE),
        ],
        chunk_chars=60,
        overlap=10,
    )


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("What gross margin did NVIDIA keep in fiscal 2025?", ["gross margin"]),
        ("How large was data center revenue in the third quarter?", ["third quarter", "data center"]),
        ("H100 rent in the first half of 2024", ["first half"]),
        ("How many GPU hours did the context length extension take?", ["context length", "gpu hours"]),
        ("Llama 3.1 的上下文长度是多少？", ["上下文长度"]),
        ("What is the H800 price?", []),
    ],
)
def test_glossary_phrases_are_found_whole(question: str, phrases: list[str]) -> None:
    assert phrases_in(question) == phrases


@pytest.mark.parametrize(
    ("question", "term", "translation"),
    [
        ("What gross margin did NVIDIA keep in fiscal 2025?", "gross margin", "毛利率"),
        ("What gross margin did NVIDIA keep in fiscal 2025?", "fiscal", "财年"),
        ("What gross margin did NVIDIA keep in fiscal 2025?", "keep", "维持"),
        ("How much did H100 rent jump in the first half of 2024?", "first half", "上半年"),
        ("How much did H100 rent jump in the first half of 2024?", "jump", "跳涨"),
        ("How large was data center revenue in the fiscal third quarter?", "third quarter", "第三季度"),
        ("How large was data center revenue in the fiscal third quarter?", "data center", "数据中心"),
        ("英伟达2025财年第三季度的收入是多少？", "第三季度", "third quarter"),
        ("英伟达2025财年的毛利率是多少？", "财年", "fiscal"),
        ("DeepSeek推理服务一天的总成本是多少？", "一天", "daily"),
    ],
)
def test_terms_carry_their_translation(question: str, term: str, translation: str) -> None:
    forms = {t.text: t.forms for t in key_terms(question)}
    assert translation in forms[term]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How large was NVIDIA data center revenue in the fiscal third quarter?", "money"),
        ("How high was the H100 rental price?", "money"),
        ("How big is the H800 memory?", "memory"),
    ],
)
def test_how_large_asks_for_a_quantity(question: str, kind: str) -> None:
    _, found = asked_kind(question)
    assert found is not None and found.name == kind
    assert not {"large", "high", "big"} & {t.text for t in analyze(question).terms}


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What gross margin did AMD report in fiscal 2025?", ["AMD"]),
        ("How many GPU hours did the LLM need?", []),
        ("How much HBM does the TPU have?", []),
    ],
)
def test_three_letter_company_names(question: str, names: list[str]) -> None:
    assert names_in(question) == names


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What gross margin did NVIDIA keep in fiscal 2025?", "75%上下"),
        ("How much did H100 rental prices jump to in the first half of 2024?", "每小时4.5美元以上"),
        ("How large was NVIDIA data center revenue in the fiscal third quarter?", "512亿美元"),
        ("DeepSeek推理服务一天的总成本是多少？", "$87,072"),
    ],
)
def test_cross_language_questions_are_answered(question: str, lead: str, retriever: FakeRetriever) -> None:
    answer = answer_question(question, retriever=retriever, settings=Settings())
    assert answer.status == "answered"
    assert answer.text.startswith(lead)
    assert lead in answer.citations[0].quote


def test_a_company_name_crosses_languages_with_a_user_vocabulary(
    retriever: FakeRetriever, user_vocabulary: None
) -> None:
    # the fake retriever matches words only: the name's translation comes from the user's vocabulary file
    question = "How much did Cambricon revenue grow in the first quarter of 2025?"
    answer = answer_question(question, retriever=retriever, settings=Settings())
    assert answer.status == "answered"
    assert answer.text.startswith("逾40倍")
    assert "逾40倍" in answer.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "What gross margin did AMD report in fiscal 2025?",  # another company's margin is no answer
        "What was Cambricon's gross margin in 2025?",  # named once, elsewhere: NVIDIA's margin is not its own
        "How many Intel Gaudi 3 accelerators were sold in 2025?",
        "谷歌TPU v7的单价是多少？",
    ],
)
def test_other_subjects_stay_not_found(question: str, retriever: FakeRetriever) -> None:
    answer = answer_question(question, retriever=retriever, settings=Settings())
    assert answer.status == "not_found"
