"""Answer units beyond sentences: table cells, list items, two-figure questions, the lead, and not-found.

The corpus is made up for these tests (names of no real model), so nothing here can pass by a vocabulary entry.
"""

from __future__ import annotations

import pytest

from assistant.ask import answer_question
from assistant.ask.analyze import analyze, question_parts
from assistant.ask.table import _unit_of, answering_cell
from assistant.ask.terms import key_terms, names_in
from assistant.models import Answer
from assistant.settings import Settings
from tests.ask_fakes import FakeRetriever

SCORES = (
    "# Zorblax evaluation\n\n"
    "The Zorblax family was evaluated on reasoning and coding benchmarks.\n\n"
    "| Task | Zorblax-7B | Zorblax-30B | Quillon-12B |\n"
    "|---|---|---|---|\n"
    "| FrobQA (5-shot) | 41.2 | 58.9 | 47.3 |\n"
    "| KnotBench | 22.5 | 35.1 | 30.8 |\n"
    "| TwineCode | 17.0 | 29.4 | 25.6 |\n"
)
SPECS = (
    "# Quillon-12B\n\n"
    "Quillon-12B is a dense model released by the Vantor lab.\n\n"
    "## Architecture\n\n"
    "- **Layers:** 48\n"
    "- **Hidden size:** 5,120\n"
    "- **Vocabulary:** 96,000 tokens\n\n"
    "## Training cost\n\n"
    "| Stage | Pre-Training | Annealing | Alignment | Total |\n"
    "|---|---|---|---|---|\n"
    "| GPU hours | 1.20M | 0.15M | 0.05M | 1.40M |\n"
)


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(
        [
            ("scores", "Zorblax README", "docs/Zorblax_README.md", SCORES),
            ("specs", "Quillon-12B model card", "docs/Quillon-12B_MODEL_CARD.md", SPECS),
        ],
        chunk_chars=2000,
        overlap=50,
    )


def ask(question: str, retriever: FakeRetriever) -> Answer:
    return answer_question(question, retriever=retriever, settings=Settings(top_k=6))


def _row(text: str, first_cell: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (row, header) spans of the row starting with ``first_cell`` in a table at the start of ``text``."""
    header_end = text.index("\n")
    start = text.index(f"| {first_cell}")
    return (start, text.index("\n", start) if "\n" in text[start:] else len(text)), (0, header_end)


TABLE = SCORES[SCORES.index("| Task") :]
COSTS = SPECS[SPECS.index("| Stage") :]


@pytest.mark.parametrize(
    ("table", "row", "question", "lead"),
    [
        (TABLE, "KnotBench", "What did Zorblax-30B score on KnotBench?", "KnotBench · Zorblax-30B: 35.1"),
        (TABLE, "FrobQA", "Quillon-12B 在 FrobQA 上得分多少？", "FrobQA (5-shot) · Quillon-12B: 47.3"),
        (
            COSTS,
            "GPU hours",
            "How many GPU hours did Quillon-12B's annealing take?",
            "Annealing: 0.15M GPU hours",
        ),
        (COSTS, "GPU hours", "How many GPU hours did training Quillon-12B take?", "Total: 1.40M GPU hours"),
    ],
)
def test_the_answering_cell_is_at_the_row_and_the_named_column(
    table: str, row: str, question: str, lead: str
) -> None:
    row_span, header = _row(table, row)
    cell = answering_cell(table, row_span, header, key_terms(question))
    assert cell is not None and cell.lead() == lead
    assert lead.rsplit(": ", 1)[1].startswith(table[cell.start : cell.end])


def test_no_cell_when_no_column_is_named_among_several_figures() -> None:
    row_span, header = _row(TABLE, "TwineCode")
    assert answering_cell(TABLE, row_span, header, key_terms("How hard is TwineCode?")) is None


def test_a_key_value_row_answers_with_its_value() -> None:
    text = "| | |\n|---|---|\n| **Number of Experts** | 64 |\n"
    start = text.index("| **Number")
    cell = answering_cell(text, (start, len(text) - 1), (0, 5), key_terms("How many experts?"))
    assert cell is not None and cell.lead() == "Number of Experts: 64"


@pytest.mark.parametrize(
    ("label", "unit"),
    [
        ("Training Time (GPU hours)", "GPU hours"),
        ("显存占用（GPU Mem in GB）", "GB"),
        ("MMLU (5-shot)", ""),
        ("Training Power Consumption (W)", "W"),  # watts are in the unit table
        ("Arena Elo (Dec 2023)", ""),  # a date says when the column was measured, not its unit
    ],
)
def test_unit_stated_in_a_header(label: str, unit: str) -> None:
    assert _unit_of(label) == unit


@pytest.mark.parametrize(
    ("column", "unit"),
    [
        ("Spec TFLOPS", "TFLOPS"),
        ("Peak<br>Bandwidth<br>(TBps)", "TBps"),
        ("Training GPU hours", "GPU hours"),
        ("Release Year", ""),  # a year column is no measure: "2024 Year" would read as a duration
        ("Number of GPUs", ""),
        ("MMLU", ""),
    ],
)
def test_unit_stated_by_a_column_header_last_words(column: str, unit: str) -> None:
    assert _unit_of(column, last_word=True) == unit


@pytest.mark.parametrize(
    ("table", "lead"),
    [
        (
            "| Accelerator \\ TFLOPS | fp16 | bf16 |\n|---|---|---|\n| Zeta Z9 | 650 | 1300 |\n",
            "Zeta Z9 · bf16: 1300 TFLOPS",
        ),
        ("| Chip | Peak<br>Bandwidth<br>(TBps) |\n|---|---|\n| Zeta Z9 | 4.80 |\n", "Zeta Z9 · Peak Bandwidth (TBps): 4.80 TBps"),
    ],
)
def test_the_lead_carries_the_unit_the_header_gives(table: str, lead: str) -> None:
    row_span, header = _row(table, "Zeta Z9")
    question = "What is the bf16 TFLOPS of the Zeta Z9?" if "bf16" in table else "What bandwidth does Zeta Z9 have?"
    cell = answering_cell(table, row_span, header, key_terms(question))
    assert cell is not None and cell.lead() == lead


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("What is Zorblax-7B's hidden size, and how many layers does it have?", 2),
        ("Quillon-12B 有多少层？词表有多大？", 2),
        ("If a GPU rents for $2 an hour, what does a day cost?", 1),
        ("How many GPU hours did Quillon-12B take in total?", 1),
    ],
)
def test_question_parts(question: str, parts: int) -> None:
    found = question_parts(analyze(question))
    assert len(found) == parts
    if parts == 2:  # the later part keeps the subject the first part named
        first_names = [t.text for t in found[0].terms if t.name]
        assert all(n in [t.text for t in found[1].terms] for n in first_names)


def test_camel_case_words_are_names() -> None:
    assert names_in("苹果公司2025年在中国卖出了多少部iPhone？") == ["iPhone"]


@pytest.mark.parametrize(
    ("question", "lead_part"),
    [
        ("What did Zorblax-30B score on KnotBench?", "KnotBench · Zorblax-30B: 35.1"),
        ("How many layers does Quillon-12B have?", "Layers: 48"),
        ("How many GPU hours did training Quillon-12B take?", "Total: 1.40M GPU hours"),
    ],
)
def test_the_lead_is_the_figure_that_answers(question: str, lead_part: str, retriever: FakeRetriever) -> None:
    answer = ask(question, retriever)
    assert answer.status == "answered"
    assert lead_part in answer.text.split("\n\n")[0]
    for c in answer.citations:
        assert c.quote == retriever.document_text(c.doc_id)[c.start : c.end]


def test_a_row_answer_cites_the_row_itself(retriever: FakeRetriever) -> None:
    answer = ask("What did Zorblax-30B score on KnotBench?", retriever)
    quotes = [c.quote for c in answer.citations]
    assert "| KnotBench | 22.5 | 35.1 | 30.8 |" in quotes


def test_two_figures_asked_both_lead(retriever: FakeRetriever) -> None:
    answer = ask("What is Quillon-12B's hidden size, and how many layers does it have?", retriever)
    lead = answer.text.split("\n\n")[0]
    assert "Hidden size: 5,120" in lead and "Layers: 48" in lead


@pytest.mark.parametrize(
    "question",
    [
        "How many iPhone units did Vantor sell in 2025?",
        "What did Zorblax-30B score on MegaBench?",
        "What is Quillon-12B's hidden size, and how many GPUs were used to train it?",
    ],
)
def test_not_found_quotes_nothing_as_an_answer(question: str, retriever: FakeRetriever) -> None:
    answer = ask(question, retriever)
    assert answer.status == "not_found"
    assert answer.citations == []


def test_no_disagreement_is_claimed_without_a_meaning_signal() -> None:
    # without an embedder nothing tells whether two figures are about the same thing: the best one leads alone
    r = FakeRetriever(
        [
            (
                "card",
                "Quillon-12B model card",
                "docs/Quillon-12B_MODEL_CARD.md",
                "Quillon-12B was trained on 4.2T tokens.",
            ),
            (
                "news",
                "Vantor news",
                "docs/vantor_news.md",
                "Vantor says Quillon-12B was trained on 4.5T tokens.",
            ),
        ]
    )
    answer = ask("How many tokens was Quillon-12B trained on?", r)
    assert answer.text.split("\n\n")[0] == "4.2T tokens [1]"


@pytest.mark.parametrize(
    ("text", "in_code", "kept"),
    [
        ("Trained on 15T tokens.\n```python\nmax_tokens=256\n```\nIt has 61 layers.", False,
         ["Trained on 15T tokens.", "It has 61 layers."]),
        ("max_tokens=256\n)\n```\nIt has 61 layers.", True, ["It has 61 layers."]),
        ("Intro text.\n~~~\nrun --gpus 8\n", False, ["Intro text."]),
    ],
)
def test_fenced_code_is_not_a_scoring_unit(text: str, in_code: bool, kept: list[str]) -> None:
    from assistant.ask.spans import sentence_spans

    assert [text[s.start : s.end] for s in sentence_spans(text, in_code=in_code)] == kept
