"""Fuzzing with hypothesis: the figure parser, the draft claim finder, question analysis and routing, and the price
calculators take any Unicode (CJK, digits, currency signs, %, 万, 亿, emoji, control characters) without raising
anything but their documented errors, and every figure they return is an exact span of the input."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ask.analyze import analyze
from assistant.ask.route import plan_tool
from assistant.check.claims import find_claims
from assistant.check.figures import read_figures
from tools import implied_change, project_rental_price
from tools.figures import Figure, parse_figures
from tools.prices import MAX_PERIODS

settings.register_profile(
    "fuzz", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FUZZ = settings.get_profile("fuzz")

# Pieces that steer the parsers into their interesting paths, mixed with arbitrary characters.
PIECES = [
    "$", "¥", "€", "£", "US$", "%", "‰", "万", "亿", "万亿", "千", "百", "十", "两", "零", "半", "点", "元", "美元",
    "人民币", "倍", "个月", "年", "月", "日", "小时", "GPU小时", "卡时", "参数", "Token", "H800", "H100", "B", "M", "K",
    "T", "bn", "million", "billion", "trillion", "thousand", "GPU hours", "per hour", "/h", "x", "×", "~", "about",
    "more than", "up to", "约", "超过", "-", "–", "—", "~", "to", "至", "到", ".", ",", "，", "。", "、", "/", "(",
    ")", "[1]", "【2】", "Q3", "H1", "2025", "2024年", "FY2025", "上半年", "per cent", "percentage points", "pp",
    "DeepSeek-V3", "英伟达", "Nvidia", "Gaudi 3", "**", "`", "\n", "\t", " ", "\u3000", "\u200b", "\x00", "\x1b",
    "😀", "🚀", "１２３", "１．５", "％", "Ⅻ", "½", "²", "٣", "१२", "﹩", "＄",
]  # fmt: skip
number = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=0, max_value=10**12).map(lambda n: f"{n:,}"),
)
any_char = st.characters(codec=None, exclude_categories=["Cs"])  # every code point but lone surrogates
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
emoji = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
control = st.characters(min_codepoint=0, max_codepoint=0x1F)
fragment = st.one_of(
    st.sampled_from(PIECES), number, st.text(st.one_of(any_char, cjk, emoji, control), max_size=6)
)
texts = st.lists(fragment, max_size=40).map("".join)
plain_texts = st.text(max_size=300)


def assert_spans(figures: list[Figure], text: str, *, ordered: bool = True) -> None:
    """Every figure quotes ``text`` exactly; with ``ordered``, they come in order and do not overlap."""
    last_end = 0
    for fig in figures:
        assert 0 <= fig.start < fig.end <= len(text), fig
        assert fig.text == text[fig.start : fig.end], fig
        if ordered:
            assert fig.start >= last_end, (fig, last_end)
            last_end = fig.end


@FUZZ
@given(st.one_of(texts, plain_texts))
def test_parse_figures_returns_exact_ordered_spans(text: str) -> None:
    assert_spans(parse_figures(text), text)


@FUZZ
@given(st.one_of(texts, plain_texts))
def test_read_figures_of_drafts_returns_exact_spans(text: str) -> None:
    assert_spans(read_figures(text), text, ordered=False)


@FUZZ
@given(st.one_of(texts, plain_texts))
def test_find_claims_never_raises_and_quotes_the_draft(text: str) -> None:
    claims, contexts, sentences = find_claims(text)
    for start, end in sentences:
        assert 0 <= start <= end <= len(text)
    for ctx in contexts:
        assert ctx.figure.text == text[ctx.figure.start : ctx.figure.end]
        assert ctx.sentence in sentences
    assert all(c.ctx in contexts for c in claims)


@FUZZ
@given(st.one_of(texts, plain_texts))
def test_analysis_and_routing_never_raise(question: str) -> None:
    analysis = analyze(question)
    assert analysis.question == question
    assert analysis.answer_language in ("zh", "en")
    assert_spans(analysis.figures, question)
    plan = plan_tool(analysis)
    if plan is not None:
        assert plan.name
        assert all(isinstance(k, str) for k in plan.arguments)


prices = st.one_of(
    st.floats(min_value=5e-324, max_value=1.7e308, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("1e-30"), max_value=Decimal("1e30"), allow_nan=False, allow_infinity=False),
    st.sampled_from([2.6e-93, 1e-4, 0.01, 1, 2.5, 1e300]),
)
periods = st.one_of(
    st.integers(min_value=1, max_value=2 * MAX_PERIODS), st.sampled_from([1, 12, 1024, 10**9])
)


@FUZZ
@given(prices, prices, periods, st.sampled_from(["month", "year"]))
def test_implied_change_renders_or_names_the_bad_field(start: float, end: float, n: int, per: str) -> None:
    try:
        result = implied_change(start_usd_per_hour=start, end_usd_per_hour=end, periods=n, per=per)
    except ValueError as exc:
        assert n > MAX_PERIODS
        assert str(exc) == f"periods must be at most {MAX_PERIODS} (a century of months), got {n!r}"
        return
    for lang in ("en", "zh"):
        assert result.render(lang)
    assert result.model_dump_json()
    assert (result.end_usd_per_hour > result.start_usd_per_hour) == (result.change > 0)


@FUZZ
@given(prices, st.floats(min_value=-0.999, max_value=1e6, allow_nan=False), periods)
def test_project_rental_price_renders_or_names_the_bad_field(start: float, change: float, n: int) -> None:
    try:
        result = project_rental_price(start_usd_per_hour=start, change=change, periods=n)
    except ValueError as exc:
        assert n > MAX_PERIODS
        assert "periods must be at most" in str(exc)
        return
    assert len(result.path) == n + 1
    for lang in ("en", "zh"):
        assert result.render(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reported_extreme_implied_change_renders_every_digit(lang: str) -> None:
    # Used to raise decimal.InvalidOperation: the total change, 3.8e94 as a percentage, has more digits than
    # the decimal context held.
    result = implied_change(end_usd_per_hour=1, start_usd_per_hour=2.6e-93, periods=1024)
    text = result.render(lang)
    total = re.search(r"\+([\d,]+)%", text.split("+23.145%")[1])
    assert "+23.145%" in text
    assert total is not None
    digits = total[1].replace(",", "")
    assert (len(digits), digits[:12]) == (95, "384615384615")
    assert Decimal(digits) == result.total_change * 100
