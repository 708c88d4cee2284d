"""Tables read by their structure: a column named by the header's own tokens in any order, the cell where a named
row crosses a named column, and the rows of a named document's tables offered when retrieval missed them.

Made-up names only (no real model or benchmark), so nothing passes by a vocabulary entry.
"""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.crossing import clear_crossings, crossing, crossing_hit
from assistant.ask.headers import name_tokens, names_by_tokens
from assistant.ask.retrieve import _families, documents_about
from assistant.ask.table import answering_cell
from assistant.ask.tablerows import markdown_tables, named_rows
from assistant.ask.terms import Term, key_terms
from tests.ask_fakes import FakeRetriever

CHAT = (
    "| Benchmark | Zorblax-Chat-7B | Zorblax-Chat-30B | Quillon-12B |\n"
    "|---|---|---|---|\n"
    "| KnotBench | 22.5 | 35.1 | 30.8 |\n"
    "| TwineCode | 17.0 | 29.4 | 25.6 |\n"
    "| Memory (GB) | 14 | 60 | 24 |\n"
)


def _name(text: str) -> Term:
    return Term(text=text.lower(), label=text, forms=(text.lower(),), weight=1.0, name=True)


def _row(text: str, label: str) -> tuple[tuple[int, int], tuple[int, int]]:
    start = text.index(f"| {label} |")
    return (start, text.index("\n", start)), (0, text.index("\n"))


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("InternLM-Chat-20B", {"internlm", "chat", "20", "b"}),
        ("Zorblax 3.1 405B Instruct", {"zorblax", "3.1", "405", "b", "instruct"}),
        ("**Quillon-12B**", {"quillon", "12", "b"}),
        ("天工-13B", {"天工", "13", "b"}),
    ],
)
def test_name_tokens(text: str, tokens: set[str]) -> None:
    assert name_tokens(text) == tokens


@pytest.mark.parametrize(
    ("name", "cell", "named"),
    [
        ("Zorblax 30B chat", "Zorblax-Chat-30B", True),
        ("Zorblax 30B chat", "Zorblax-Chat-7B", False),
        ("Zorblax-Chat-30B", "Zorblax 30B Chat", True),
        ("Zorblax 3 70B", "Zorblax 2 70B", False),
        ("Zorblax 3 70B", "Zorblax 3 70B Instruct", True),
    ],
)
def test_a_name_names_a_cell_by_its_tokens_in_any_order(name: str, cell: str, named: bool) -> None:
    assert names_by_tokens(cell, _name(name)) is named


def test_a_word_that_is_no_name_names_no_cell_by_tokens() -> None:
    assert not names_by_tokens("Zorblax-Chat-30B", Term(text="chat", forms=("chat",), weight=1.0))


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What KnotBench pass rate does the Zorblax 30B chat model reach?", "KnotBench · Zorblax-Chat-30B: 35.1"),
        ("What KnotBench pass rate does the Zorblax 7B chat model reach?", "KnotBench · Zorblax-Chat-7B: 22.5"),
        ("Zorblax 30B chat 在 TwineCode 上的通过率是多少？", "TwineCode · Zorblax-Chat-30B: 29.4"),
    ],
)
def test_the_column_named_in_another_order_answers(question: str, lead: str) -> None:
    row, header = _row(CHAT, lead.split(" · ")[0])
    cell = answering_cell(CHAT, row, header, key_terms(question))
    assert cell is not None and cell.lead() == lead


@pytest.mark.parametrize(
    ("question", "label", "hit", "value"),
    [
        ("What KnotBench pass rate does the Zorblax 30B chat model reach?", "KnotBench", 0.8, 35.1),
        ("Zorblax 30B chat 在 TwineCode 上的通过比例是多少？", "TwineCode", 0.8, 29.4),
        # the row names another measure than the one asked: no score
        ("What Memory pass rate does the Zorblax 30B chat model reach?", "Memory (GB)", 0.0, None),
        # no column named: no crossing
        ("What KnotBench pass rate does it reach?", "KnotBench", 0.0, None),
    ],
)
def test_the_crossing_answers_a_score_asked_as_a_rate(
    question: str, label: str, hit: float, value: float | None
) -> None:
    analysis = analyze(question)
    assert analysis.asked is not None and analysis.asked.name in ("percent", "ratio")
    row, header = _row(CHAT, label)
    strength, figure = crossing_hit(CHAT, row, header, analysis)
    assert strength == hit
    assert (figure.value if figure is not None else None) == value


def test_no_crossing_without_a_named_row() -> None:
    row, header = _row(CHAT, "KnotBench")
    assert crossing(CHAT, row, header, key_terms("What does the Zorblax 30B chat model reach?")) is None


def test_markdown_tables_give_header_and_rows() -> None:
    text = "Intro.\n\n" + CHAT + "\nAfter.\n| not | a table |\n"
    tables = markdown_tables(text)
    assert len(tables) == 1
    header, rows = tables[0]
    assert text[slice(*header)] == "| Benchmark | Zorblax-Chat-7B | Zorblax-Chat-30B | Quillon-12B |"
    assert [text[slice(*r)] for r in rows] == [
        "| KnotBench | 22.5 | 35.1 | 30.8 |",
        "| TwineCode | 17.0 | 29.4 | 25.6 |",
        "| Memory (GB) | 14 | 60 | 24 |",
    ]


@pytest.mark.parametrize(
    ("name", "families"),
    [
        ("Zorblax-3-mini", ["Zorblax 3"]),  # not "Zorblax": the version "3" tells the family's documents apart
        ("Quillon 12B Chat", ["Quillon 12B", "Quillon"]),
        ("Zorblax-V3", []),
        ("Zorblax 3.1 405B", ["Zorblax 3.1"]),
        ("Zorblax", []),
    ],
)
def test_a_model_name_extends_its_family_names(name: str, families: list[str]) -> None:
    assert [t.label for t in _families(_name(name))] == families


DOC = "# Zorblax models\n\nThe Zorblax family, evaluated.\n\n" + CHAT + "\nZorblax was trained on 2T tokens.\n"


def test_a_named_documents_crossing_row_is_offered_with_its_header() -> None:
    retriever = FakeRetriever([("z", "Zorblax model notes", "docs/Zorblax_README.md", DOC)], chunk_chars=2000)
    analysis = analyze("What TwineCode pass rate does Zorblax-30B-chat reach?")
    own = documents_about(analysis, retriever)
    assert own == ["z"]  # titled after the family the question's model belongs to
    rows = named_rows(analysis, retriever, own, [])
    assert len(rows) == 1
    chunk = rows[0].chunk
    assert chunk.text == DOC[chunk.start : chunk.end]
    assert chunk.text.startswith("| Benchmark | Zorblax-Chat-7B")
    assert chunk.text.endswith("| TwineCode | 17.0 | 29.4 | 25.6 |")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "How did Quillon-12B do on KnotBench and on TwineCode?",
            "KnotBench · Quillon-12B: 30.8",  # one row per label: the columns are one name, the rows two
        ),
        (
            "How do Zorblax-Chat-7B and Quillon-12B score on TwineCode?",
            "TwineCode · Zorblax-Chat-7B: 17.0, Quillon-12B: 25.6",
        ),
        ("What did Quillon-12B score on TwineCode?", "TwineCode · Quillon-12B: 25.6"),
    ],
)
def test_each_column_a_name_asks_for_leads(question: str, lead: str) -> None:
    label = lead.split(" · ")[0]
    row, header = _row(CHAT, label)
    cell = answering_cell(CHAT, row, header, key_terms(question))
    assert cell is not None and cell.lead() == lead


SIZES = (
    "| Model | Precision | Approx. memory |\n"
    "|---|---|---|\n"
    "| Zorblax-7B | 4-bit | 4.1 GB |\n"
    "| Zorblax-7B | fp16 | 14.2 GB |\n"
    "| Quillon-12B | fp16 | 24 GB |\n"
)


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        # two rows named alike; the one stating the condition the question gives is the crossing
        ("How much memory does Zorblax-7B take in 4-bit?", ["| Zorblax-7B | 4-bit | 4.1 GB |"]),
        ("How much memory does Zorblax-7B take?", []),  # no condition: neither row over the other
        ("How much memory does Quillon-12B take?", ["| Quillon-12B | fp16 | 24 GB |"]),
    ],
)
def test_clear_crossings(question: str, rows: list[str]) -> None:
    analysis = analyze(question)
    header = (0, SIZES.index("\n"))
    spans = [(s, SIZES.index("\n", s), header) for s in (SIZES.index("| Zorblax-7B | 4"), SIZES.index("| Zorblax-7B | f"), SIZES.index("| Quillon"))]
    found = clear_crossings(SIZES, spans, analysis.terms, given=[f.value for f in analysis.figures])
    assert sorted(SIZES[s:e] for s, e in found) == rows
