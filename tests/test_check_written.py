"""Written calculations: tokens, exact values, chains of "=" steps, stated precision, and what is skipped."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.check.expr import NotComputable, evaluate, tokenize
from assistant.check.report import render_markdown, render_text
from assistant.check.written import find_written, format_value
from assistant.models import CheckReport, Claim, StatedFigure


def found(text: str) -> list[tuple[str, float, float, bool]]:
    """(expression, stated, recomputed, consistent) for each written calculation; spans must quote the text."""
    out = []
    for c in find_written(text):
        assert text[c.start : c.end] == c.text
        assert c.relation == "written"
        out.append((c.expression, c.stated, c.computed, c.consistent))
    return out


# (text, [(expression as written, stated, recomputed, consistent)])
CASES = [
    # operators, English
    ("2048 × 60 × 24 = 3,949,120 GPU hours.", [("2048 × 60 × 24", 3949120, 2949120, False)]),
    ("2048 × 60 × 24 = 2,949,120 GPU hours.", [("2048 × 60 × 24", 2949120, 2949120, True)]),
    ("1.2 * $1616598 = $1941917.6", [("1.2 * $1616598", 1941917.6, 1939917.6, False)]),
    ("6314246 + 25256984 + 50513968 = 82185198.", [("6314246 + 25256984 + 50513968", 82185198, 82085198, False)]),
    ("Cost = 3 x $16.50 = $49.50", [("3 x $16.50", 49.5, 49.5, True)]),
    ("54103064 x 3/4 = 40577298", [("54103064 x 3/4", 40577298, 40577298, True)]),
    ("700 W · 24 h · 30 = 504,000 Wh", [("700 W · 24 h · 30", 504000, 504000, True)]),
    ("12 times 72 equals 874 GPUs.", [("12 times 72", 874, 864, False)]),
    ("8 * 8 is 64 GPUs", [("8 * 8", 64, 64, True)]),
    ("0.3*24*60*60*5046000000000=130792319999999980", [("0.3*24*60*60*5046000000000", 130792319999999980,
                                                          130792320000000000, True)]),
    ("The bill 4 x $1.5 comes to $6", [("4 x $1.5", 6, 6, True)]),
    ("$1,000 / 3 = $333.33", [("$1,000 / 3", 333.33, 1000 / 3, True)]),
    ("$1,000 / 3 = $333.43", [("$1,000 / 3", 333.43, 1000 / 3, False)]),
    ("2^10 = 1,024", [("2^10", 1024, 1024, True)]),
    ("(60-20) = 40 miles", [("(60-20)", 40, 40, True)]),
    ("3(2869949) - 5 = 8609842", [("3(2869949) - 5", 8609842, 8609842, True)]),
    ("6 × 7×10^9 × 2×10^12 = 8.4×10^22 FLOPs", [("6 × 7×10^9 × 2×10^12", 8.4e22, 8.4e22, True)]),
    ("1e6 * 3 = 3e6", [("1e6 * 3", 3e6, 3e6, True)]),
    # percentages
    ("20% of 6,500 = 1,400 GPUs", [("20% of 6,500", 1400, 1300, False)]),
    ("15% × $2,400 = $360", [("15% × $2,400", 360, 360, True)]),
    ("(26.0 − 7.2) / 26.0 ≈ 72.3%", [("(26.0 − 7.2) / 26.0", 0.723, 18.8 / 26, True)]),
    ("(60.9 - 27.0) / 27.0 = 215%", [("(60.9 - 27.0) / 27.0", 2.15, 33.9 / 27, False)]),
    ("(16 − 12.5) / 12.5 × 100 = 28%", [("(16 − 12.5) / 12.5 × 100", 0.28, 28, True)]),
    ("$2,400 + 15% = $2,760", [("$2,400 + 15%", 2760, 2760, True)]),
    # scales: K/M/B/T, million, 万/亿
    ("1.2M requests × $0.002 = $2,400", [("1.2M requests × $0.002", 2400, 2400, True)]),
    ("350K * 40 * 30 = 4.2B", [("350K * 40 * 30", 4.2e9, 4.2e8, False)]),
    ("3 × 2.5T = 7.5T tokens", [("3 × 2.5T", 7.5e12, 7.5e12, True)]),
    ("410 + 19 + 12 = 441 billion", [("410 + 19 + 12", 441e9, 441e9, True)]),
    ("35亿 + 12.5亿 = 47.5亿元", [("35亿 + 12.5亿", 47.5e8, 47.5e8, True)]),
    ("全年营收 = 4 × 26亿美元 = 114亿美元。", [("4 × 26亿美元", 114e8, 104e8, False)]),
    ("模型参数量 = 80 层 × 1.2B = 86B。", [("80 层 × 1.2B", 86e9, 96e9, False)]),
    # Chinese operator and result words
    ("1000 乘以 24 乘以 1.8 等于 43,200 元", [("1000 乘以 24 乘以 1.8", 43200, 43200, True)]),
    ("1024 除以 1.3 约为 700 张", [("1024 除以 1.3", 700, 1024 / 1.3, False)]),
    ("1024 除以 1.3 约为 788 张", [("1024 除以 1.3", 788, 1024 / 1.3, True)]),
    ("500万 减 120万 减 80万 等于 300万", [("500万 减 120万 减 80万", 3e6, 3e6, True)]),
    ("3亿 加 4.5亿 等于 8.5亿", [("3亿 加 4.5亿", 8.5e8, 7.5e8, False)]),
    ("2048张卡 × 30天 × 24小时 = 1,474,560 GPU小时", [("2048张卡 × 30天 × 24小时", 1474560, 1474560, True)]),
    ("总费用 = (1200 + 800) × 1.5 = 2,800 元。", [("(1200 + 800) × 1.5", 2800, 3000, False)]),
    ("平均成本 ≈ 1.2亿 ÷ 4,096 ≈ 2.93万元", [("1.2亿 ÷ 4,096", 29300, 1.2e8 / 4096, True)]),
    # chains
    ("2 × 3 = 6 × 4 = 24", [("2 × 3", 6, 6, True), ("6 × 4", 24, 24, True)]),
    ("500 × 86,400 = 43,200,000 = 4320万", [("500 × 86,400", 43200000, 43200000, True),
                                            ("500 × 86,400", 43200000, 43200000, True)]),
    ("512 × 24 × 365 = 4,485,120 = 4485万", [("512 × 24 × 365", 4485120, 4485120, True),
                                             ("512 × 24 × 365", 44850000, 4485120, False)]),
    ("Bobby has 3(2869949) - 5 = 8609842 - 5 = 8609837.", [("3(2869949) - 5", 8609837, 8609842, False)]),
    ("(16 − 12.5) / 12.5 = 3.5 / 12.5 = 28%", [("3.5 / 12.5", 0.28, 0.28, True)]),
    ("8 × 80 GB = 640 GB = 0.64 TB", [("8 × 80 GB", 640, 640, True)]),
    # rounding: the stated precision, a count cut off, and a hedge
    ("1/6 * 1646864 = 274477", [("1/6 * 1646864", 274477, 1646864 / 6, True)]),
    ("(1/3) * 6537761 = 2179253", [("(1/3) * 6537761", 2179253, 6537761 / 3, True)]),
    ("2 + 2 = 5", [("2 + 2", 5, 4, False)]),
    ("2048 × 60 × 24 ≈ 3,000,000", [("2048 × 60 × 24", 3e6, 2949120, True)]),
    ("2048 × 60 × 24 = 3,000,000", [("2048 × 60 × 24", 3e6, 2949120, False)]),
    # skipped: variables, labels, names, ranges, bullets, unit conversions, functions
    ("8x + 4x = 12x", []),
    ("D / 6 = 30 / 10", []),
    ("x = 15 时，总价 = 12 × 15 = 180 元", [("12 × 15", 180, 180, True)]),
    ("Let p be the price. Revenue = p × 3B tokens.", []),
    ("Number of bad oranges = 1", []),
    ("GPT-4 is 1.8T", []),
    ("Llama 2-7B = 8.4e22", []),
    ("- 353 million * 1024 = 361.5 billion", [("353 million * 1024", 361.5e9, 361472e6, True)]),
    ("390 TFLOP/s * 5 million hours = 7.02e24", []),
    ("sqrt(1.68e23 * 2.74e23) = 2.14e23", []),
    ("1 week + 25 hours = 193 hours", []),
    ("The 14 745 600 000 * 2 = 29491200000 tokens", []),
    ("DeepSeek-V3 has 671B parameters.", []),
    # a letter bound to one number in the same text is put in; unbound or twice-bound letters stay skipped
    ("We know 20x = 8414125, so x = 420706.", [("20x", 8414125, 8414120, False)]),
    ("Let n be 12 nodes, so 8n = 96 GPUs.", [("8n", 96, 96, True)]),
    ("设 m 为 48。训练用了 25m = 1250 小时。", [("25m", 1250, 1200, False)]),
    ("已知 k = 7，节点数是 9k = 72 个。", [("9k", 72, 63, False)]),
    ("If x = 5, then (13/4)x = 16.25 and x + 3x + (1/4)x = 21.25.", [("(13/4)x", 16.25, 16.25, True),
                                                                   ("x + 3x + (1/4)x", 21.25, 21.25, True)]),
    ("so with l = 4096, k = 16, r = 127, l(r+l/k) = 1568768.", [("l(r+l/k)", 1568768, 1568768, True)]),
    ("x is the tokens per step. If 12x = 240,000, a step sees 20,000.", []),
    ("First q = 40. Later q = 64. So 3q = 192.", []),
    ("p = 4(9913180) + 22 tokens, so 2p = 9.", []),
    # an operation in words on the result stated just before
    ("It reads 6,480,000 tokens per hour. Dividing this by 60, we get 108,000 a minute.",
     [("6,480,000 ÷ 60", 108000, 108000, True)]),
    ("Each worker handles 5,238 requests. Multiplying this by 37 workers, we get 192,806.",
     [("5,238 × 37", 192806, 193806, False)]),
    ("There were 9,870,412 rows. Subtracting the 415,300 duplicates from this, we get 9,455,112.",
     [("9,870,412 − 415,300", 9455112, 9455112, True)]),
    ("每张卡处理 18,450 条请求。乘以 64 张卡，得到 1,190,800 条。", [("18,450 × 64", 1190800, 1180800, False)]),
    ("The lab has 120 GPUs. Dividing by 4 teams, we get 30 each.", []),
    # money against money off by a scale word is an error, not a change of units
    ("总成本 = 278.8 万 × 2 美元 ≈ 5.576 亿美元。", [("278.8 万 × 2 美元", 5.576e8, 5.576e6, False)]),
    ("总成本 = 278.8 万 × 2 美元 ≈ 557.6 万美元。", [("278.8 万 × 2 美元", 5.576e6, 5.576e6, True)]),
    # "≈ 3.2x" ends the result with a multiple; "20x = 8414125" is still a variable
    ("The speed-up is 989 / 312 ≈ 3.2x.", [("989 / 312", 3.2, 989 / 312, True)]),
    ("The speed-up is 989 / 312 ≈ 3.5x.", [("989 / 312", 3.5, 989 / 312, False)]),
    ("So 20x = 8414125 and 4x + 2 = 9.", []),  # "4x + 2" is no product of 4 and +2
    # "a rate of" names what the expression computes; "half of", "20% of" take a part of it
    ("Model B solves 329 of 500 tasks, a rate of 329 / 500 = 67.8%.", [("329 / 500", 0.678, 0.658, False)]),
    ("a total of 3 × 4 = 12 units", [("3 × 4", 12, 12, True)]),
    ("half of 300 × 2 = 300", []),
    ("one third of 300 × 2 = 200", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_written_calculations(text: str, expected: list[tuple[str, float, float, bool]]) -> None:
    got = found(text)
    assert [(e, s, c, ok) for e, s, c, ok in got] == [
        (e, pytest.approx(s, rel=1e-9), pytest.approx(c, rel=1e-9), ok) for e, s, c, ok in expected
    ]


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        ("2 + 3 × 4", Fraction(14)),
        ("(2 + 3) × 4", Fraction(20)),
        ("2 ^ 3 ^ 2", Fraction(512)),
        ("-2 ^ 2", Fraction(-4)),
        ("1 / 3 + 1 / 6", Fraction(1, 2)),
        ("10 - 4 - 3", Fraction(3)),
        ("3(4 + 1)", Fraction(15)),
        ("50% + 20%", Fraction(7, 10)),
        ("200 - 10%", Fraction(180)),
        ("2万 × 3", Fraction(60000)),
    ],
)
def test_evaluate_is_exact_with_precedence(tokens: str, value: Fraction) -> None:
    assert evaluate(tokenize(tokens)) == value


@pytest.mark.parametrize("tokens", ["1 / 0", "(1 + 2", "2 ^ 100000", "2 ^ 0.5", "3 +"])
def test_evaluate_refuses_what_it_cannot_compute_exactly(tokens: str) -> None:
    with pytest.raises(NotComputable):
        evaluate(tokenize(tokens))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("$1.2M×3", [("num", "$1.2M"), ("op", "×"), ("num", "3")]),
        ("4320万 等于", [("num", "4320万"), ("eq", "等于")]),
        ("H800 x 8", [("word", "H800"), ("letter", "x"), ("num", "8")]),
        ("3 times 4 is about 12", [("num", "3"), ("op", "times"), ("num", "4"), ("eq", "is"), ("hedge", "about"),
                                   ("num", "12")]),
        ("**$5M** + 1", [("num", "$5M"), ("op", "+"), ("num", "1")]),
        ("增加30", [("word", "增"), ("op", "加"), ("num", "30")]),
        ("乘客 3", [("word", "乘客"), ("num", "3")]),
        # a comma after a separated number ends it ("$1,750, or"), not the number
        ("$1,750, or", [("num", "$1,750"), ("break", ","), ("word", "or")]),
        ("1,024, 5", [("num", "1,024"), ("break", ","), ("num", "5")]),
    ],
)  # fmt: skip
def test_tokens(text: str, kinds: list[tuple[str, str]]) -> None:
    assert [(t.kind, t.text) for t in tokenize(text)] == kinds


@pytest.mark.parametrize(
    ("value", "like", "shown"),
    [
        (Fraction(6193152), "$6.5M", "$6.193M"),
        (Fraction(2949120), "294.9万", "294.912万"),
        (Fraction(113, 90), "215%", "125.56%"),
        (Fraction(1000, 3), "333.43", "333.3333"),
        (Fraction(841, 10**3) * 10**23, "6.3×10^23", "8.41×10^22"),
    ],
)
def test_recomputed_value_is_written_like_the_stated_one(value: Fraction, like: str, shown: str) -> None:
    (tok,) = [t for t in tokenize(like) if t.kind == "num"]
    assert format_value(value, tok) == shown


def test_cli_and_markdown_show_expression_stated_and_recomputed() -> None:
    draft = "Training took 2048 × 60 × 24 = 3,949,120 GPU hours. 租金 = 1,474,560 × 2 = 294.9万美元。"
    report = CheckReport(arithmetic=find_written(draft), language="en")
    text = render_text(report, draft)
    assert "= 3,949,120 [A1 ✗ = 2,949,120] GPU hours." in text
    assert "= 294.9万美元 [A2 ✓]。" in text
    assert "A1 ✗ written: 2048 × 60 × 24 = 3,949,120 → recomputed 2,949,120" in text
    md = render_markdown(report)
    assert "| A1 | ✗ | written | 3,949,120 | 2,949,120 | `2048 × 60 × 24` |" in md


# --- properties ------------------------------------------------------------------------------------------------

_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "×": lambda a, b: a * b}


@st.composite
def calculations(draw: st.DrawFn) -> tuple[str, Fraction]:
    n = draw(st.integers(min_value=2, max_value=4))
    nums = [draw(st.integers(min_value=1, max_value=99999)) for _ in range(n)]
    ops = [draw(st.sampled_from(sorted(_OPS))) for _ in range(n - 1)]
    text, value = str(nums[0]), Fraction(nums[0])
    for op, x in zip(ops, nums[1:], strict=True):
        if op == "×":  # keep the left-to-right value equal to the precedence value: bracket what came before
            text = f"({text})" if any(o in text for o in "+-") else text
        text, value = f"{text} {op} {x}", _OPS[op](value, Fraction(x))
    return text, value


def _written(value: Fraction) -> str:
    assert value.denominator == 1
    return f"{int(value):,}"


@settings(max_examples=150, deadline=None)
@given(calculations(), st.sampled_from(["The total is {e} = {r} GPU hours.", "合计 {e} = {r} 元。", "{e} equals {r}"]))
def test_a_correct_calculation_is_never_flagged(calc: tuple[str, Fraction], frame: str) -> None:
    expr, value = calc
    checks = find_written(frame.format(e=expr, r=_written(value)))
    assert len(checks) == 1 and checks[0].consistent


@settings(max_examples=150, deadline=None)
@given(calculations(), st.integers(min_value=1, max_value=10**6), st.booleans())
def test_a_perturbed_result_is_always_flagged(calc: tuple[str, Fraction], delta: int, up: bool) -> None:
    expr, value = calc
    wrong = value + delta if up else value - delta
    (check,) = find_written(f"{expr} = {_written(wrong)}")
    assert not check.consistent
    assert check.computed == pytest.approx(float(value))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=10**7), st.integers(min_value=2, max_value=999))
def test_a_rounded_quotient_agrees_and_one_place_off_does_not(a: int, b: int) -> None:
    hundredths = round(Fraction(a * 100, b))  # the quotient rounded to two decimals, in hundredths
    assert find_written(f"{a} / {b} = {hundredths // 100}.{hundredths % 100:02d}")[0].consistent
    off = hundredths + 2
    assert not find_written(f"{a} / {b} = {off // 100}.{off % 100:02d}")[0].consistent


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str) -> None:
    for c in find_written(text):
        assert text[c.start : c.end] == c.text


@pytest.mark.parametrize(
    ("text", "consistent"),
    [
        # a double's print-out of a float result: its last digits are rounding noise
        ("13079232 × 10000000000 = 130792319999999980", True),
        ("0.1 × 3 = 0.30000000000000004", True),
        # numbers a double holds exactly, or that no double prints: every digit counts
        ("1288 × 1595 × 21984 × 22142 = 1,000,000,258,414,079", False),
        ("318 × 3185 × 22086 × 22352 = 500,000,010,269,759", False),
        ("0.1 × 3 = 0.30000000000000009", False),
    ],
)
def test_float_noise_only_in_a_pasted_double(text: str, consistent: bool) -> None:
    (check,) = find_written(text)
    assert check.consistent is consistent


@pytest.mark.parametrize("verdict", ["supported", "contradicted", "unverifiable"])
def test_cli_table_keeps_verdict_and_figure_apart(verdict: str) -> None:
    """The longest verdict labels ("✗ contradicted", "? unverifiable") still leave a space before the figure."""
    draft = "The campus draws 12 MW."
    fig = StatedFigure(text="12 MW", value=1.2e7, unit="watt", start=17, end=22)
    claim = Claim(text=draft, start=17, end=22, figure=fig, subject="campus", verdict=verdict)  # type: ignore[arg-type]
    row = next(line for line in render_text(CheckReport(claims=[claim], language="en"), draft).splitlines()
               if line.startswith("1 "))
    assert f"{verdict} " in row and f"{verdict}12 MW" not in row
