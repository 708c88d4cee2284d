"""What a claim measures (its own names that are no subject), change roles, other currencies, and verdicts that
follow the row or clause naming the claim's measure."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.claims import find_claims
from assistant.check.figures import read_figures
from assistant.check.measured import is_change_end, is_change_start, measure_names
from assistant.settings import Settings

CURRENCIES = [
    ("The deal values it at €11.7 billion.", [("€11.7 billion", 1.17e10, "eur")]),
    ("融资已接近 28 亿欧元（含债务）", [("接近 28 亿欧元", 2.8e9, "eur")]),
    ("EUR 5 million", [("EUR 5 million", 5e6, "eur")]),
    ("£3 million and 5 million euros", [("£3 million", 3e6, "gbp"), ("5 million euros", 5e6, "eur")]),
    ("100 亿日元", [("100 亿日元", 1e10, "jpy")]),
    ("raised $750 million", [("$750 million", 7.5e8, "usd")]),  # the shared parser's currencies unchanged
    ("weights of 264GB", [("264GB", 2.64e11, "byte")]),
]


@pytest.mark.parametrize(("text", "expected"), CURRENCIES)
def test_other_currencies(text: str, expected: list[tuple[str, float, str]]) -> None:
    figs = read_figures(text)
    assert [(f.text, f.value, f.unit) for f in figs] == expected
    assert all(text[f.start : f.end] == f.text for f in figs)


# (draft, figure text, the claim's measure names)
MEASURES = [
    # a firm the vocabulary lacks stays a name: one of the names in the source's label is enough
    (
        "Granite-3.0-8B-Instruct posted an MMLU score of 68.27 in IBM's own comparison.",
        "68.27",
        ["mmlu", "ibm"],
    ),
    ("DeepSeek-R1 在 C-Eval 上的得分为 81.8。", "81.8", ["c-eval"]),
    ("以 bfloat16 精度加载 StarCoder2-15B 大约需要 16.9 GB 内存。", "16.9 GB", ["bfloat16"]),
    # each figure of a sentence by its own words: the hidden dimension is not the FFN's
    ("Skywork-13B has a hidden dimension of 4,608 and an FFN dimension of 12,288.", "4,608", []),
    ("Skywork-13B has a hidden dimension of 4,608 and an FFN dimension of 12,288.", "12,288", ["ffn"]),
    # a product that is the claim's only subject is whose figure it is, and a word beside a name is its part
    ("The 3FS read stress test ran on a cluster of 180 storage nodes.", "180", []),
    ("FlashMLA reaches up to 3000 GB/s on H800 SXM5.", "up to 3000 GB/s", []),
    ("DeepSeek-V3 was trained on 14.8T tokens.", "14.8T tokens", []),
]


@pytest.mark.parametrize(("draft", "figure", "names"), MEASURES)
def test_measure_names(draft: str, figure: str, names: list[str]) -> None:
    claims, _, _ = find_claims(draft)
    claim = next(c for c in claims if c.ctx.figure.text == figure)
    assert measure_names(claim) == names


# (draft, figure text, starts a change, ends one)
ROLES = [
    ("Yuan2-2B raised GSM8K accuracy from 70.2% to 87.7%.", "70.2%", True, False),
    ("Yuan2-2B raised GSM8K accuracy from 70.2% to 87.7%.", "87.7%", False, True),
    ("Yuan2-2B 把 HumanEval 成绩从 54.9% 提升到了 71.5%。", "54.9%", True, False),
    ("Yuan2-2B 把 HumanEval 成绩从 54.9% 提升到了 71.5%。", "71.5%", False, True),
    ("XVERSE-65B-2 的 GSM8K 得分为 72.4。", "72.4", False, False),
]


@pytest.mark.parametrize(("draft", "figure", "start", "end"), ROLES)
def test_change_roles(draft: str, figure: str, start: bool, end: bool) -> None:
    claims, _, _ = find_claims(draft)
    ctx = next(c for c in claims if c.ctx.figure.text == figure).ctx
    assert (is_change_start(ctx), is_change_end(ctx)) == (start, end)


DOCS = {
    "granite": (
        "Granite 3.0 README",
        "granite/README.md",
        "## Results\n\n| Benchmark | Granite-3.0-8B-Instruct | Llama-3.1-8B-Instruct |\n|---|---|---|\n"
        "| Arena-Hard | 24.30 | 25.70 |\n| MMLU (5-shot) | 65.82 | 68.27 |\n",
    ),
}


@pytest.fixture
def retriever() -> OneChunkRetriever:
    return OneChunkRetriever(DOCS)


# (draft, verdict, the source figure shown when contradicted)
VERDICTS = [
    # the MMLU row's cell, not the Arena-Hard row's, is the claim's quantity
    ("Granite-3.0-8B-Instruct posted an MMLU score of 68.27.", "contradicted", 65.82),
    ("Granite-3.0-8B-Instruct posted an MMLU score of 65.82.", "supported", None),
]


@pytest.mark.parametrize(("draft", "verdict", "shown"), VERDICTS)
def test_verdicts_follow_the_measured_row(
    draft: str, verdict: str, shown: float | None, retriever: OneChunkRetriever, tmp_path
) -> None:
    report = check_text(draft, retriever=retriever, settings=Settings(data_dir=tmp_path))
    assert [c.verdict for c in report.claims] == [verdict]
    got = report.claims[0].source_figure
    assert (got.value if got else None) == (pytest.approx(shown) if shown is not None else None)


# A four-digit number a measure word counts is a claim, not a year
COUNTS = [
    ("寒武纪累计获得授权专利 1959 项。", ["1959"]),
    ("成立于 2016 年，拥有 2016 名员工。", ["2016"]),
    ("2024 年营收 11 亿元。", ["11 亿元"]),
    ("In 2016 it had 1,200 people.", ["1,200"]),
]


@pytest.mark.parametrize(("draft", "figures"), COUNTS)
def test_counted_year_like_numbers(draft: str, figures: list[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert [c.ctx.figure.text for c in claims] == figures
