"""Readings selection relies on: the year a candidate speaks of (for questions about one year), amounts in other
currencies, versions of names, Chinese compounds of glossary words, a passage starting in the middle of a line, token
counts that are a text's length, and the parts a question asking for two figures divides into."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze, asked_kind, count_kind, kind, question_parts
from assistant.ask.kinds import kind_hit
from assistant.ask.spans import sentence_spans
from assistant.ask.terms import Term, forms_of
from assistant.ask.years import asked_years, asks_part_of_year, speaks_of_year, stated_years
from tools.figures import parse_figures


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Its revenue reached $1.92 billion in 2024.", {"2024"}),
        ("2022 年至 2024 年营业收入分别为 0.46 亿元、1.24 亿元和 4.38 亿元", {"2022", "2023", "2024"}),
        ("from 2019 to 2021", {"2019", "2020", "2021"}),
        ("a context of 2048 tokens and 1,2024 rows", set()),
        ("v2025.1 and 20250", set()),
    ],
)
def test_stated_years(text: str, years: set[str]) -> None:
    assert stated_years(text) == years


@pytest.mark.parametrize(
    ("terms", "question", "years"),
    [
        (["2024", "revenue"], "What revenue did X report for 2024?", {"2024"}),
        (["2048", "gpu"], "On the 2048-GPU cluster, how many days?", set()),
        (["2024", "上年"], "X 2024 年上半年收入是多少？上年同期又是多少？", set()),
        (["2024"], "By how much did it grow year on year in 2024?", set()),
    ],
)
def test_asked_years(terms: list[str], question: str, years: set[str]) -> None:
    assert asked_years(terms, question) == years


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What was the revenue in the first-half of 2024?", True),
        ("2024 年第四季度单季的归母净利润是多少？", True),
        ("X 2024 年全年的营收是多少？", False),
        ("What was the net loss for the full year 2024?", False),
    ],
)
def test_asks_part_of_year(question: str, part: bool) -> None:
    assert asks_part_of_year(question) is part


CONTEXT_2025 = [["In June it opened an office."], ["Funding news"], ["technology desk, 9 september 2025"]]


@pytest.mark.parametrize(
    ("own", "context", "kwargs", "speaks"),
    [
        # the sentence writes the asked year
        ("Its revenue reached $1.92 billion in 2024.", [], {"has_figure": True}, True),
        # ... but of a part of it, when the whole year is asked
        ("revenue of $136.4 million for the first half of 2024", [], {"part_asked": False}, False),
        ("revenue of $136.4 million for the first half of 2024", [], {"part_asked": True}, True),
        # its figure is dated to another year
        ("For the whole of 2023 it reported revenue of $78.7 million.", [], {"figure_year": "2023"}, False),
        # no figure, and the sentence opens with another year
        ("For the whole of 2023 it reported a net loss of $127.2 million.", [], {}, False),
        # undated: the paragraph before names the year
        ("当季归母净利润 2.72 亿元。", [["2024 年第四季度公司实现营收 9.89 亿元，"]], {"has_figure": True}, True),
        # undated: the nearest tier naming a year names another ("this year" in an article of 2025)
        ("Revenue had passed €300 million this year.", CONTEXT_2025, {"has_figure": True}, False),
        # nothing names a year: nothing says it is another
        ("The model has 40 layers.", [["Architecture"], ["Model card"], ["# Model"]], {"has_figure": True}, True),
    ],
)
def test_speaks_of_year(own: str, context: list[list[str]], kwargs: dict[str, object], speaks: bool) -> None:
    assert speaks_of_year({"2024"}, own, context, **kwargs) is speaks  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "asked", "strength", "value"),
    [
        ("The deal values the start-up at €11.7 billion after the new money.", "money", 1.0, 11_700_000_000.0),
        ("估值约 50 亿欧元", "money", 1.0, 5_000_000_000.0),
        ("Granite 3.0 is the third generation of open language models.", "count", 0.0, None),
    ],
)
def test_kind_hit_currency_and_version(text: str, asked: str, strength: float, value: float | None) -> None:
    cues = ("languag",) if asked == "count" else ("valuation", "估值")
    asked_kind = count_kind("languages") if asked == "count" else kind(asked)
    hit, figure = kind_hit(asked_kind, parse_figures(text), text, [], cues=cues)
    assert (hit, figure.value if figure else None) == (strength, value)


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("参数量", ("参数量", "参数", "parameter", "params")),
        ("全年收入", ("全年收入", "收入", "revenue", "营收")),
        ("员工总数", ("员工总数", "员工", "employee", "staff", "headcount", "雇员")),
        ("董事会席位", ("董事会席位",)),  # no glossary word inside: the compound stands alone
    ],
)
def test_chinese_compound_takes_glossary_forms(word: str, forms: tuple[str, ...]) -> None:
    assert forms_of(word) == forms


def test_passage_starting_mid_line_reads_its_first_line_as_wrapped() -> None:
    text = "The run used a cluster of roughly 1,000\nGPUs, so it took three months.\n\nNext."
    cut = [text[s.start : s.end] for s in sentence_spans(text)]
    whole = [text[s.start : s.end] for s in sentence_spans(text, lead="dollars, which it spent. ")]
    assert cut == ["The run used a cluster of roughly 1,000", "GPUs, so it took three months.", "Next."]
    assert whole == ["The run used a cluster of roughly 1,000\nGPUs, so it took three months.", "Next."]


@pytest.mark.parametrize(
    ("question", "kind_name"),
    [
        ("Roughly how long a prompt can the model handle on one GPU?", "token"),
        ("How long did the training run take?", "duration"),
        ("挂牌首日收盘时股价是多少元？", "money"),
        ("What net loss did the company report for 2024?", "money"),
        ("一共有多少个单元？", "count"),
        ("Deals fell in the first ten months of the year. By how much, year on year?", "change"),
    ],
)
def test_asked_kind_of_lengths_and_amounts(question: str, kind_name: str) -> None:
    asked = asked_kind(question)[1]
    assert asked is not None and asked.name == kind_name


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "在 12 项评测的综合评估里，Alpha-1 和 Alpha-1-Mini 分别得了多少分？",
            ["在 12 项评测的综合评估里，Alpha-1 分别得了多少分？", "在 12 项评测的综合评估里，Alpha-1-Mini 分别得了多少分？"],
        ),
        (
            "What did Beta-40B and Beta-180B score on MMLU, respectively?",
            ["What did Beta-40B score on MMLU, respectively?", "What did Beta-180B score on MMLU, respectively?"],
        ),
        # names joined in a clause of their own: 各是多少 is said of the measures after them
        (
            "把 Alpha 和 Beta 混在一起的模型，总参数和激活参数各是多少？",
            ["把 Alpha 和 Beta 混在一起的模型，总参数和激活参数各是多少？"],
        ),
        # a Chinese list of questions
        ("Alpha-65B 有多少层、多少个注意力头？", ["Alpha-65B 有多少层", "Alpha-65B 多少个注意力头？"]),
        # two words of one name are not two names joined
        ("Gamma Zeta 的总参数量和激活参数量分别是多少？", ["Gamma Zeta 的总参数量和激活参数量分别是多少？"]),
    ],
)
def test_each_of_joined_names_is_a_part(question: str, parts: list[str]) -> None:
    assert [p.question for p in question_parts(analyze(question))] == parts


@pytest.mark.parametrize(
    ("text", "terms_forms", "value"),
    [
        # a context window is the length of one text, not the tokens of the training data
        ("Mixtral was pretrained on open web data with a context window of 32k tokens.", [], None),
        ("Pretraining used 8 trillion tokens, with a context window of 4096.", [], 8_000_000_000_000.0),
        # ... unless the question asks about the context
        ("It was trained with a context window of 32k tokens.", [("context",)], 32_000.0),
    ],
)
def test_token_count_is_not_a_context_length(text: str, terms_forms: list[tuple[str, ...]], value: float | None) -> None:
    terms = [Term(text=f[0], label=f[0], forms=f, weight=1.0) for f in terms_forms]
    hit, figure = kind_hit(kind("token"), parse_figures(text), text, [], terms=terms)
    assert (figure.value if figure else None) == value


@pytest.mark.parametrize(
    ("text", "asked", "value"),
    [
        # a list item's label names its figure's measure when it is one with a unit of its own
        ("- Active parameters per token: 12B", "token", None),
        # ... not when it is a word of prose ("utilization" is no share of anything here)
        ("- Experts Utilization: 2 experts used per token", "count", 2.0),
    ],
)
def test_list_item_label_names_the_measure(text: str, asked: str, value: float | None) -> None:
    asked_kind_ = count_kind("experts") if asked == "count" else kind(asked)
    cues = ("expert",) if asked == "count" else ("token",)
    hit, figure = kind_hit(asked_kind_, parse_figures(text), text, [], cues=cues)
    assert (figure.value if figure else None) == value
