"""The figure of a sentence chosen by the meaning of its own words, with its score by words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.ask.candidate import Scored
from assistant.ask.figuremeaning import FIGURE_SHORTLIST, choose_by_meaning, closeness, figure_texts, unnamed
from assistant.ask.terms import Term
from assistant.models import Chunk, Document, Passage
from tools.figures import parse_figures

RETENTION = "Zorblax 新用户的次日留存率为41.5%，7日留存率为27.8%，30日留存率为16.2%。"
PAYING = "Zorblax 月活跃用户中曾经付费的比例为3.9%，而在过去30天内付费的比例为1.6%。"
RECORD = "company: Zorblax; amount_raised_usd_m: 3500; post_money_valuation_usd_b: 61.5; employees: 1100"


def _passage(text: str, title: str = "app report") -> Passage:
    doc = Document(
        id="d", title=title, source_path="report.md", kind="markdown", language="zh", chunks=1, chars=len(text),
        content_hash="h", ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    return Passage(chunk=Chunk(id="d:0", doc_id="d", ordinal=0, text=text, start=0, end=len(text)), document=doc, score=1)


def _cand(text: str, words: list[float], *, values: list[float] | None = None) -> Scored:
    """A sentence candidate whose figures (those of ``values``, else all) score ``words`` by words, the best first
    taken as its figure."""
    figures = [f for f in parse_figures(text) if values is None or f.value in values]
    hits = list(zip(words, figures, strict=True))
    best = max(hits, key=lambda h: h[0])[1]
    return Scored(passage=0, start=0, end=len(text), text=text, figure=best, kind_hit=1.0, said=text, hits=hits)


def _sims_by(favoured: str, high: float = 0.80, low: float = 0.76):
    def similarity(texts: list[str]) -> list[float]:
        return [high if favoured in t else low for t in texts]

    return similarity


@pytest.mark.parametrize(
    ("text", "words", "values", "favoured", "expected"),
    [
        # words barely tell the retention figures apart: meaning chooses the week's ("a week later")
        (RETENTION, [0.52, 0.50, 0.50], [0.415, 0.278, 0.162], "7日", 0.278),
        # "ever paid" against "paid in the past 30 days", across languages
        (PAYING, [0.50, 0.52], [0.039, 0.016], "曾经付费", 0.039),
        # a field's label is its figure's own words: the valuation, not the amount raised
        (RECORD, [0.40, 0.40], [3500.0, 61.5], "valuation", 61.5),
    ],
)
def test_meaning_chooses_among_figures_words_barely_separate(
    text: str, words: list[float], values: list[float], favoured: str, expected: float
) -> None:
    cand = _cand(text, words, values=values)
    choose_by_meaning([cand], [_passage(text)], _sims_by(favoured))
    assert cand.figure is not None and cand.figure.value == pytest.approx(expected)


def test_a_figure_the_words_clearly_name_keeps_its_place() -> None:
    # by words the first is twice the others: a small lead in meaning does not outweigh it
    cand = _cand(RETENTION, [1.0, 0.5, 0.5], values=[0.415, 0.278, 0.162])
    choose_by_meaning([cand], [_passage(RETENTION)], _sims_by("7日", high=0.80, low=0.79))
    assert cand.figure is not None and cand.figure.value == pytest.approx(0.415)


def test_no_similarity_leaves_the_figure_and_one_batch_is_asked() -> None:
    cand = _cand(PAYING, [0.50, 0.52], values=[0.039, 0.016])
    calls: list[list[str]] = []

    def none(texts: list[str]) -> None:
        calls.append(texts)
        return None

    choose_by_meaning([cand], [_passage(PAYING)], none)
    assert cand.figure is not None and cand.figure.value == pytest.approx(0.016)
    assert calls == [["app report\nZorblax 月活跃用户中曾经付费的比例为3.9%", "app report\n在过去30天内付费的比例为1.6%。"]]


def test_rows_single_figures_and_unnamed_candidates_are_not_read() -> None:
    row = _cand("| Zorblax | 41.5% | 27.8% |", [0.5, 0.5])
    row.kind = "row"
    lone = _cand("Zorblax 的次日留存率为41.5%。", [0.5])
    other = _cand(RETENTION, [0.52, 0.50, 0.50], values=[0.415, 0.278, 0.162])
    other.names = 0.5
    calls: list[list[str]] = []

    def similarity(texts: list[str]) -> list[float]:
        calls.append(texts)
        return [0.8] * len(texts)

    choose_by_meaning([row, lone, other], [_passage(RETENTION)], similarity)
    assert calls == []


def test_only_the_shortlist_is_embedded() -> None:
    cands = [_cand(RETENTION, [0.52, 0.50, 0.50], values=[0.415, 0.278, 0.162]) for _ in range(FIGURE_SHORTLIST + 2)]
    sizes: list[int] = []

    def similarity(texts: list[str]) -> list[float]:
        sizes.append(len(texts))
        return [0.8] * len(texts)

    choose_by_meaning(cands, [_passage(RETENTION)], similarity)
    assert sizes == [3 * FIGURE_SHORTLIST]


def test_figure_texts_carry_the_title_and_each_figures_own_words() -> None:
    cand = _cand(RECORD, [0.4, 0.4, 0.4], values=[3500.0, 61.5, 1100.0])
    texts = [f.text for f in figure_texts(cand, "funding")]
    assert texts == [
        "funding\ncompany: Zorblax; amount_raised_usd_m: 3500",
        "funding\npost_money_valuation_usd_b: 61.5",
        "funding\nemployees: 1100",
    ]


@pytest.mark.parametrize(
    ("question", "names", "expected"),
    [
        ("What fraction of Zorblax's monthly users ever paid?", [("zorblax", ())], "What fraction of 's monthly users ever paid?"),
        ("佐布拉克 的次日留存率是多少？", [("佐布拉克", ("zorblax",))], "的次日留存率是多少？"),
        # a question that is all name keeps its words
        ("Zorblax", [("zorblax", ())], "Zorblax"),
    ],
)
def test_unnamed_drops_the_names(question: str, names: list[tuple[str, tuple[str, ...]]], expected: str) -> None:
    terms = [Term(text=t, forms=f, weight=1.0, name=True) for t, f in names]
    assert unnamed(question, terms) == expected


@pytest.mark.parametrize(("sim", "top", "expected"), [(0.80, 0.80, 1.0), (0.775, 0.80, 0.5), (0.70, 0.80, 0.0)])
def test_closeness_is_relative_to_the_closest(sim: float, top: float, expected: float) -> None:
    assert closeness(sim, top) == pytest.approx(expected)


def test_a_figure_without_words_of_its_own_leaves_the_choice_to_the_words() -> None:
    text = "Zorblax wins 51.8% of comparisons against Gemma, 54.0% against Qwen and 52.9% against Llama."
    cand = _cand(text, [0.52, 0.50, 0.50])
    assert figure_texts(cand, "card") == []
