"""The words a sentence writes for each of its figures, and the figure of one clause they choose."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.candidate import Scored
from assistant.ask.figureslots import slot_coverage, slots
from assistant.ask.kinds import kind_hit
from tools.figures import parse_figures

TWO_GROUPS = "The dense Zorblax models saw 12 trillion tokens and the MoE Zorblax models 10 trillion tokens."
TWO_SCORES = "The 2B Zorblax instruct model reaches 55.24 on MMLU and 57.51 on IFEval."
WITH_NAME = "The Zorblax-7B run used about 239 MWh; the Twin-2T run used about 152 MWh in 2024."
CHINESE = "Zorblax 本次公开发行 7000 万股，发行价为每股 114.28 元，募集资金约 80 亿元。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TWO_GROUPS, {12e12: "The dense Zorblax models saw 12 trillion tokens", 10e12: "the MoE Zorblax models 10 trillion tokens."}),
        # words between two figures with no joint are both's ("Zorblax instruct model reaches")
        (TWO_SCORES, {55.24: "Zorblax instruct model reaches 55.24 on MMLU", 57.51: "57.51 on IFEval."}),
        # a figure inside a name ("Twin-2T") or a year ("2024") marks no border
        (WITH_NAME, {239: "The Zorblax-7B run used about 239 MWh", 152: "the Twin-2T run used about 152 MWh in 2024."}),
        (CHINESE, {7e7: "Zorblax 本次公开发行 7000 万股", 114.28: "发行价为每股 114.28 元", 8e9: "募集资金约 80 亿元。"}),
        # a label a colon ends is the figure's after it ("field: value" records, "营收：…")
        (
            "company: Zorblax; raised_usd_m: 3500; valuation_usd_b: 61.5",
            {3500: "company: Zorblax; raised_usd_m: 3500", 61.5: "valuation_usd_b: 61.5"},
        ),
        ("营收：9.89 亿元，净利润：1.2 亿元", {9.89e8: "营收：9.89 亿元", 1.2e8: "净利润：1.2 亿元"}),
    ],
)
def test_each_figure_has_the_words_between_its_neighbours_joints(text: str, expected: dict[float, str]) -> None:
    every = parse_figures(text)
    own = {f.value: s.strip() for f, s in zip(every, slots(text, every), strict=True)}
    assert {k: own[k] for k in expected} == expected


THROUGHPUT = "The read throughput of all Zorblax clients (1x400Gbps NIC/node) peaked, with peak throughput reaching 40 GiB/s."


@pytest.mark.parametrize(
    ("question", "text", "lead"),
    [
        # a figure alone of its unit in its clause gains nothing by its own words ("1" of "1x400Gbps")
        ("What peak read throughput did the Zorblax clients reach?", THROUGHPUT, 40e9),
        ("How many tokens were the MoE Zorblax models trained on?", TWO_GROUPS, 10e12),
        ("How many tokens were the dense Zorblax models trained on?", TWO_GROUPS, 12e12),
        ("Zorblax 的 MoE 模型训练了多少 token？", TWO_GROUPS, 10e12),
    ],
)
def test_a_figures_own_words_choose_among_figures_of_one_clause(question: str, text: str, lead: float) -> None:
    analysis = analyze(question)
    assert analysis.asked is not None
    names = [t for t in analysis.terms if t.name]
    content = [t for t in analysis.terms if not t.name]
    _, figure = kind_hit(analysis.asked, parse_figures(text), text, [], terms=content, names=names)
    assert figure is not None and figure.value == lead


def test_slot_coverage_is_the_weighted_share_of_terms_in_the_words() -> None:
    terms = analyze("How many tokens were the MoE Zorblax models trained on?").terms
    every = parse_figures(TWO_GROUPS)
    dense, moe = slots(TWO_GROUPS, every)
    assert slot_coverage(moe, terms) > slot_coverage(dense, terms)
    assert slot_coverage("", terms) == 0.0


MEMORY_TABLE = (
    "| Version | File size | Memory |\n|---|---|---|\n| Zorblax-14B-Chat (BF16) | 29 GB | 32 GB |\n"
    "| Zorblax-14B-Chat-Int4 | 8.5 GB | 11 GB |\n"
)


def test_a_rows_label_writing_the_questions_names_says_more_of_them() -> None:
    from assistant.ask.spans import sentence_spans
    from assistant.ask.surround import label_names, labels_left_out

    names = [t for t in analyze("How much memory does the Int4 version of Zorblax-14B-Chat need?").terms if t.name]
    spans = sentence_spans(MEMORY_TABLE)
    rows = [j for j, sp in enumerate(spans) if sp.kind == "row"]
    shares = [round(label_names(MEMORY_TABLE, spans[j], names), 2) for j in rows]
    assert len(shares) == 2 and shares[1] == 1.0 and 0.0 < shares[0] < 1.0
    # the row leaving out a name its table's other row writes loses that share; the other loses nothing
    left_out = labels_left_out(MEMORY_TABLE, spans, names)
    assert [round(left_out[j], 2) for j in rows] == [round(1.0 - shares[0], 2), 0.0]
    assert labels_left_out(MEMORY_TABLE, spans, []) == [0.0] * len(spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a count asked in Chinese words of English text: a bare number is what it looks like, not "5 gigawatts"
        ("At its peak the Zorblax site employs about 5,000 people and draws 5 gigawatts.", (0.4, 5000.0)),
        ("The Zorblax site draws 5 gigawatts by 2030.", (0.0, None)),
        # the cue word in the text's own script stands by its number
        ("Zorblax 施工高峰期约有 5000 名建筑工人。", (0.8, 5000.0)),
    ],
)
def test_a_bare_number_answers_a_count_asked_in_the_other_script(
    text: str, expected: tuple[float, float | None]
) -> None:
    analysis = analyze("Zorblax 施工高峰期需要多少名建筑工人？")
    assert analysis.asked is not None
    names = [t for t in analysis.terms if t.name]
    content = [t for t in analysis.terms if not t.name]
    strength, figure = kind_hit(
        analysis.asked, parse_figures(text), text, [], cues=("建筑工人",), terms=content, names=names
    )
    assert (strength, figure.value if figure is not None else None) == expected


def _cand(passage: int, start: int, score: float, text: str, *, kind: str = "sentence") -> Scored:
    figure = parse_figures(text)[0]
    return Scored(passage=passage, start=start, end=start + len(text), text=text, score=score, kind=kind,
                  figure=figure, kind_hit=1.0)


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # the part's second candidate shares the first part's sentence, nearly as good: both are answered there
        (1.11, (50, 50)),
        # far below the part's best: its own best stands
        (1.05, (50, 0)),
    ],
)
def test_two_parts_near_equal_are_answered_from_one_sentence(second: float, expected: tuple[int, int]) -> None:
    from assistant.ask.partfill import together

    first = analyze("Zorblax 一季度净利润是多少？")
    growth = analyze("同比增长了多少？")
    assert first.asked is not None and growth.asked is not None
    profit = _cand(0, 50, 1.19, "净利润 15.83 亿元，同比增长 56.83%。")
    revenue = _cand(0, 0, 1.25, "营业收入 66.74 亿元，同比增长 37.82%；")
    same = _cand(0, 50, second, "净利润 15.83 亿元，同比增长 56.83%。")
    same.figure = parse_figures(same.text)[1]
    found = together([(first, [profit]), (growth, [revenue, same])])
    assert (found[0][1][0].start, found[1][1][0].start) == expected
    assert len(found[1][1]) == 2
