"""The whole of a quantity before its parts, an amount before the rate it was computed from, and the last search
for a figure of the asked kind inside the documents a question names."""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.kinds import asks_rate, kind_hit, names_a_part
from assistant.ask.pipeline import answer_question
from assistant.ask.unitsearch import kind_query, unit_passages
from assistant.settings import Settings
from tests.ask_fakes import LexicalFakeRetriever
from tools.figures import Figure, parse_figures

FLAT_TABLE = (
    "Training Costs Pre-Training Context Extension Post-Training Total in USD $5.328M $0.238M $0.01M $5.576M"
)
MARKED = "其中预训练花费532.8万美元，总训练成本约为557.6万美元。"
LISTED = "按此假设，Zorblax-30B 预训练成本为 532.8 万美元，上下文扩展 23.8 万美元，后训练 1 万美元，合计 557.6 万美元。"
TOTAL_FIRST = "In USD the bill was $5.576M, split as $5.328M $0.238M $0.01M."


def answer_figure(question: str, text: str) -> Figure | None:
    """The figure of ``text`` that answers ``question``, weighed as selection weighs it."""
    analysis = analyze(question)
    assert analysis.asked is not None
    names = [t for t in analysis.terms if t.name]
    content = [t for t in analysis.terms if not t.name]
    whole = not names_a_part(question, analysis.terms)
    _, figure = kind_hit(
        analysis.asked, parse_figures(text), text, [], terms=content, names=names, whole_asked=whole
    )
    return figure


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What did training Zorblax-30B cost?", False),
        ("What did pre-training Zorblax-30B cost?", True),
        ("Zorblax-30B 的训练成本是多少？", False),
        ("Zorblax-30B 预训练花了多少钱？", True),
    ],
)
def test_a_question_names_a_part_by_the_narrow_form_of_a_term(question: str, part: bool) -> None:
    assert names_a_part(question, analyze(question).terms) is part


@pytest.mark.parametrize(
    ("question", "text", "lead"),
    [
        # the sum of the figures beside it is the whole; the question names no part
        ("What did training Zorblax-30B cost?", FLAT_TABLE, 5.576e6),
        ("Zorblax-30B 的训练成本是多少？", FLAT_TABLE, 5.576e6),
        ("What did training Zorblax-30B cost?", TOTAL_FIRST, 5.576e6),
        # the whole marked by its words ("总")
        ("Zorblax-30B 的训练成本是多少？", MARKED, 5.576e6),
        # the whole of a list whose first clause alone says what it counts
        ("Zorblax-30B 的训练成本是多少？", LISTED, 5.576e6),
        # a part named: the first figure of that part's kind, not the whole
        ("Zorblax-30B 的预训练成本是多少？", LISTED, 5.328e6),
        ("What did pre-training Zorblax-30B cost?", FLAT_TABLE, 5.328e6),
        ("Zorblax-30B 预训练花了多少钱？", MARKED, 5.328e6),
    ],
)
def test_the_whole_answers_unless_a_part_is_named(question: str, text: str, lead: float) -> None:
    figure = answer_figure(question, text)
    assert figure is not None and figure.value == pytest.approx(lead)


REPORT = "Training Zorblax-30B was cost-effective thanks to careful engineering of the training stack."
PREMISE = "The Zorblax-30B report puts the training cost at a rental price of $2 per GPU hour."
AMOUNT = "In all, training Zorblax-30B cost $5.576M."


def report() -> LexicalFakeRetriever:
    return LexicalFakeRetriever(
        [
            ("zorblax", "Zorblax-30B Technical Report", "reports/Zorblax-30B.md", REPORT),
            ("premise", "Zorblax-30B pricing note", "notes/Zorblax-30B_pricing.md", PREMISE),
            ("amount", "Zorblax-30B budget", "notes/Zorblax-30B_budget.md", AMOUNT),
            ("other", "Chip prices", "articles/chips.md", "H100 rental prices fell to $2 per hour in 2025."),
        ],
        chunk_chars=100,
        overlap=0,
    )


def test_unit_search_keeps_only_passages_of_the_named_documents_holding_the_asked_kind() -> None:
    analysis = analyze("What did training Zorblax-30B cost?")
    assert "usd" in kind_query(analysis).split() and "cost" in kind_query(analysis).split()
    r = report()
    more = unit_passages(analysis, [], r, Settings(top_k=4))
    assert more is not None
    assert {p.chunk.doc_id for p in more} == {"premise", "amount"}
    assert all(any(f.unit in analysis.asked.units for f in parse_figures(p.chunk.text)) for p in more)  # type: ignore[union-attr]
    # nothing asked, or nothing named: no search
    assert unit_passages(analyze("Who built Zorblax-30B?"), [], r, Settings(top_k=4)) is None
    assert unit_passages(analyze("What did training cost?"), [], r, Settings(top_k=4)) is None


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What did training Zorblax-30B cost?", "$5.576M"),
        ("What rental price per GPU hour does the Zorblax-30B report assume?", "$2 per GPU hour"),
    ],
)
def test_an_amount_asked_leads_with_the_amount_and_a_price_asked_with_the_rate(
    question: str, lead: str
) -> None:
    assert asks_rate(question) is ("price" in question)
    answer = answer_question(question, retriever=report(), settings=Settings(top_k=4))
    assert answer.status == "answered"
    assert answer.text.splitlines()[0].startswith(lead)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("首 token 延迟约 35 毫秒", "second", 0.035),
        ("a latency of 120 ms per token", "second", 0.12),
        ("生成 1000 个 token 需要 3 秒", "second", 3.0),
        ("飞船于2006年1月17日07时30分31秒发射", None, None),  # the seconds of a clock time measure nothing
    ],
)
def test_seconds_are_a_unit_of_latency(text: str, unit: str | None, value: float | None) -> None:
    seconds = [f for f in parse_figures(text) if f.unit == "second"]
    assert [(f.unit, f.value) for f in seconds] == ([(unit, pytest.approx(value))] if unit else [])


@pytest.mark.parametrize(
    ("question", "kind"),
    [("MiniCPM 在手机上生成一个 token 的延迟是多少毫秒？", "duration"), ("每秒能生成多少 token？", "token")],
)
def test_a_question_asking_milliseconds_asks_a_duration(question: str, kind: str) -> None:
    asked = analyze(question).asked
    assert asked is not None and asked.name == kind


STAGES = (
    "Combined with 119K GPU hours for the context length extension and 5K GPU hours for post-training, "
    "Zorblax-30B costs only 2.788M GPU hours for its full training."
)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # the stage named: its clause ("... and 5K" is a clause break), not the whole, and not the figure that
        # merely comes after the model's name in a sentence of one part
        ("Zorblax-30B 的上下文长度扩展阶段消耗了多少 GPU 小时？", 119e3),
        ("How many GPU hours did the context length extension of Zorblax-30B take?", 119e3),
        ("How many GPU hours did post-training Zorblax-30B take?", 5e3),
        ("How many GPU hours did Zorblax-30B's full training take?", 2.788e6),
    ],
)
def test_the_clause_naming_the_stage_answers(question: str, lead: float) -> None:
    figure = answer_figure(question, STAGES)
    assert figure is not None and figure.value == pytest.approx(lead)


ELIDED = "Under this configuration, Zorblax-30B comprises 671B total parameters, of which 37B are activated for each token."


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # "37B" takes its unit from "671B total parameters" and answers what its clause says (activated per token)
        ("Zorblax-30B 每个 token 激活多少参数？", 37e9),
        ("How many parameters are activated for each token in Zorblax-30B?", 37e9),
        ("Zorblax-30B 有多少参数？", 671e9),
    ],
)
def test_a_figure_takes_the_unit_its_sentence_wrote_once(question: str, lead: float) -> None:
    figure = answer_figure(question, ELIDED)
    assert figure is not None and figure.value == pytest.approx(lead)
    assert figure.unit == "param"


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many experts does Zorblax-30B have?", "experts"),
        ("Roughly how many separate web pages does the Zorblax corpus contain?", "pages"),
        ("Zorblax-30B 有多少个专家？", "专家"),
        ("书生 Zorblax-20B 有多少层？", "层"),
        ("How many GPUs did Zorblax-30B use?", None),  # a listed measure keeps its kind
        ("What is the vocabulary size of Zorblax-30B?", None),  # no count asked
        ("How many did Zorblax-30B use?", None),  # a follow-up's ellipsis, not a noun
        ("Zorblax-1.2B 在 MATH 上得了多少分？", None),  # a score
    ],
)
def test_how_many_of_a_noun_no_measure_lists_asks_a_count(question: str, noun: str | None) -> None:
    asked = analyze(question).asked
    if noun is None:
        assert asked is None or asked.name != "count"
    else:
        assert asked is not None and asked.name == "count" and asked.cues[0] == noun


def test_a_count_is_the_bare_number_its_noun_labels_not_a_figure_of_a_unit() -> None:
    analysis = analyze("How many experts does Zorblax-30B have?")
    assert analysis.asked is not None
    intro = "Zorblax-30B is a mixture-of-experts model with 32 billion activated parameters."
    row = "| Number of Experts | 384 |"
    assert kind_hit(analysis.asked, parse_figures(intro), intro, []) == (0.0, None)
    strength, figure = kind_hit(analysis.asked, parse_figures(row), row, [])
    assert strength == 0.6 and figure is not None and figure.value == 384


COORDINATED = (
    "Each Zorblax node delivers an average throughput of ~73.7k tokens/s input during prefilling "
    "or ~14.8k tokens/s output during decoding."
)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # the words before the first figure are said of both; the figures' own words decide
        ("每个 Zorblax 节点每秒平均输出多少 token？", 14.8e3),
        ("How many input tokens per second does each Zorblax node take in during prefilling?", 73.7e3),
    ],
)
def test_coordinated_figures_share_their_lead_in(question: str, lead: float) -> None:
    figure = answer_figure(question, COORDINATED)
    assert figure is not None and figure.value == pytest.approx(lead)
