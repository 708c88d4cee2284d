"""Table-driven tests for the figure parser: Chinese and English side by side, positives and negatives."""

from __future__ import annotations

import pytest

from tools.figures import Figure, parse_duration, parse_figures, parse_number

# (input, [(figure text, value, unit, hedge, kind)])
CASES: list[tuple[str, list[tuple[str, float, str | None, str | None, str]]]] = [
    # training compute and cost
    ("仅消耗了约278.8万GPU小时", [("约278.8万GPU小时", 2.788e6, "gpu_hour", "about", "number")]),
    ("2.788M GPU hours", [("2.788M GPU hours", 2.788e6, "gpu_hour", None, "number")]),
    ("180K H800 GPU hours", [("180K H800 GPU hours", 1.8e5, "gpu_hour", None, "number")]),
    ("2664K GPU hours", [("2664K GPU hours", 2.664e6, "gpu_hour", None, "number")]),
    ("278.8万H800 GPU小时", [("278.8万H800 GPU小时", 2.788e6, "gpu_hour", None, "number")]),
    ("5万卡时", [("5万卡时", 5e4, "gpu_hour", None, "number")]),
    ("总训练成本约为557.6万美元", [("约为557.6万美元", 5.576e6, "usd", "about", "number")]),
    ("$5.576 million", [("$5.576 million", 5.576e6, "usd", None, "number")]),
    ("5.576 million dollars", [("5.576 million dollars", 5.576e6, "usd", None, "number")]),
    ("US$5.6M", [("US$5.6M", 5.6e6, "usd", None, "number")]),
    ("500亿美元的机遇", [("500亿美元", 5e10, "usd", None, "number")]),
    ("2.5万亿元", [("2.5万亿元", 2.5e12, "cny", None, "number")]),
    ("1000万元人民币", [("1000万元人民币", 1e7, "cny", None, "number")]),
    ("200多万美元", [("200多万美元", 2e6, "usd", "more_than", "number")]),
    # model size and data
    ("6710亿参数", [("6710亿参数", 6.71e11, "param", None, "number")]),
    ("671B parameters", [("671B parameters", 6.71e11, "param", None, "number")]),
    ("671B", [("671B", 6.71e11, None, None, "number")]),
    ("37B activated parameters", [("37B activated parameters", 3.7e10, "param", None, "number")]),
    ("370亿激活参数", [("370亿激活参数", 3.7e10, "param", None, "number")]),
    ("14.8万亿Token", [("14.8万亿Token", 1.48e13, "token", None, "number")]),
    ("14.8T tokens", [("14.8T tokens", 1.48e13, "token", None, "number")]),
    ("128K-token context", [("128K-token", 1.28e5, "token", None, "number")]),
    ("六千七百一十亿个参数", [("六千七百一十亿个参数", 6.71e11, "param", None, "number")]),
    # shares and ratios
    ("近八成", [("近八成", 0.8, "percent", "about", "number")]),
    ("三成", [("三成", 0.3, "percent", None, "number")]),
    ("拿下了近80%的市场份额", [("近80%", 0.8, "percent", "about", "number")]),
    ("80%", [("80%", 0.8, "percent", None, "number")]),
    ("80 percent", [("80 percent", 0.8, "percent", None, "number")]),
    ("百分之八十", [("百分之八十", 0.8, "percent", None, "number")]),
    ("超过30%", [("超过30%", 0.3, "percent", "more_than", "number")]),
    ("more than 30%", [("more than 30%", 0.3, "percent", "more_than", "number")]),
    ("不到一半", [("不到一半", 0.5, "percent", "less_than", "number")]),
    ("less than 5%", [("less than 5%", 0.05, "percent", "less_than", "number")]),
    ("-2%", [("-2%", -0.02, "percent", None, "number")]),
    ("5个百分点", [("5个百分点", 0.05, "percentage_point", None, "number")]),
    ("3 percentage points", [("3 percentage points", 0.03, "percentage_point", None, "number")]),
    ("40倍", [("40倍", 40.0, "times", None, "number")]),
    ("营收激增逾40倍", [("逾40倍", 40.0, "times", "more_than", "number")]),
    ("一倍", [("一倍", 1.0, "times", None, "number")]),
    ("30 times", [("30 times", 30.0, "times", None, "number")]),
    ("30x faster", [("30x", 30.0, "times", None, "number")]),
    ("roughly 2x", [("roughly 2x", 2.0, "times", "about", "number")]),
    ("≈10倍", [("≈10倍", 10.0, "times", "about", "number")]),
    # prices and rates
    ("每小时4.5美元", [("每小时4.5美元", 4.5, "usd_per_hour", None, "number")]),
    ("按每 GPU 小时 2 美元折算", [("每 GPU 小时 2 美元", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("每 GPU 小时租金 2 美元", [("每 GPU 小时租金 2 美元", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("每卡时的价格为2美元", [("每卡时的价格为2美元", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("租金 2 美元", [("2 美元", 2.0, "usd", None, "number")]),
    ("4.5美元/小时", [("4.5美元/小时", 4.5, "usd_per_hour", None, "number")]),
    ("$4.5 an hour", [("$4.5 an hour", 4.5, "usd_per_hour", None, "number")]),
    ("$4.5/hr", [("$4.5/hr", 4.5, "usd_per_hour", None, "number")]),
    ("每卡每小时2美元", [("每卡每小时2美元", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("2美元/GPU小时", [("2美元/GPU小时", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("$2 per GPU hour", [("$2 per GPU hour", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("$2/H800 GPU-hour", [("$2/H800 GPU-hour", 2.0, "usd_per_gpu_hour", None, "number")]),
    ("最高达$3", [("最高达$3", 3.0, "usd", "up_to", "number")]),
    ("up to $3", [("up to $3", 3.0, "usd", "up_to", "number")]),
    # hardware
    ("2048 H800 GPUs", [("2048 H800 GPUs", 2048.0, "gpu", None, "number")]),
    ("共计2,048张H800", [("2,048张H800", 2048.0, "gpu", None, "number")]),
    ("1024张卡", [("1024张卡", 1024.0, "gpu", None, "number")]),
    ("8x H100", [("8x H100", 8.0, "gpu", None, "number")]),
    ("256个节点", [("256个节点", 256.0, "node", None, "number")]),
    ("256 nodes", [("256 nodes", 256.0, "node", None, "number")]),
    ("989.5 TFLOP/s", [("989.5 TFLOP/s", 9.895e14, "flop_per_s", None, "number")]),
    ("1979 TFLOPS", [("1979 TFLOPS", 1.979e15, "flop_per_s", None, "number")]),
    ("3.8e24 FLOPs", [("3.8e24 FLOPs", 3.8e24, "flop", None, "number")]),
    ("3.8 × 10^24 FLOPs", [("3.8 × 10^24 FLOPs", 3.8e24, "flop", None, "number")]),
    ("3.8 × 10^24, the budget", [("3.8 × 10^24", 3.8e24, None, None, "number")]),
    # a product of plain numbers is no power of ten ("6 * 10700000000" is not 6 × 10^700000000)
    (
        "6 * 10700000000 * 524,288,000,000 = 3.366e22",
        [
            ("6", 6.0, None, None, "number"),
            ("10700000000", 1.07e10, None, None, "number"),
            ("524,288,000,000", 5.24288e11, None, None, "number"),
            ("3.366e22", 3.366e22, None, None, "number"),
        ],
    ),
    ("80GB HBM3", [("80GB", 8e10, "byte", None, "number")]),
    ("3.35 TB/s", [("3.35 TB/s", 3.35e12, "byte_per_s", None, "number")]),
    ("4.80 TBps", [("4.80 TBps", 4.8e12, "byte_per_s", None, "number")]),
    ("5 TB/sec", [("5 TB/sec", 5e12, "byte_per_s", None, "number")]),
    ("1300 tflops", [("1300 tflops", 1.3e15, "flop_per_s", None, "number")]),
    # plain numbers
    ("1,024", [("1,024", 1024.0, None, None, "number")]),
    ("5,576,000", [("5,576,000", 5576000.0, None, None, "number")]),
    ("1e6", [("1e6", 1e6, None, None, "number")]),
    # durations
    ("两年后", [("两年", 2.0, "year", None, "duration")]),
    ("in 3 years", [("3 years", 3.0, "year", None, "duration")]),
    ("12个月", [("12个月", 12.0, "month", None, "duration")]),
    ("over 12 months", [("over 12 months", 12.0, "month", None, "duration")]),
    ("more than 12 months", [("more than 12 months", 12.0, "month", "more_than", "duration")]),
    ("60天", [("60天", 60.0, "day", None, "duration")]),
    ("60 days", [("60 days", 60.0, "day", None, "duration")]),
    ("1年多", [("1年多", 1.0, "year", "more_than", "duration")]),
    ("three years", [("three years", 3.0, "year", None, "duration")]),
    ("completed in three weeks", [("three weeks", 3.0, "week", None, "duration")]),
    ("a 2-week sprint", [("2-week", 2.0, "week", None, "duration")]),
    ("三周内完成", [("三周", 3.0, "week", None, "duration")]),
    ("用了两个星期", [("两个星期", 2.0, "week", None, "duration")]),
    ("成立三周年", []),
    ("周期为3", [("3", 3.0, None, None, "number")]),
    # dates
    ("2024年12月", [("2024年12月", 202412.0, "date", None, "date")]),
    ("2025年4月", [("2025年4月", 202504.0, "date", None, "date")]),
    ("January 2025", [("January 2025", 202501.0, "date", None, "date")]),
    ("Dec. 2024", [("Dec. 2024", 202412.0, "date", None, "date")]),
    ("2024-12-01", [("2024-12-01", 202412.0, "date", None, "date")]),
    ("2025年底", [("2025年底", 2025.0, "date", None, "date")]),
    ("in 2024", [("2024", 2024.0, "date", None, "date")]),
    ("2025财年", [("2025", 2025.0, "date", None, "date")]),
    # two figures in one sentence
    (
        "2,048 GPUs for 60 days",
        [("2,048 GPUs", 2048.0, "gpu", None, "number"), ("60 days", 60.0, "day", None, "duration")],
    ),
    (
        "1024张卡完成的任务，现在700张卡就能跑完",
        [("1024张卡", 1024.0, "gpu", None, "number"), ("700张卡", 700.0, "gpu", None, "number")],
    ),
    ("from 2023 to 2024", [("2023", 2023.0, "date", None, "date"), ("2024", 2024.0, "date", None, "date")]),
    # PDF line breaks, HTML cells, spaced scales
    ("180K\r\nH800 GPU hours", [("180K\r\nH800 GPU hours", 1.8e5, "gpu_hour", None, "number")]),
    ("<td>87.5</td>", [("87.5", 87.5, None, None, "number")]),
    ("每 100 万 tokens", [("100 万 tokens", 1e6, "token", None, "number")]),
    ("We trained 3 models", [("3", 3.0, None, None, "number")]),
    ("less than two months", [("less than two months", 2.0, "month", "less_than", "duration")]),
    # names, versions, sections and references: no figure
    ("DeepSeek-V3", []),
    ("V2", []),
    ("H800", []),
    ("H100", []),
    ("GPT-4", []),
    ("Llama 3.1", []),
    ("Qwen3", []),
    ("R1", []),
    ("A100", []),
    ("Ascend 910B", []),
    ("昇腾910B", []),
    ("910B", []),
    ("B200", []),
    ("MI300X", []),
    ("FP8", []),
    ("BF16", []),
    ("Qwen2.5-72B", []),
    ("RTX 4090", []),
    ("Section 3.2", []),
    ("Table 1", []),
    ("图3", []),
    ("表2", []),
    ("第3章", []),
    ("as shown in [1]", []),
    ("see [12, 13]", []),
    ("1. Introduction", []),
    ("(1) first", []),
    ("一些公司", []),
    ("统一成本", []),
    ("十分重要", []),
    ("one of the labs", []),
    ("version 1.5.3", []),
    ("5-shot", []),
    ("Llama Guard 3", []),
    ("GPT-4 and Claude 3", []),
]

# Spoken forms the number-word libraries read (cn2an: abbreviated Chinese numerals; text2num: English number
# phrases); the hand-written readers got these wrong or missed them (bench/number_libs.py measures both).
SPOKEN: list[tuple[str, list[tuple[str, float, str | None, str | None, str]]]] = [
    ("三万五张卡", [("三万五张卡", 35000.0, "gpu", None, "number")]),
    ("两千五张卡", [("两千五张卡", 2500.0, "gpu", None, "number")]),
    ("一千二百张卡", [("一千二百张卡", 1200.0, "gpu", None, "number")]),
    ("seventy-five GPUs", [("seventy-five GPUs", 75.0, "gpu", None, "number")]),
    ("thirteen nodes", [("thirteen nodes", 13.0, "node", None, "number")]),
    ("one hundred and twenty GPUs", [("one hundred and twenty GPUs", 120.0, "gpu", None, "number")]),
    ("it took twenty-one days", [("twenty-one days", 21.0, "day", None, "duration")]),
    ("ninety-nine percent", [("ninety-nine percent", 0.99, "percent", None, "number")]),
    ("no one knows", []),
]
CASES += SPOKEN


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_figures(text: str, expected: list[tuple[str, float, str | None, str | None, str]]) -> None:
    figures = parse_figures(text)
    got = [(f.text, f.value, f.unit, f.hedge, f.kind) for f in figures]
    assert got == [(t, pytest.approx(v, rel=1e-12), u, h, k) for t, v, u, h, k in expected]
    for f in figures:
        assert text[f.start : f.end] == f.text


# (input, value, low, high)
RANGES = [
    ("12%—18%", 0.15, 0.12, 0.18),
    ("12-18%", 0.15, 0.12, 0.18),
    ("12% to 18%", 0.15, 0.12, 0.18),
    ("3到5年", 4.0, 3.0, 5.0),
    ("3-5 years", 4.0, 3.0, 5.0),
    ("3至5倍", 4.0, 3.0, 5.0),
    ("$2 to $3", 2.5, 2.0, 3.0),
    ("2-3万亿", 2.5e12, 2e12, 3e12),
    ("1.5-2 million GPU hours", 1.75e6, 1.5e6, 2e6),
]


@pytest.mark.parametrize(("text", "value", "low", "high"), RANGES, ids=[r[0] for r in RANGES])
def test_ranges(text: str, value: float, low: float, high: float) -> None:
    (fig,) = parse_figures(text)
    assert (fig.text, fig.kind) == (text, "range")
    assert (fig.value, fig.low, fig.high) == (pytest.approx(value), pytest.approx(low), pytest.approx(high))


def test_range_keeps_rate_suffix() -> None:
    (fig,) = parse_figures("$2-3 per hour")
    assert (fig.unit, fig.low, fig.high) == ("usd_per_hour", 2.0, 3.0)


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("2025年上半年", 2025.0, 202501.0, 202506.0),
        ("2025年一季度", 2025.0, 202501.0, 202503.0),
        ("Q1 2025", 2025.0, 202501.0, 202503.0),
        ("H2 2025", 2025.0, 202507.0, 202512.0),
        ("the first half of 2025", 2025.0, 202501.0, 202506.0),
    ],
)
def test_date_parts(text: str, value: float, low: float, high: float) -> None:
    (fig,) = parse_figures(text)
    assert (fig.text, fig.kind, fig.unit, fig.value, fig.low, fig.high) == (
        text,
        "date",
        "date",
        value,
        low,
        high,
    )


def test_offsets_in_a_real_paragraph() -> None:
    text = (
        "DeepSeek-V3的出现，提供了一个极端的反例。其技术报告显示，这一拥有6710亿参数的旗舰模型，"
        "在约14.8万亿Token上完成预训练，仅消耗了约278.8万GPU小时。以市场公允价格核算，其总训练成本约为557.6万美元。"
    )
    figures = parse_figures(text)
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("6710亿参数", 6.71e11, "param"),
        ("约14.8万亿Token", 1.48e13, "token"),
        ("约278.8万GPU小时", 2.788e6, "gpu_hour"),
        ("约为557.6万美元", 5.576e6, "usd"),
    ]
    assert all(text[f.start : f.end] == f.text for f in figures)
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_fullwidth_digits_keep_offsets() -> None:
    (fig,) = parse_figures("份额约８０％")
    assert (fig.text, fig.start, fig.end, fig.value, fig.unit) == ("约８０％", 2, 6, 0.8, "percent")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.788M", 2.788e6),
        ("一千", 1000.0),
        ("两", 2.0),
        ("14.8万亿", 1.48e13),
        ("1e6", 1e6),
        ("1,024", 1024.0),
        ("5.576 million", 5.576e6),
        ("6710亿", 6.71e11),
        ("六千七百一十亿", 6.71e11),
        ("一亿二千万", 1.2e8),
        ("一百零五", 105.0),
        ("十五", 15.0),
        ("二〇二四", 2024.0),
        ("thirty", 30.0),
        ("seventy-five", 75.0),
        ("one hundred and twenty", 120.0),
        ("a dozen", 12.0),
        ("三万五", 35000.0),
        ("百", 100.0),
        ("80%", 0.8),
        ("八成", 0.8),
        ("百分之八十", 0.8),
        ("-0.02", -0.02),
        ("１２", 12.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "H800", "1.2.3", "万一", "12 GPUs", "NaN", "one two", "seventy seventy"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "figure_text", "value", "unit"),
    [
        ("两年后", "两年", 2.0, "year"),
        ("in 3 years", "3 years", 3.0, "year"),
        ("12个月", "12个月", 12.0, "month"),
        ("over 12 months", "over 12 months", 12.0, "month"),
        ("跑了60天", "60天", 60.0, "day"),
        ("价格12个月后为$3.53", "12个月", 12.0, "month"),
    ],
)
def test_parse_duration(text: str, figure_text: str, value: float, unit: str) -> None:
    fig = parse_duration(text)
    assert fig is not None
    assert (fig.text, fig.value, fig.unit) == (figure_text, value, unit)


def test_parse_duration_none() -> None:
    assert parse_duration("$5.576M on H800") is None


def test_figure_is_a_model() -> None:
    fig = parse_figures("80%")[0]
    assert isinstance(fig, Figure)
    assert Figure.model_validate(fig.model_dump()) == fig
