"""Answering over real documents of the shared corpus (a small lexical index; skipped without the corpus).

Questions here are not from the development set: they check that the mechanisms generalise (other models,
other figures, both languages, tables, cross-language evidence, and questions the documents do not answer).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings

pytestmark = pytest.mark.slow

FILES = [
    "articles/caixin_2025_deepseek_nvidia_zh.txt",
    "deepseek/open-infra-index_day6_inference_system_overview.md",
    "deepseek/DeepSeek-V3_README.md",
    "deepseek/DeepSeek-V2_README.md",
    "deepseek/3FS_README.md",
    "other_labs/Llama_llama3_1_MODEL_CARD.md",
    "other_labs/Llama_llama4_MODEL_CARD.md",
    "other_labs/Kimi-K2_README.md",
    "datasets/epoch_ml_hardware_2025-11_talmolab.csv",
    "hardware/ml-engineering_accelerator_README.md",
]


@pytest.fixture(scope="module")
def assistant(shared_corpus_module: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    data = tmp_path_factory.mktemp("corpus-index")
    a = Assistant.open(data, settings=Settings(data_dir=data, embedder="hash"))
    report = a.ingest([shared_corpus_module / f for f in FILES])
    assert report.failed == [] and report.added == len(FILES)
    return a


@pytest.fixture(scope="module")
def shared_corpus_module() -> Path:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    return corpus


@pytest.mark.parametrize(
    ("question", "lead", "source"),
    [
        (
            "How many GPU hours did Llama 3.1 training use in total?",
            "Total · Training Time (GPU hours): 39.3M GPU hours",  # the card's HTML table, read as a table
            "Llama_llama3_1",
        ),
        ("How many H100 GPU hours did Llama 4 training use?", "7.38M GPU hours", "Llama_llama4"),
        ("Kimi K2 预训练用了多少 token？", "15.5T tokens", "Kimi-K2"),
        ("What cost profit margin did DeepSeek report for its V3/R1 inference service?", "545%", "day6"),
        ("DeepSeek 的 V3/R1 推理服务中，每个 H800 节点每秒平均输出多少 token？", "~14.8k tokens", "day6"),
        (
            "What was the peak number of H800 nodes occupied by DeepSeek's V3/R1 inference service?",
            "278",
            "day6",
        ),
        ("美国政府对H20芯片实施临时禁售后，多久恢复了供应？", "三个月", "caixin"),
        ("How much did NVIDIA pay to acquire Groq?", "200亿美元", "caixin"),
        ("英伟达数据中心收入是多少？", "高达512亿美元", "caixin"),
        ("DeepSeek-V2 把 KV cache 减少了多少？", "93.3%", "DeepSeek-V2"),
        ("What is the H800's memory bandwidth?", "3360000000000.0", "epoch_ml_hardware"),
    ],
)
def test_answers_quote_the_figure_from_its_source(
    assistant: Assistant, question: str, lead: str, source: str
) -> None:
    answer = assistant.ask(question)
    assert answer.status == "answered"
    assert answer.text.split(" [")[0] == lead
    assert any(source in c.source for c in answer.citations)
    for c in answer.citations:
        assert assistant.document_text(c.doc_id, c.start, c.end).text == c.quote


@pytest.mark.parametrize(
    "question",
    [
        "How many Intel Gaudi 3 accelerators were sold in 2025?",
        "谷歌TPU v7的单价是多少？",
        "月之暗面有多少名员工？",
        "What was the training cost of Llama 4?",
    ],
)
def test_questions_the_documents_do_not_answer(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.status == "not_found"
    assert answer.citations == [] and answer.related
