"""Reading the structure of sources when checking: row labels past an empty or rank cell, a table's caption
(its currency, what it measures), chip counts in cells, figures dated a year before their sentence, and drafts
checked end to end against small sources of that shape."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.context import build_contexts
from assistant.check.entities import find_entities
from assistant.check.figures import read_figures
from assistant.check.lexicon import find_concepts
from assistant.check.tables import Cell, apply_header, caption_currency, row_label, table_caption
from assistant.settings import Settings
from assistant.text import split_sentences
from tools.figures import Figure


@pytest.mark.parametrize(
    ("cells", "column", "label"),
    [
        (["", "ZebraLogic", "86.8", "80.1"], 2, "ZebraLogic"),  # a category's continuation row
        (["3", "DeepSeek-R1", "深度求索", "70.33"], 3, "DeepSeek-R1 深度求索"),  # a rank names nothing
        (["GLM-4.5", "BF16", "H100 x 32"], 2, "GLM-4.5 BF16"),  # the precision beside the model
        (["1B", "16", "2048"], 2, "1B"),  # numbers of other columns are no names
        (["**Mathematics**", "AIME 2024", "86.0"], 2, "**Mathematics** AIME 2024"),
        (["Qwen-Max", "0.12"], 0, "Qwen-Max"),
        ([], 1, ""),
    ],
)
def test_row_label(cells: list[str], column: int, label: str) -> None:
    assert row_label(cells, column) == label


_TABLE = "| 模型 | 降价后输出价 |\n|---|---|\n| Qwen-Plus | 0.012 |\n"


@pytest.mark.parametrize(
    ("before", "currency", "caption"),
    [
        ("以下价格均为每千 tokens，单位为人民币元。\n\n", "cny", ""),
        ("All prices in USD.\n\n", "usd", ""),
        ("单位：亿元\n\n", None, ""),  # a scaled currency: the cells are not the amounts themselves
        ("The models can use their full 128K context length:\n\n", None, "The models can use their full 128K context length:"),
        ("Scores reported at launch.\n\n", None, ""),
    ],
)
def test_caption(before: str, currency: str | None, caption: str) -> None:
    text = before + _TABLE
    assert caption_currency(text, len(before)) == currency
    assert table_caption(text, len(before)) == caption


@pytest.mark.parametrize(
    ("cell", "unit"),
    [
        (Cell("Training Time (GPU hours)", "Llama 3.2 1B"), "gpu_hour"),
        (Cell("降价后输入价", "Qwen-Max", currency="cny"), "cny"),
        (Cell("输入降幅", "Qwen-Max", currency="cny"), None),  # a share column keeps no currency
        (Cell("MMLU", "Llama-2-13B"), None),
    ],
)
def test_header_and_caption_units(cell: Cell, unit: str | None) -> None:
    fig = Figure(text="12.29", value=12.29, unit=None, start=0, end=5)
    assert apply_header(fig, cell).unit == unit


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("| GLM-4.5 | BF16 | H100 x 32 |", [("32", "gpu")]),
        ("| GLM-4.5-Air | H20 (96GiB) x 4 | Lora |", [("96GiB", "byte"), ("4", "gpu")]),
        ("The largest run used 512 A100 80GB GPUs.", [("512", "gpu"), ("80GB", "byte")]),
        ("It runs on as few as two H100s.", [("two H100s", "gpu")]),
        ("Gaudi 3 accelerators", []),  # the digit of a name is no count
        ("32 张 H100", [("32 张", "gpu")]),
        ("| StarCoder2-7B | 432 H100 |", [("432", "gpu")]),  # a cell of a count and its chip
    ],
)
def test_chip_counts(text: str, figures: list[tuple[str, str | None]]) -> None:
    assert [(f.text, f.unit) for f in read_figures(text)] == figures


@pytest.mark.parametrize(
    ("text", "units"),
    [
        # the unit written once carries to later amounts of the same scale in the sentence
        ("The 27B model saw 13 trillion tokens, the 9B model 8 trillion. Then 5 trillion.", ["token", "token", None]),
        ("共 2.6 万亿 token，其中 1 万亿来自网页", ["token", "token"]),
        ("It raised $2 billion and 3 million users joined.", ["usd", None]),  # another scale word
    ],
)
def test_shared_unit(text: str, units: list[str | None]) -> None:
    scaled = [f for f in read_figures(text) if any(w in f.text for w in ("trillion", "billion", "million", "亿"))]
    assert [f.unit for f in scaled] == units


def test_plural_chip_is_a_chip() -> None:
    assert [(e.surface, e.cls, e.version) for e in find_entities("two H100s and A100s")] == [
        ("H100s", "chip", "h100"),
        ("A100s", "chip", "a100"),
    ]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("寒武纪 2024 年末员工总数为 982 名，较上年末的 1201 名有所减少。", {"982": 2024, "1201": 2023}),
        ("Revenue reached $1.92 billion in 2024, up from $229 million a year earlier.", {"$1.92 billion": 2024, "$229 million": 2023}),
        ("寒武纪 2024 年末员工总数为 1201 名。", {"1201": 2024}),
    ],
)
def test_year_before(text: str, years: dict[str, int]) -> None:
    contexts = build_contexts(text, read_figures(text), split_sentences(text, 0, len(text)))
    got = {c.figure.text: c.periods[0].low // 100 for c in contexts if c.figure.text in years}
    assert got == years


@pytest.mark.parametrize(
    ("text", "concepts"),
    [
        ("Mistral AI 目前约有 550 名员工。", {"headcount"}),
        ("a net loss that narrowed to $66.6 million", {"net_loss"}),
        ("归母净亏损分别为 18.94 亿元", {"net_loss"}),
        ("a median on-demand rate", {"median"}),
        ("去重后的 The Stack v2", {"unique"}),
        ("扣除非经常性损益后的净亏损为 8.65 亿元", {"adjusted", "net_loss"}),
    ],
)
def test_headcount_and_loss(text: str, concepts: set[str]) -> None:
    assert set(find_concepts(text)) == concepts


# Our own small sources shaped like a README's hardware tables, a leaderboard and a news story.
DOCS = {
    "glm": (
        "GLM-4.5 README",
        "other/GLM-4.5_README.md",
        "The models can run under the configurations in the table below:\n\n"
        "| Model | Precision | GPU Type and Count |\n|---|---|---|\n"
        "| GLM-4.5 | FP8 | H100 x 8 |\n| GLM-4.5-Air | FP8 | H100 x 2 |\n\n"
        "Under the configurations in the table below, the models can utilize their full 128K context length:\n\n"
        "| Model | Precision | GPU Type and Count |\n|---|---|---|\n"
        "| GLM-4.5 | FP8 | H100 x 16 |\n| GLM-4.5-Air | FP8 | H100 x 4 |\n",
    ),
    "board": (
        "Reasoning leaderboard",
        "other/board.md",
        "| Category | Task | ModelA-80K | ModelB |\n|---|---|---|---|\n"
        "| Long context | LongBench-v2 | 61.5 | 58.8 |\n| | ZebraLogic | 86.8 | 95.8 |\n",
    ),
    "firm": (
        "Cambricon results",
        "news/Cambricon_results_zh.md",
        "在人员方面，寒武纪 2024 年末员工总数为 982 名，较上年末的 1201 名有所减少。",
    ),
    "quarter": (
        "Cambricon first quarter",
        "news/Cambricon_q1_zh.md",
        "进入新的一年，这一势头仍在延续。一季报显示，公司第一季度营收 11.11 亿元。寒武纪归母净利润 3.55 亿元，"
        "上年同期则亏损 2.27 亿元。",
    ),
}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path)


# (draft, verdicts in figure order, source value of the first contradicted figure)
CASES = [
    ("GLM-4.5-Air can be served in FP8 on as few as two H100s.", ["supported"], None),
    ("The minimum setup for running GLM-4.5 in FP8 is four H100s.", ["contradicted"], 8.0),  # not the Air row
    ("Using its full context in FP8, GLM-4.5-Air needs 8 H100s.", ["contradicted"], 4.0),  # the caption says context
    ("寒武纪 2024 年末员工总数为 1201 名。", ["contradicted"], 982.0),  # 1201 is last year's
    ("寒武纪 2024 年末员工总数为 982 名。", ["supported"], None),
    # an undated sentence naming nobody cannot call a dated figure wrong: its quarter is not sure
    ("寒武纪 2024 年第四季度归母净利润为 2.72 亿元。", ["unverifiable"], None),
    ("寒武纪 2024 年归母净亏损为 4.52 亿元。", ["unverifiable"], None),  # "上年同期" is no 2024 figure
]


@pytest.mark.parametrize(("draft", "verdicts", "source_value"), CASES)
def test_checked_against_structured_sources(
    draft: str, verdicts: list[str], source_value: float | None, settings: Settings
) -> None:
    report = check_text(draft, retriever=OneChunkRetriever(DOCS), settings=settings)
    assert [c.verdict for c in report.claims] == verdicts
    wrong = [c for c in report.claims if c.verdict == "contradicted"]
    if source_value is not None:
        assert wrong[0].source_figure is not None
        assert wrong[0].source_figure.value == pytest.approx(source_value)
