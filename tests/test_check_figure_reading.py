"""Reading a draft's figures: compound units, prefixes written out, numbers that belong to names or dates, and
values compared across a dimension's prefixes."""

from __future__ import annotations

import pytest

from assistant.check.claims import find_claims
from assistant.check.compare import compare_values, units_compatible
from assistant.check.figures import read_figures
from tools.figures import parse_figures

# (text, [(figure text, value, unit)]) as the shared parser reads them
UNITS = [
    ("about 7.5 petaflops of FP64", [("about 7.5 petaflops", 7.5e15, "flop_per_s")]),
    ("190 exaflops at FP8", [("190 exaflops", 1.9e20, "flop_per_s")]),
    ("8 petaFLOPS", [("8 petaFLOPS", 8e15, "flop_per_s")]),
    ("0.32 PFLOPS", [("0.32 PFLOPS", 3.2e14, "flop_per_s")]),
    ("14.8T tokens", [("14.8T tokens", 1.48e13, "token")]),
    ("15 cents per million tokens", [("15 cents", 0.15, "usd")]),
]


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_units(text: str, expected: list[tuple[str, float, str]]) -> None:
    got = [(f.text, f.value, f.unit) for f in parse_figures(text)]
    assert got == [(t, pytest.approx(v), u) for t, v, u in expected]


# (text, [(figure text, value, unit)]) as the checker reads them (with its adapters)
DRAFT_FIGURES = [
    (
        "A single H100 serves it at around 2,400 output tokens per second.",
        [("around 2,400 output tokens per second", 2400.0, "token_per_s")],
    ),
    ("It served 608B input tokens in 24 hours.", [("608B input tokens", 6.08e11, "token"), ("24 hours", 24.0, "hour")]),
    ("the 128 special tokens", [("128", 128.0, None)]),  # a plain count keeps no unit through a modifier
    ("o3-mini-high 共获得 18,081 张投票。", [("18,081 张", 18081.0, None)]),
    ("约 6 万片晶圆", [("约 6 万片", 6e4, None)]),
    ("原先需要 1600 张卡，现在 1000 张就够了。", [("1600 张卡", 1600.0, "gpu"), ("1000 张", 1000.0, "gpu")]),
    ("2048 块 H800", [("2048 块", 2048.0, "gpu")]),
    ("950 tokens per second", [("950 tokens per second", 950.0, "token_per_s")]),
    ("31 tok/s", [("31 tok/s", 31.0, "token_per_s")]),
    ("每秒输出 50 tokens/秒", [("50 tokens/秒", 50.0, "token_per_s")]),
    ("It was downloaded nearly 10 million times.", [("nearly 10 million times", 1e7, None)]),
    ("Throughput rose 5.76 times.", [("5.76 times", 5.76, "times")]),
]


@pytest.mark.parametrize(("text", "expected"), DRAFT_FIGURES)
def test_draft_figures(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    got = [(f.text, f.value, f.unit) for f in read_figures(text)]
    assert got == [(t, pytest.approx(v), u) for t, v, u in expected]


# (draft, the figure texts that are claims)
CLAIMED = [
    ("EXAONE 3.5 7.8B was pretrained on 9 trillion tokens.", ["9 trillion tokens"]),
    ("Phi-3-mini 3.8B scores 68.8 on MMLU.", ["68.8"]),
    ("In MiniMax's table, Gemini 2.5 Pro (06-05) scores 54.0 on SimpleQA.", ["54.0"]),
    ("AWS 于 6 月 5 日将 p5.48xlarge 实例价格下调 44%。", ["44%"]),
    ("Grok-1 has 314B parameters and 64 layers.", ["314B parameters", "64"]),
    ("DeepSeek-V2 基座在 CMMLU 上得 84.0 分。", ["84.0"]),
]


@pytest.mark.parametrize(("draft", "expected"), CLAIMED)
def test_claimed(draft: str, expected: list[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert [c.ctx.figure.text for c in claims] == expected


# (claim figure, source figure, compatible units, outcome)
ACROSS_PREFIXES = [
    ("0.3 GW", "300 MW", True, "match"),
    ("0.4 GW", "300 MW", True, "mismatch"),
    ("0.56 TWh", "560 GWh", True, "match"),
    ("about 560 GWh", "0.56 TWh", True, "match"),
    ("8,760 GWh", "8.76 TWh", True, "match"),
    ("14 kW", "10.2 kW", True, "mismatch"),
    ("0.32 PFLOPS", "320 TFLOPS", True, "match"),
    ("2,400 tokens per second", "2,400 tokens", False, "match"),  # a speed is never an amount of tokens
]


@pytest.mark.parametrize(("claim", "source", "compatible", "outcome"), ACROSS_PREFIXES)
def test_across_prefixes(claim: str, source: str, compatible: bool, outcome: str) -> None:
    c, s = read_figures(claim)[0], read_figures(source)[0]
    assert units_compatible(c.unit, s.unit) is compatible
    if compatible:
        assert compare_values(c, s) == outcome


# (source sentence, [(figure text, unit)]): a unit one figure writes, shared by the figure it is read with
SHARED = [
    (
        "Helios rents it at $2.35 per GPU-hour on one-year contracts, down from $3.10 a year earlier.",
        [("$2.35 per GPU-hour", "usd_per_gpu_hour"), ("one-year", "year"), ("$3.10", "usd_per_gpu_hour")],
    ),
    ("价格从每小时 8 美元降至 2 美元", [("每小时 8 美元", "usd_per_hour"), ("2 美元", "usd_per_hour")]),
    ("The rent is $2 per hour, and the deal is worth $5 million.", [("$2 per hour", "usd_per_hour"), ("$5 million", "usd")]),
    ("It activates 21B of its 236B parameters per token.", [("21B", "param"), ("236B parameters", "param")]),
    ("2024 年 12 月豆包日均 tokens 调用量为 4 万亿。", [("2024 年 12 月", "date"), ("4 万亿", "token")]),
]


@pytest.mark.parametrize(("text", "expected"), SHARED)
def test_shared_units(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(f.text, f.unit) for f in read_figures(text)] == expected


def _contexts(text: str) -> dict[str, object]:
    from assistant.check.context import build_contexts
    from assistant.text import split_sentences

    return {c.figure.text: c for c in build_contexts(text, read_figures(text), split_sentences(text))}


def test_period_is_the_nearest_date_before() -> None:
    ctx = _contexts("Revenue for 2024 came to $412 million, up 64% from 2023, when Helios booked $251 million.")
    assert [p.low for p in ctx["$251 million"].periods] == [202301]  # type: ignore[attr-defined]
    assert [p.low for p in ctx["$412 million"].periods] == [202401]  # type: ignore[attr-defined]


def test_whole_after_of_its_is_total() -> None:
    ctx = _contexts("The model activates 21B of its 236B parameters per token.")
    assert "total" in ctx["236B parameters"].qualifiers  # type: ignore[attr-defined]
    assert "activated" in ctx["21B"].qualifiers  # type: ignore[attr-defined]


# (draft, the subjects' keys): who reports a figure is not whose it is
REPORTED = [
    ("Caixin reports that NVIDIA bought Groq for $20 billion.", {"nvidia", "groq"}),
    ("Microsoft put $10 billion into OpenAI.", {"microsoft", "openai"}),
]


@pytest.mark.parametrize(("draft", "keys"), REPORTED)
def test_reporter_is_no_subject(draft: str, keys: set[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert {e.key for e in claims[0].subjects} == keys


@pytest.mark.parametrize(
    ("ours", "theirs", "apart"),
    [
        ({"total", "data_center"}, {"tender"}, True),
        ({"activated"}, {"activated", "per_token"}, False),
        ({"total"}, {"cumulative"}, False),
        (set(), {"data_center"}, False),
    ],
)
def test_qualified_apart(ours: set[str], theirs: set[str], apart: bool) -> None:
    from assistant.check.match import _qualified_apart

    assert _qualified_apart(ours, theirs) is apart


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("DeepSeek-R1 在 Codeforces 上的评分为 2029。", [("2029", None)]),
        ("DeepSeek-R1 has a Codeforces rating of 2092.", [("2092", None)]),
        ("Tuolumne 的 Rmax 为 208.1 PFlop/s。", [("208.1 PFlop/s", "flop_per_s")]),
        ("DeepSeek released V3 in 2024.", [("2024", "date")]),
    ],
)
def test_ratings_are_no_years(draft: str, expected: list[tuple[str, str | None]]) -> None:
    claims, _, _ = find_claims(draft)
    assert [(c.ctx.figure.text, c.ctx.figure.unit) for c in claims] == expected
