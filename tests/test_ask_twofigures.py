"""Two measures under one question word become two parts; the whole question stands for each part.

Made-up names and figures, table-driven, exact values.
"""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.candidate import Scored
from assistant.ask.kindtable import match_kind
from assistant.ask.twofigures import answered_parts, coordinated_parts
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # two kinds asked with 分别
        ("Zorblax 三季度归母净利润和同比增速分别是多少？", ["Zorblax 三季度归母净利润是多少？", "Zorblax 三季度同比增速是多少？"]),
        # one count noun each, same length
        ("Zorblax 员工总数和研发人员分别有多少人？", ["Zorblax 员工总数有多少人？", "Zorblax 研发人员有多少人？"]),
        ("Zorblax-9B 总参数和激活参数各是多少？", ["Zorblax-9B 总参数是多少？", "Zorblax-9B 激活参数是多少？"]),
        # "how many" counting both nouns
        ("How many layers and key-value heads does Zorblax-9B have?", [
            "How many layers does Zorblax-9B have?", "How many key-value heads does Zorblax-9B have?"]),
        # a modifier shares the second measure's head noun
        ("What are Zorblax-9B's total and active parameter counts?", [
            "What are Zorblax-9B's total parameter counts?", "What are Zorblax-9B's active parameter counts?"]),
        # the second measure with its own determiner
        ("What is Zorblax-9B's context length and its sliding window size?", [
            "What is Zorblax-9B's context length?", "What is Zorblax-9B's sliding window size?"]),
    ],
)
def test_two_measures_make_two_parts(question: str, expected: list[str]) -> None:
    parts = coordinated_parts(analyze(question))
    assert [p.question for p in parts] == expected


@pytest.mark.parametrize(
    "question",
    [
        "How many layers does Zorblax-9B have?",  # one measure
        "Zorblax 三季度营收是多少？",
        "What is the ratio of compute and memory on Zorblax-9B?",  # one figure of two things
        "Zorblax 营收和净利润合计是多少？",
        "What share of Zorblax's 2024 revenue came from servers and server components?",  # a clause, no measure
        "What are the strengths and weaknesses of Zorblax-9B?",  # no figure asked
        # a second question word after "and" is a second question (``parts``), not a second measure
        "How much did Zorblax raise in 2025 and at what valuation?",
    ],
)
def test_one_asked_figure_stays_whole(question: str) -> None:
    analysis = analyze(question)
    assert coordinated_parts(analysis) == [analysis]


@pytest.mark.parametrize(
    ("focus", "kind"),
    [("key-value heads", None), ("valuation", "money"), ("value of the deal", "money")],
)
def test_key_value_is_no_money(focus: str, kind: str | None) -> None:
    found = match_kind(focus)
    assert (found.name if found else None) == kind


def _cand(text: str, figure: str, passage: int = 0, start: int = 0, score: float = 1.0) -> Scored:
    fig = next(f for f in parse_figures(text) if f.text == figure)
    return Scored(passage=passage, start=start, end=start + len(text), text=text, quote=text, figure=fig,
                  kind_hit=1.0, score=score, sim=0.9, closeness=1.0)  # fmt: skip


def test_a_part_left_empty_answers_as_before_the_split() -> None:
    q = analyze("Zorblax 营收是多少？同比增长多少？")
    revenue, growth = analyze("Zorblax 营收是多少？"), analyze("Zorblax 同比增长多少？")
    line = _cand("Zorblax 营收 48.6 亿元。", "48.6 亿元")
    # parts read from one question word: the whole question, as one
    out = answered_parts([(revenue, [line]), (growth, [])], [[line], []], (q, [line]), [line], read_whole=True)
    assert out == [(q, [line])]
    # parts the question writes as two questions: not answered (half an answer is none)
    out = answered_parts([(revenue, [line]), (growth, [])], [[line], []], (q, [line]), [line], read_whole=False)
    assert [len(u) for _, u in out] == [0, 0]
    out = answered_parts([(revenue, []), (growth, [])], [[], []], (q, []), [], read_whole=True)
    assert [len(u) for _, u in out] == [0, 0]


def test_the_whole_questions_line_answers_both_parts() -> None:
    q = analyze("Zorblax 服务器收入是多少，占总营收的比例是多少？")
    money, share = analyze("Zorblax 服务器收入是多少"), analyze("占总营收的比例是多少？")
    text = "服务器收入达到 30.2 亿元，占总营收的 62.1%。"
    line_money = _cand(text, "30.2 亿元", score=1.2)
    line_share = _cand(text, "62.1%", score=0.7)
    other = _cand("另一家公司研发投入占营收的比例为 91.3%。", "91.3%", passage=5, score=1.2)
    out = answered_parts(
        [(money, [line_money]), (share, [other])], [[line_money], [other, line_share]], (q, [line_money]), [line_money],
        read_whole=True,
    )
    assert [u[0].figure.text for _, u in out if u[0].figure] == ["30.2 亿元", "62.1%"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Training ran on 512 GPUs for\n21 days.", [("512 GPUs", "gpu"), ("21 days", "day")]),  # a wrapped line
        ("It has 32 layers and\n8 key-value heads.", [("32", None), ("8", None)]),
        ("Llama\n3 was trained on 15T tokens.", [("15T tokens", "token")]),  # a name wrapped is still one
        ("GPT-4 and H800 stay names.", []),
    ],
)
def test_a_number_opening_a_wrapped_line_is_read(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(f.text, f.unit) for f in parse_figures(text)] == expected
