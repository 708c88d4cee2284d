"""Table cells and source labels in checking: units a table's row label implies, cells a sibling figure of the
claim sentence already owns, a product named without its maker, and labels that name nothing."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.align import naming_words
from assistant.check.compare import restated_threshold
from assistant.check.entities import find_entities
from assistant.check.tables import Cell, apply_header
from assistant.settings import Settings
from tools.figures import Figure

# Our own small sources, shaped like a README's transposed table, a news benchmark table and a model card line.
DOCS = {
    "sky": (
        "Skywork README",
        "other/Skywork_README.md",
        "## 模型结构\n\n| 模型 | Llama-2-13B | Skywork-13B |\n|---|---|---|\n| 词表大小 | 32,000 | 65,536 |\n",
    ),
    "dbrx": (
        "DBRX news",
        "news/DBRX_news_en.md",
        "Scores reported at launch:\n\n| Model | MMLU | HumanEval |\n|---|---|---|\n"
        "| DBRX Instruct | 73.7 | 70.1 |\n| GPT-3.5 | 70.0 | 48.1 |\n",
    ),
    "bitnet": (
        "bitnet.cpp",
        "other/bitnet_README.md",
        "BitNet b1.58 2B4T is the first official BitNet b1.58 model with 2.4B parameters, trained on 4 "
        "trillion tokens.",
    ),
}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


# (draft, verdicts in figure order, source value of the first contradicted figure)
CASES = [
    # the row label "词表大小" gives the cells their unit; the Skywork-13B column holds 65,536
    ("Skywork-13B uses a vocabulary of 32,000 tokens.", ["contradicted"], 65536.0),
    ("Skywork-13B uses a vocabulary of 65,536 tokens.", ["supported"], None),
    # the DBRX Instruct row's 73.7 confirms the first figure: it is not GPT-3.5's score
    ("DBRX Instruct 在 MMLU 上得到 73.7 分，高于 GPT-3.5 的 70.0 分。", ["supported", "supported"], None),
    # the product named where its figure is: its maker (微软) need not be
    ("微软 BitNet b1.58 2B4T 模型的训练数据为 2 万亿 token。", ["contradicted"], 4e12),
]


@pytest.mark.parametrize(("draft", "verdicts", "source_value"), CASES)
def test_cells_and_owners(
    draft: str, verdicts: list[str], source_value: float | None, settings: Settings
) -> None:
    report = check_text(draft, retriever=OneChunkRetriever(DOCS), settings=settings)
    assert [c.verdict for c in report.claims] == verdicts
    wrong = [c for c in report.claims if c.verdict == "contradicted"]
    if source_value is not None:
        assert wrong[0].source_figure is not None
        assert wrong[0].source_figure.value == pytest.approx(source_value)


# (column header, row label, unit the cell takes)
HEADERS = [
    ("Skywork-13B", "词表大小", "token"),  # a transposed table: the row label names the quantity
    ("Phi-3-small", "Vocabulary", "token"),
    ("Gemma 2 9B", "Sliding window", "token"),
    ("Training tokens", "27B", "token"),  # the column header, as before
    ("MMLU", "Llama-2-13B", None),  # a row label with a digit is a name
    ("Score", "Qwen 7B params", None),
]


@pytest.mark.parametrize(("header", "row", "unit"), HEADERS)
def test_row_label_gives_a_bare_cell_its_unit(header: str, row: str, unit: str | None) -> None:
    fig = Figure(text="65,536", value=65536.0, unit=None, start=0, end=6)
    assert apply_header(fig, Cell(header, row)).unit == unit


# (source label, words that may name what is measured)
LABELS = [
    ("B IT\nscored ", []),  # a lone verb names nothing
    ("supports text sequences up to ", ["supports", "text", "sequences", "up"]),
    ("MMLU (5-shot)", ["mmlu", "5-shot", "shot"]),
    ("on MMLU", ["mmlu"]),
    ("MMLU", ["mmlu"]),
    ("词表大小", ["词表", "大小"]),
]


@pytest.mark.parametrize(("label", "words"), LABELS)
def test_naming_words(label: str, words: list[str]) -> None:
    assert naming_words(label) == words


@pytest.mark.parametrize(
    ("text", "models"),
    [
        ("Phi-3-medium reached 81.0 on GSM-8K.", [("phi", "3")]),  # GSM-8K is a data set
        ("XVERSE-13B and GLM-4-9B", [("xverse", "13b"), ("glm", "4-9b")]),
        ("On ScienceQA it scores 90.8, and on MathVista 44.5.", []),  # a score after a name, no version
        ("Yuan 2.0-2B beside Qwen 2.5", [("yuan", "2.0-2b"), ("qwen", "2.5")]),
    ],
)
def test_counts_and_scores_after_a_name_are_no_model_versions(
    text: str, models: list[tuple[str, str]]
) -> None:
    assert [(e.family, e.version) for e in find_entities(text) if e.cls == "model"] == models


def _fig(text: str, value: float, hedge: str | None) -> Figure:
    return Figure(text=text, value=value, unit=None, start=0, end=len(text), hedge=hedge)


@pytest.mark.parametrize(
    ("claim", "source", "restated"),
    [
        (
            _fig("more than 70 million", 7e7, "more_than"),
            _fig("more than 700 million", 7e8, "more_than"),
            True,
        ),
        (
            _fig("more than 700 million", 7e8, "more_than"),
            _fig("more than 700 million", 7e8, "more_than"),
            False,
        ),
        (_fig("less than 1000 万", 1e7, "less_than"), _fig("低于 100 万", 1e6, "less_than"), True),
        (_fig("70 million", 7e7, None), _fig("more than 700 million", 7e8, "more_than"), False),  # a point
        (
            _fig("more than 70 million", 7e7, "more_than"),
            _fig("less than 700 million", 7e8, "less_than"),
            False,
        ),
    ],
)
def test_restated_threshold(claim: Figure, source: Figure, restated: bool) -> None:
    assert restated_threshold(claim, source) is restated
