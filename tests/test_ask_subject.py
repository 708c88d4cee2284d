"""A document lacking the question's subject word answers nothing of it (assistant.ask.select)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.indexnames import written_in
from assistant.ask.kinds import asks_rate, focus_cues, kind_hit
from assistant.ask.matching import MatchText
from assistant.ask.subjects import subject_elsewhere, subject_words
from assistant.ask.surround import local_subject, names_a_sibling
from assistant.ask.terms import Term
from assistant.models import Chunk, Document, Passage
from tests.ask_fakes import LexicalFakeRetriever
from tools.figures import parse_figures

ZHIPU = Term(text="智谱", label="智谱", forms=("智谱",), weight=4.0)
REVENUE = Term(text="营收", label="营收", forms=("营收", "revenue"), weight=4.0, focus=True)
YEAR = Term(text="2025", label="2025", forms=("2025",), weight=0.5)


def _passage(text: str, language: str) -> Passage:
    doc = Document(
        id="d",
        title="news",
        source_path="news.md",
        kind="text",
        language=language,
        chunks=1,
        chars=len(text),
        content_hash="h",
        ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    chunk = Chunk(id="d:0", doc_id="d", ordinal=0, text=text, start=0, end=len(text))
    return Passage(chunk=chunk, document=doc, score=1.0)


def test_subject_words_are_rare_chinese_words_neither_focus_nor_name() -> None:
    assert subject_words([ZHIPU, REVENUE, YEAR]) == [ZHIPU]


@pytest.mark.parametrize(
    ("weight", "titled", "subject"),
    [
        (3.7, True, True),  # rare, and a word some document is named by ("Baichuan 2 百川大模型第二代")
        (3.7, False, False),  # as rare, named by no document: not rare enough on its own
        (1.5, True, False),  # a common word of a title ("模型") names no subject
        (4.0, False, True),
    ],
)
def test_a_rare_word_of_a_document_title_is_a_subject(weight: float, titled: bool, subject: bool) -> None:
    term = Term(text="百川", label="百川", forms=("百川",), weight=weight, titled=titled)
    assert (subject_words([term, REVENUE]) == [term]) is subject


@pytest.mark.parametrize(
    ("text", "language", "written", "elsewhere"),
    [
        (
            "海光信息 2024 年营收 91.62 亿元。",
            "zh",
            {"zh"},
            True,
        ),  # another document names 智谱: this one is not it
        ("智谱 2024 年营收 3 亿元。", "zh", {"zh"}, False),
        (
            "海光信息 2024 年营收 91.62 亿元。",
            "zh",
            set(),
            False,
        ),  # no document writes the word: proves nothing
        (
            "Hygon reported revenue of 9.2 billion yuan.",
            "en",
            {"zh"},
            False,
        ),  # English documents write it otherwise
        ("Hygon reported revenue of 9.2 billion yuan.", "en", {"en"}, True),
    ],
)
def test_a_document_lacking_the_subject_word_is_about_something_else(
    text: str, language: str, written: set[str], elsewhere: bool
) -> None:
    passage = _passage(text, language)
    found = subject_elsewhere(
        [ZHIPU], passage, lambda _: MatchText(text), lambda _t, lang: lang in written, lang=language
    )
    assert found is elsewhere


@pytest.mark.parametrize(
    ("header", "row", "strength"),
    [
        # a bare number under a column naming another measure is not of the asked kind ("training" cues nothing)
        ("| Model | Parameters | Training tokens |", "| Falcon-9 | 180B | 3,500 |", 0.0),
        ("| Model | Parameters | Training cost |", "| Falcon-9 | 180B | 3,500 |", 0.8),
    ],
)
def test_a_column_naming_another_measure_is_no_cue(header: str, row: str, strength: float) -> None:
    analysis = analyze("What was Falcon-9's training cost?")
    assert analysis.asked is not None and analysis.asked.name == "money"
    figures = [f for f in parse_figures(row) if f.value == 3500]
    hit, _ = kind_hit(analysis.asked, figures, row, [], cues=focus_cues(analysis.terms), header=header)
    assert hit == strength


def test_the_figure_in_the_part_naming_the_asked_thing_answers() -> None:
    analysis = analyze("How many active parameters does Zorblax-Air have?")
    assert analysis.asked is not None
    text = (
        "Zorblax has 355 billion total parameters with 32 billion active parameters, while Zorblax-Air adopts "
        "a compact design with 106 billion total parameters and 12 billion active parameters."
    )
    names = [t for t in analysis.terms if t.name]
    _, figure = kind_hit(analysis.asked, parse_figures(text), text, [], terms=analysis.terms, names=names)
    assert figure is not None and figure.value == 12e9


@pytest.mark.parametrize(
    ("question", "text", "sibling"),
    [
        ("What is the BF16 TFLOPS of the Zeta MX300X?", "Zeta publishes 2.5 PFLOPS for MX355X BF16.", True),
        (
            "How many active parameters does Quill-4.5-Air have?",
            "Quill-4.5 has 32 billion active parameters.",
            True,
        ),
        ("How many active parameters does Quill-4.5-Air have?", "Quill-4.5-Air has 12B active.", False),
        ("What did Quill-R1 score on KnotBench?", "Quill-R1-Zero improves steadily.", True),
        (
            "What did Quill-R1 score on KnotBench?",
            "Quill-R1 reaches 79.8 while Quill-R1-Zero gets 71.0.",
            False,
        ),
        (
            "What did Quill-V3 score on KnotBench?",
            "It beats Qwen2.5-72B and Zorblax-405B.",
            False,
        ),  # baselines
        ("What did Quill-V3 score on KnotBench?", "| KnotBench-Pro | 36.2 | 55.0 |", True),
        ("What did Quill-V3 score on KnotBench?", "| KnotBench | 66.7 | 79.5 |", False),
    ],
)
def test_a_sentence_naming_another_member_of_the_family(question: str, text: str, sibling: bool) -> None:
    analysis = analyze(question)
    names = [t for t in analysis.terms if t.name]
    found = MatchText(text)
    present = {t.text for t in analysis.terms if found.has(t)}
    assert names_a_sibling(text, names, present) is sibling


def test_a_sentence_naming_no_product_speaks_of_the_last_one_named() -> None:
    text = "Quill-R1-Zero was trained with RL only. Notably, its score jumps from 15.6 to 71.0.\n\nQuill-R1 then ..."
    assert local_subject(text, text.index("Notably"), 400) == "Quill-R1-Zero"
    assert local_subject(text, text.index("Quill-R1 then"), 400) == ""  # a new paragraph starts afresh


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # an amount is asked: the price per GPU hour in the same sentence is its premise
        ("What did training Zorblax-30B cost?", 5.576e6),
        ("Zorblax-30B 的训练成本是多少？", 5.576e6),
        # a price is asked: the rate answers
        ("What price per GPU hour did the Zorblax report assume?", 2.0),
        ("Zorblax 报告假设的租金是多少？", 2.0),
    ],
)
def test_a_rate_answers_a_price_question_and_is_a_premise_of_an_amount(question: str, lead: float) -> None:
    analysis = analyze(question)
    assert analysis.asked is not None and analysis.asked.name == "money"
    text = "Assuming the rental price of the H800 is $2 per GPU hour, training Zorblax-30B cost $5.576M."
    _, figure = kind_hit(
        analysis.asked, parse_figures(text), text, [], terms=analysis.terms, rate_asked=asks_rate(question)
    )
    assert figure is not None and figure.value == lead


def _library() -> LexicalFakeRetriever:
    readme = (
        "百川 2 是新一代开源大语言模型。百川 2 包含 7B 与 13B 两种规模。百川 2 的模型权重对学术研究完全开放。"
        "The Baichuan 2 models were trained on 2.6 trillion tokens of data, as the technical report of the "
        "Baichuan 2 family explains in detail for both the base and the chat models of each size."
    )
    return LexicalFakeRetriever(
        [
            ("readme", "Baichuan 2 百川大模型第二代", "readmes/Baichuan2_README_zh.md", readme),
            ("news", "新任市长发布旗舰模型", "articles/caixin.txt", "这一旗舰模型仅消耗了约278.8万GPU小时。"),
        ]
    )


def test_a_question_word_naming_a_document_is_marked_titled() -> None:
    analysis = analyze("训练百川 2-13B 一共消耗了多少 GPU 小时？", _library())
    assert {t.text for t in analysis.terms if t.titled} == {"百川"}
    # a word of a headline its article never writes again names no document
    analysis = analyze("新任市长是谁？", _library())
    assert not any(t.titled for t in analysis.terms)


@pytest.mark.parametrize(
    ("word", "language", "written"), [("百川", "zh", True), ("百川", "en", False), ("智谱", "zh", False)]
)
def test_a_word_written_in_a_document_of_both_languages_counts_for_its_chinese(
    word: str, language: str, written: bool
) -> None:
    r = _library()
    assert r.document("readme").language == "mixed"
    term = Term(text=word, label=word, forms=(word,), weight=4.0)
    assert written_in(r, {}, term, language) is written


def test_a_word_of_many_titles_names_no_document() -> None:
    # passages titled by their first line: every word of the question is in some title, and names none of them
    docs = [
        (f"p{i}", f"2022年世界互联网大会第{i}场论坛", f"files/case-{i}/pos.txt", "大会举办地点。")
        for i in range(7)
    ]
    analysis = analyze("2022年世界互联网大会在哪里举办？", LexicalFakeRetriever(docs))
    assert not any(t.titled for t in analysis.terms)
