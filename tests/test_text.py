"""Language detection, sentence splitting and BM25 tokens, Chinese and English side by side."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.text import detect_language, normalize_for_match, split_sentences, table_top, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DeepSeek-V3 costs only 2.788M GPU hours.", "en"),
        ("深度求索发布了新模型。", "zh"),
        ("DeepSeek-V3 的训练成本是多少？", "zh"),
        ("英伟达 H800 的价格", "zh"),
        ("The H800 is sold in China as 特供版 for the local market.", "en"),
        ("MoE 模型通过 routing 把 tokens 分给 experts", "mixed"),
        ("What is 算力?", "mixed"),
        ("", "unknown"),
        ("2025-01-27 14:30 $5.576M", "unknown"),
        ("x", "unknown"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def _sentences(text: str) -> list[str]:
    spans = split_sentences(text)
    assert spans == sorted(spans)
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # decimals, units and versions do not end sentences
        (
            "DeepSeek-V3 costs only 2.788M GPU hours. Version 3.2 followed.",
            ["DeepSeek-V3 costs only 2.788M GPU hours.", "Version 3.2 followed."],
        ),
        (
            "The price fell to $1.99 per hour. Demand rose.",
            ["The price fell to $1.99 per hour.", "Demand rose."],
        ),
        # abbreviations and initials
        (
            "It was built in the U.S. and shipped. Next one.",
            ["It was built in the U.S. and shipped.", "Next one."],
        ),
        ("Banks in the U.S. Federal system agreed.", ["Banks in the U.S. Federal system agreed."]),
        ("Cheap chips, e.g. the H20, sold well. Good.", ["Cheap chips, e.g. the H20, sold well.", "Good."]),
        ("See Fig. 3 for costs. Then Table 2.", ["See Fig. 3 for costs.", "Then Table 2."]),
        ("Results (Liu et al. 2024) hold. Yes.", ["Results (Liu et al. 2024) hold.", "Yes."]),
        ("J. Smith wrote it. It sold.", ["J. Smith wrote it.", "It sold."]),
        # ! ? and closing quotes
        ('He asked "why?" Nobody knew! Really?', ['He asked "why?"', "Nobody knew!", "Really?"]),
        ("It ends here.", ["It ends here."]),
        # Chinese terminators, no spaces needed; a closing quote stays with its sentence
        ("成本很低。模型很强！真的吗？", ["成本很低。", "模型很强！", "真的吗？"]),
        ("他说：“这是一次效率革命。”英伟达股价大跌。", ["他说：“这是一次效率革命。”", "英伟达股价大跌。"]),
        (
            "训练用了2048块H800；总成本约557.6万美元……引发讨论",
            ["训练用了2048块H800；", "总成本约557.6万美元……", "引发讨论"],
        ),
        ("模型参数为6710亿。DeepSeek-V3.2随后发布。", ["模型参数为6710亿。", "DeepSeek-V3.2随后发布。"]),
        # blank lines end paragraphs; surrounding whitespace (also U+3000) is excluded
        (
            "  Title line\n\n\u3000\u3000正文第一句。\n\n  Last words  ",
            ["Title line", "正文第一句。", "Last words"],
        ),
        # a single newline: a short line stands alone, a long wrapped line continues its sentence
        ("Heading\nThe text starts here.", ["Heading", "The text starts here."]),
        (
            "This line is long enough to have been wrapped by an editor at eighty\ncolumns and goes on. Done.",
            [
                "This line is long enough to have been wrapped by an editor at eighty\ncolumns and goes on.",
                "Done.",
            ],
        ),
        (
            "Items follow and this line is long enough to be wrapped in an editor\n- one\n- two",
            ["Items follow and this line is long enough to be wrapped in an editor", "- one", "- two"],
        ),
        ("| a | b |\n| 1 | 2 |", ["| a | b |", "| 1 | 2 |"]),
        # list and heading numbers at the start of a line are not sentence ends; a number ending a sentence is
        (
            "## 8. Citation\n1. Install it. Then run.\n3.2. Costs",
            ["## 8. Citation", "1. Install it.", "Then run.", "3.2. Costs"],
        ),
        ("The count was 12. Then it grew.", ["The count was 12.", "Then it grew."]),
        # pieces without any word (table-of-contents leaders, stray symbols) join a neighbouring sentence
        ("2.1 Basics . . . . 6 2.2 Costs . . . 7", ["2.1 Basics . . . .", "6 2.2 Costs . . .", "7"]),
        (". . . Start here. Next.", [". . . Start here.", "Next."]),
        ("...", ["..."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_split_sentences_window_gives_absolute_offsets() -> None:
    text = "First one. Second one. Third one."
    start = text.index("Second")
    assert split_sentences(text, start, len(text)) == [(11, 22), (23, 33)]
    assert split_sentences(text, 0, 10) == [(0, 10)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DeepSeek-V3 uses H800 GPUs", ["deepseek-v3", "deepseek", "v3", "uses", "h800", "gpus"]),
        ("2.788M GPU hours, 14,800 tokens", ["2.788m", "gpu", "hours", "14800", "tokens"]),
        ("What is the cost of the U.S. chips?", ["cost", "u.s", "chips"]),
        ("智算中心的招标", ["中心", "智算中心", "招标"]),  # a domain-pack word; search mode adds known sub-words
        ("DeepSeek-V3 的训练成本是多少？", ["deepseek-v3", "deepseek", "v3", "训练", "成本"]),
        ("人工智能", ["人工", "智能", "人工智能"]),
        ("。，！ ... ---", []),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  DeepSeek\u3000V3\n\tCosts  ", "deepseek v3 costs"),
        ("ＡＢＣ１２３", "abc123"),
        ("ﬁne-tuning", "fine-tuning"),
        ("成本：５５７.６万", "成本:557.6万"),
    ],
)
def test_normalize_for_match(text: str, expected: str) -> None:
    assert normalize_for_match(text) == expected


def test_import_does_not_load_jieba() -> None:
    code = "import sys, assistant.text; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


_TABLE_DOC = "# Scores\n\nIntro line.\n| Model | MMLU |\n|---|---|\n| A | 60.1 |\n| B | 70.2 |\nAfter.\n"
_HEADER_AT = _TABLE_DOC.index("| Model")


@pytest.mark.parametrize(
    ("start", "reach", "top"),
    [
        (_TABLE_DOC.index("| B"), 200, _HEADER_AT),  # a row: back to the header row
        (_TABLE_DOC.index("70.2"), 200, _HEADER_AT),  # inside a row's line
        (_HEADER_AT, 200, _HEADER_AT),  # the header row itself
        (_TABLE_DOC.index("| B"), 10, None),  # the header row further back than reach
        (_TABLE_DOC.index("Intro"), 200, None),  # no table line
        (_TABLE_DOC.index("After"), 200, None),  # the line below the table
        (2, 200, None),  # the heading
    ],
)
def test_table_top(start: int, reach: int, top: int | None) -> None:
    assert table_top(_TABLE_DOC, start, reach) == top


def test_table_top_of_a_table_opening_the_text() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert table_top(text, text.index("| 1"), 20) == 0  # reach ends at the text's start: its first line is the top
    assert table_top(text, text.index("| 1"), 5) is None
