"""Qualifiers of a question against a candidate: parts of a year and variants of a coded name."""

from __future__ import annotations

import pytest

from assistant.ask.qualifiers import (
    asked_parts,
    coded_names,
    opens_with_other,
    part_verdict,
    parts_of_year,
    sizes,
    variant_verdict,
)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("revenue for the third quarter of fiscal 2025", ["Q3"]),
        ("Q3 FY2025 and H1 2025", ["Q3", "H1"]),
        ("at the end of the first fiscal quarter", ["Q1"]),
        ("over the first half of fiscal 2025", ["H1"]),
        ("2025 年第二季度营收", ["Q2"]),
        ("一季报显示", ["Q1"]),
        ("前三季度营收", ["9M"]),
        ("2025 年上半年", ["H1"]),
        ("回顾 2024 年全年", ["Y"]),
        ("for fiscal 2024 as a whole", ["Y"]),
        ("The company's fiscal year ends in late January", []),
        ("SAN JOSE, Nov 20, 2025", []),
        ("GPU hours for 2048 H100", []),
    ],
)
def test_parts_of_year(text: str, parts: list[str]) -> None:
    assert [p.value for p in parts_of_year(text)] == parts


@pytest.mark.parametrize(
    ("question", "own", "figure_at", "context", "verdict"),
    [
        # the candidate's own part decides
        ("revenue in the first quarter of fiscal 2025?", "revenue for the third quarter came to $2.41 billion", None, [], False),
        ("revenue in the third quarter of fiscal 2025?", "revenue for the third quarter came to $2.41 billion", None, [], True),
        # a figure's own clause first: 47.3% is the second quarter's, 42.8% the first's
        ("第一季度的毛利率是多少？", "第二季度毛利率为 47.3%，较第一季度的 42.8% 明显回升。", 9, [], False),
        ("第一季度的毛利率是多少？", "第二季度毛利率为 47.3%，较第一季度的 42.8% 明显回升。", 22, [], True),
        # writing none, the nearest tier writing one decides; the paragraph before by its last part
        ("gross margin in Q2?", "Gross margin was 61.2%.", None, [[""], ["# Record third quarter"]], False),
        ("gross margin in Q3?", "Gross margin was 61.2%.", None, [["In Q2 it fell. In the third quarter it rose."]], True),
        ("gross margin in Q2?", "Gross margin was 61.2%.", None, [["In Q2 it fell. In the third quarter it rose."]], False),
        # a table header names a part per column: any of them may be the row figure's
        ("total HBM revenue in Q1 2025?", "| Total HBM revenue | $4.4B | $6.9B | $8.4B |", None, [["| 2024 | Q1 2025 | Q2 2025 |"]], True),
        # nothing writes a part: nothing says it is another
        ("gross margin in Q2?", "Gross margin was 61.2%.", None, [[""], [""]], None),
        # a half is not a quarter
        ("2025 年第二季度营收多少？", "2025 年上半年，公司实现营业收入 18.6 亿元", None, [], False),
        # no part asked: nothing to compare
        ("2024 年营收多少？", "第四季度营收 9.89 亿元", None, [], None),
    ],
)
def test_part_verdict(
    question: str, own: str, figure_at: int | None, context: list[list[str]], verdict: bool | None
) -> None:
    if figure_at is not None:
        assert own[figure_at].isdigit()
    ordered = 0 if own.startswith("|") else 2
    assert part_verdict(asked_parts(question), own, figure_at, context, ordered=ordered) is verdict


@pytest.mark.parametrize(
    ("names", "wholes"),
    [
        (["Lumen-2.5-70B-Instruct"], ["lumen-2.5-70b-instruct"]),
        (["XH-300"], ["xh-300"]),
        (["DeepSeek-V3"], ["deepseekv-3"]),
        (["Qwen2.5-72B"], ["qwen-2.5-72b"]),
        (["Llama 3.2"], ["llama-3.2"]),
        (["910c"], ["910c"]),
        (["Epoch", "8b", "H1"], []),
    ],
)
def test_coded_names(names: list[str], wholes: list[str]) -> None:
    assert [c.whole for c in coded_names(names)] == wholes


@pytest.mark.parametrize(
    ("names", "question", "own", "context", "verdict"),
    [
        (["XH-300"], "", "AI 推理加速卡 XH-200 上半年出货 4.2 万片。", [], False),
        (["XH-200"], "", "AI 推理加速卡 XH-200 上半年出货 4.2 万片。", [], True),
        (["Lumen-2.5-70B-Instruct"], "", "| Lumen-2.5-34B-Instruct | 80.2 |", [], False),
        (["Lumen-2.5-34B"], "", "| Lumen-2.5-34B-Instruct | 80.2 |", [], True),
        (["Llama 3.2"], "", "Llama 3.1 8B took 1.46M GPU hours.", [], False),
        (["Llama 3"], "", "Llama 3 8B took 1.3M GPU hours.", [], True),
        (["H100"], "", "It ran on H100/H800 clusters.", [], True),
        (["H20"], "", "Rents for the H100 fell to $2.", [], False),
        # a plural after the digits is the same name, on either side
        (["H100"], "", "It was trained for a month on 2,000 H100s.", [], True),
        (["H100s"], "", "Each H100 draws 700 W.", [], True),
        (["H100s"], "", "Each H800 draws 700 W.", [], False),
        # a sentence naming none takes the last one its paragraph names
        (["910c"], "", "记录的发布价格约 16,854 美元。", ["华为昇腾 910B 的 FP16 算力为 376 TFLOP/s；"], False),
        (["910c"], "", "记录的发布价格约 16,854 美元。", ["Spec sheet."], None),
        # a code opening with digits may be written shorter or longer ("8bits", "2B" of "2B4T")
        (["8bit"], "", "| 8bits | 13.57 |", [], True),
        (["2B4T"], "", "The 2B model saw 4T tokens.", [], True),
        # Chinese right after a code is not part of it; "2.0" is "2"
        (["SkyPile-150B"], "", "Skypile-150B包含大约166M个单独网页", [], True),
        (["Yuan2-2B"], "", "Yuan2.0-2B 在 GSM8K 上", [], True),
        # names sharing a leading word: one of them written is enough
        (["FP8", "FP4"], "", "its FP8 inference is 30 times faster", [], True),
        # a standalone size
        (["Llama 3.1"], "How many GPU hours did Llama 3.1 13B take?", "Llama 3.1 8B took 1.46M, 70B took 7.0M.", [], False),
        (["Llama 3.1"], "How many GPU hours did Llama 3.1 70B take?", "Llama 3.1 8B took 1.46M, 70B took 7.0M.", [], True),
    ],
)
def test_variant_verdict(names: list[str], question: str, own: str, context: list[str], verdict: bool | None) -> None:
    asked_sizes = {s for _, s in sizes(question)}
    assert variant_verdict(coded_names(names), asked_sizes, own, context) is verdict


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Llama 3.1 8B took 1.46M GPU hours", ["8b"]),
        ("671B parameters of which 37B activated", []),
        ("revenue of $18B", []),
    ],
)
def test_sizes(text: str, found: list[str]) -> None:
    assert [s for _, s in sizes(text)] == found


@pytest.mark.parametrize(
    ("names", "own", "other"),
    [
        (["GLM-4.5"], "MiniMax-M1 的完整强化学习训练在 512 张 H800 上用时三周。", True),
        (["GLM-4.5"], "GLM-4.5 was trained on 23T tokens.", False),
        (["GLM-4.5"], "Kimi K2's pre-training used 15.5T tokens, like GLM-4.5.", False),
        (["GLM-4.5"], "H800 GPUs were used throughout.", False),
    ],
)
def test_opens_with_other(names: list[str], own: str, other: bool) -> None:
    assert opens_with_other(coded_names(names), own) is other
