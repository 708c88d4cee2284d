"""Evidence read in the claim's terms: scales a header writes with a currency or in its corner cell, bare table
cells as percentages, the documents a claim names by their titles, names of another script, and the one figure of
its kind paired across a restated sentence."""

from __future__ import annotations

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.check.align import Aligner
from assistant.check.evidence import EvidenceFinder, as_percent
from assistant.check.owned import _askable
from assistant.check.tables import Cell, apply_header, header_unit
from assistant.settings import Settings
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2024 capex (US$ bn)", ("usd", 1e9)),
        ("Item (US$ million)", ("usd", 1e6)),
        ("Revenue (HK$ m)", None),  # "m" alone is no scale the parser reads
        ("hf_downloads_last_month_millions", (None, 1e6)),  # "last month" says when, not the unit
        ("revenue_usd_millions", ("usd", 1e6)),
        ("likes_thousands", (None, 1e3)),
        ("power_kw", ("kilowatt", 1.0)),
    ],
)
def test_header_scales(label: str, expected: tuple[str | None, float] | None) -> None:
    assert header_unit(label) == expected


@pytest.mark.parametrize(
    ("cell", "header", "row", "corner", "unit", "value"),
    [
        ("30.5", "2024", "Revenue", "Item (US$ million)", "usd", 30.5e6),  # the corner writes the unit
        ("12.2", "2024", "Gross margin (%)", "Item (US$ million)", "percent", 0.122),  # a share row: its own
        ("4.40", "Output ($/1M tokens)", "o3-mini", "", "usd", 4.4),  # money per an amount of tokens
        ("16.9", "价格（元/百万 tokens）", "A800", "", "cny", 16.9),
        ("128", "Context window", "Gemma", "", "token", 128.0),
    ],
)
def test_apply_header_corner_and_prices(
    cell: str, header: str, row: str, corner: str, unit: str | None, value: float
) -> None:
    fig = apply_header(parse_figures(cell)[0], Cell(header, row, corner=corner))
    assert (fig.unit, fig.value) == (unit, pytest.approx(value))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("profit rose 21.0% to 5.62 billion yuan", [0.21, 5.62e9]),
        ("users grew 5% to 3 million", [0.05, 3e6]),
        ("净利润增长 20.1% 至 56.2 亿元", [0.201, 5.62e9]),
        ("$2-3 billion", [2.5e9]),  # a range still takes its scale
    ],
)
def test_a_percentage_keeps_its_own_scale(text: str, values: list[float]) -> None:
    assert [f.value for f in parse_figures(text)] == [pytest.approx(v) for v in values]


_CARD = "Scores are percentages.\n\n| Benchmark | Gemma 3 4B |\n|---|---|\n| HumanEval | 71.3 |\n| Elo | 1338 |\n"


def test_bare_cells_read_as_percentages_for_a_percent_claim() -> None:
    retriever = OneChunkRetriever({"g": ("Gemma 3 card", "Gemma-3_card.md", _CARD)})
    finder = EvidenceFinder(retriever, k=4)
    figures = finder.figures(retriever.search("HumanEval")[0], 0)
    claimed = parse_figures("71.3%")[0]
    read = {sf.ctx.figure.text: (sf.ctx.figure.unit, sf.ctx.figure.value) for sf in as_percent(claimed, figures)}
    assert read["71.3"] == ("percent", pytest.approx(0.713))
    assert read["1338"] == (None, 1338.0)  # above a hundred: no percentage
    bare = {sf.ctx.figure.text: sf.ctx.figure.unit for sf in as_percent(parse_figures("71.3")[0], figures)}
    assert bare["71.3"] is None  # a claim without "%" reads the cell as written


def test_documents_named_by_title() -> None:
    retriever = OneChunkRetriever(
        {
            "k": ("快手二季度营收 350 亿元", "news/Kuaishou_2025Q2_news_zh.md", "二季度快手应用平均日活跃用户达 4.09 亿。"),
            "g3": ("Gemma 3 model card", "cards/Gemma-3_card_en.md", "Gemma 3 reads 128K tokens."),
            "g2": ("Gemma 2 README", "cards/Gemma-2_README_en.md", "Gemma 2 reads 8K tokens."),
        }
    )
    aligner = Aligner.for_retriever(retriever)
    assert aligner.documents_named("Kuaishou averaged 409 million daily users.") == ["k"]
    assert sorted(aligner.documents_named("Gemma 3 reads 128K tokens.")) == ["g2", "g3"]
    assert aligner.documents_named("Gemma 3 reads 128K tokens.", most=1) == []  # a name of many documents
    assert aligner.documents_named("快手日活 4.09 亿。", ["快手"]) == ["k"]  # Chinese: only a subject's name
    assert aligner.documents_named("the daily users of the app") == []  # words, not names


@pytest.mark.parametrize(
    ("names", "where", "asked"),
    [
        (["四季度"], "Amazon's fourth-quarter capex was $26.3 billion. Capex tracker", []),
        (["四季度"], "亚马逊四季度资本开支为 263 亿美元。", ["四季度"]),
        (["kuaishou", "快手"], "Kuaishou daily users", ["kuaishou"]),
    ],
)
def test_a_chinese_name_is_not_asked_of_an_english_source(names: list[str], where: str, asked: list[str]) -> None:
    assert _askable(names, where) == asked


def test_the_one_figure_of_its_kind_pairs_across_languages() -> None:
    retriever = OneChunkRetriever(
        {
            "st": (
                "商汤 2024 年业绩",
                "news/SenseTime_2024_results_zh.md",
                "亏损方面，商汤2024年净亏损为43.07亿元，较上一年的64.95亿元收窄33.7%。",
            )
        },
        char_overlap=True,
    )
    draft = "SenseTime's net loss narrowed to 4.307 billion yuan in 2024 from 6.495 billion, a reduction of 37.3%."
    report = check_text(draft, retriever=retriever, settings=Settings())
    verdicts = {c.figure.text: c.verdict for c in report.claims}
    assert verdicts["37.3%"] == "contradicted"
    wrong = next(c for c in report.claims if c.figure.text == "37.3%")
    assert wrong.source_figure is not None and wrong.source_figure.value == pytest.approx(0.337)
    assert verdicts["4.307 billion yuan"] == "supported"
