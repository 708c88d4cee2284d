"""Answering end to end over a small in-memory corpus: quotes, exact citation offsets, not-found, tool answers."""

from __future__ import annotations

import pytest

from assistant.ask import answer_question
from assistant.models import Answer
from assistant.settings import Settings
from tests.ask_fakes import FakeRetriever

V3 = (
    "DeepSeek-V3 is a Mixture-of-Experts model with 671B total parameters, of which 37B are activated for each "
    "token. The model was pre-trained on 14.8T tokens. During pre-training, each trillion tokens took 180K H800 "
    "GPU hours, i.e., 3.7 days on our cluster with 2048 H800 GPUs. Combined with 119K GPU hours for the context "
    "length extension and 5K GPU hours for post-training, the full training took 2.788M GPU hours. Assuming the "
    "rental price of the H800 GPU is $2 per GPU hour, our total training costs amount to only $5.576M. The "
    "report thanks the infrastructure team for keeping the cluster running through the whole project."
)
CAIXIN = (
    "财新获取的一份资料显示，Blackwell在处理稀疏MoE架构时，其FP8和FP4精度推理性能最高可达上一代H100的30倍。"
    "许多开发者发现，通过软件调优可以榨取比以往高出30%的性能。"
    "这意味着原本需要1024张卡完成的微调任务，现在700张卡就能在同样的时间内跑完。剩下的300张卡，瞬间就成了市场的溢出供应。"
    "国产芯片在2025年上半年迎来增长，华为昇腾（Ascend）系列则在政府主导的智算中心招标中拿下了近80%的市场份额。"
)
HARDWARE = (
    "Intel Gaudi3 supports FP8 and BF16 and carries 128GB of HBM per accelerator. "
    "The Google TPU v7 Ironwood offers 4614 TFLOPS of FP8 compute per chip. "
    "The NVIDIA H800 SXM5 has 80GB of memory and 3.35 TB/s of memory bandwidth."
)


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(
        [
            ("v3", "DeepSeek-V3 Technical Report", "deepseek/DeepSeek_V3.pdf", V3),
            ("caixin", "算力天花板的裂缝", "articles/caixin_2025_deepseek_nvidia_zh.txt", CAIXIN),
            ("hw", "Accelerators", "hardware/accelerators.md", HARDWARE),
        ],
        chunk_chars=300,
        overlap=30,
    )


def ask(question: str, retriever: FakeRetriever) -> Answer:
    return answer_question(question, retriever=retriever, settings=Settings(top_k=6))


def assert_exact_citations(answer: Answer, retriever: FakeRetriever) -> None:
    for c in [*answer.citations, *answer.related]:
        assert c.quote == retriever.document_text(c.doc_id)[c.start : c.end]


@pytest.mark.parametrize(
    ("question", "lead", "doc"),
    [
        ("How many GPU hours did DeepSeek-V3's context length extension take?", "119K GPU hours", "v3"),
        ("DeepSeek-V3 总共有多少参数？", "671B total parameters", "v3"),
        (
            "On DeepSeek's 2048-GPU cluster, how many days does training on one trillion tokens take?",
            "3.7 days",
            "v3",
        ),
        ("What rental price per GPU hour did DeepSeek assume for the H800?", "$2 per GPU hour", "v3"),
        (
            "How much faster than the H100 is Blackwell at FP8 inference on sparse MoE models?",
            "30倍",
            "caixin",
        ),
        ("原本需要1024张卡完成的微调任务，软件调优后会有多少张卡成为溢出供应？", "300张卡", "caixin"),
        ("What is the H800's memory bandwidth?", "3.35 TB/s", "hw"),
    ],
)
def test_lookup_leads_with_the_asked_figure_and_quotes_its_sentence(
    question: str, lead: str, doc: str, retriever: FakeRetriever
) -> None:
    answer = ask(question, retriever)
    assert (answer.status, answer.route) == ("answered", "retrieval")
    assert answer.text.startswith(f"{lead} [1]")
    assert answer.citations[0].doc_id == doc
    assert lead in answer.citations[0].quote
    assert_exact_citations(answer, retriever)


def test_sentence_cut_by_a_chunk_edge_is_quoted_whole(retriever: FakeRetriever) -> None:
    answer = ask("How many GPU hours did DeepSeek-V3's context length extension take?", retriever)
    quote = answer.citations[0].quote
    assert quote.startswith("Combined with 119K GPU hours") and quote.endswith("2.788M GPU hours.")
    cut = [c for c in retriever.chunks if c.doc_id == "v3" and c.start < answer.citations[0].start < c.end]
    assert any(c.end < answer.citations[0].end for c in cut)  # no single chunk held the whole sentence
    assert_exact_citations(answer, retriever)


def test_premise_and_answer_in_two_sentences_are_quoted_together(retriever: FakeRetriever) -> None:
    answer = ask("原本需要1024张卡完成的微调任务，软件调优后会有多少张卡成为溢出供应？", retriever)
    assert answer.citations[0].quote == (
        "这意味着原本需要1024张卡完成的微调任务，现在700张卡就能在同样的时间内跑完。剩下的300张卡，瞬间就成了市场的溢出供应。"
    )


def test_answer_records_stage_timings(retriever: FakeRetriever) -> None:
    answer = ask("DeepSeek-V3 总共有多少参数？", retriever)
    assert set(answer.timings_ms) == {"analysis", "retrieval", "selection", "composition"}
    assert answer.language == "zh"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("How many Intel Gaudi 3 accelerators were sold in 2025?", "give no unit-count figure"),
        ("谷歌TPU v7的单价是多少？", "没有相应的价格或成本数字"),
        ("How many H100 GPU hours did Llama 4 training use?", "Llama 4"),
        ("What is the training cost of Qwen3?", "Qwen3"),
    ],
)
def test_not_found_with_closest_passages(question: str, reason: str, retriever: FakeRetriever) -> None:
    answer = ask(question, retriever)
    assert answer.status == "not_found"
    assert answer.citations == []
    assert answer.related
    assert reason in answer.text
    assert_exact_citations(answer, retriever)


def test_cluster_cost_goes_to_the_calculator(retriever: FakeRetriever) -> None:
    answer = ask("H800每卡每小时1.8美元，租2048张卡用60天，一共要多少钱？", retriever)
    assert (answer.status, answer.route) == ("answered", "tool")
    call = answer.tool_calls[0]
    assert call.name == "training_cost"
    assert call.arguments == {"gpus": 2048, "days": 60.0, "usd_per_gpu_hour": 1.8}
    assert float(call.result["cost_usd"]) == 5308416
    assert answer.text.startswith("训练成本：530.8万美元")
    assert retriever.searches == []  # nothing to look up


def test_missing_price_is_filled_from_the_corpus_and_cited(retriever: FakeRetriever) -> None:
    answer = ask("At DeepSeek's assumed H800 rental price, what would 1 million GPU hours cost?", retriever)
    assert answer.route == "tool"
    call = answer.tool_calls[0]
    assert call.arguments == {"gpu_hours": 1e6, "usd_per_gpu_hour": 2.0}
    assert float(call.result["cost_usd"]) == 2e6
    assert call.citations == [1]
    assert "$2 per GPU hour" in answer.citations[0].quote
    assert_exact_citations(answer, retriever)


def test_market_share_tool_cites_its_source_in_the_corpus(retriever: FakeRetriever) -> None:
    answer = ask(
        "Which vendor won the largest share of China's government-led AI computing center tenders?", retriever
    )
    assert answer.route == "tool" and answer.tool_calls[0].name == "chip_share"
    (cite,) = answer.citations
    assert cite.doc_id == "caixin"
    assert cite.quote == "华为昇腾（Ascend）系列则在政府主导的智算中心招标中拿下了近80%的市场份额"
    assert "80%" in answer.text
    assert_exact_citations(answer, retriever)
