"""A corpus of another field: sodium-ion and LMFP battery cells and their electrolyte (``tests/data/generality/``).

Its companies, products and units (Norvane, 湖岭能源, 岚石, Wh/kg, 电芯, 吉瓦时) are in no vocabulary file, so what
works here works by the embedder, the index statistics and the structure of the text, not by a word list.
Real embedder; the cases that still fail are strict xfails naming why, so a fix shows up as an XPASS.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.domain import load_pack
from assistant.evaluate import answer_values
from assistant.settings import Settings
from tools.vocab import names

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "data" / "generality"
FIELD_WORDS = ["norvane", "湖岭", "岚石", "velmora", "wh/kg", "电芯", "吉瓦时", "electrolyte", "sodium", "cycle life"]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    data = tmp_path_factory.mktemp("generality")
    with Assistant.open(settings=Settings(data_dir=data)) as a:
        report = a.ingest([CORPUS])
        assert report.added == 3
        yield a


def test_the_field_is_in_no_vocabulary_file() -> None:
    pack = load_pack()
    vocab = [w.lower() for g in pack.groups for w in g] + [w.lower() for w in pack.tokenizer_words]
    vocab += [w.lower() for w in (*names().name_families, *names().chip_vendors, *names().chip_lines)]
    assert [w for w in FIELD_WORDS if any(w in v or v == w for v in vocab)] == []


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# (question, value the answer's lead must state, text one of its citations must quote)
LOOKUPS = [
    pytest.param("What energy density does the Norvane NX-7 cell reach?", 162, "162 Wh/kg", id="en"),
    pytest.param("岚石电芯的循环寿命是多少次？", 4200, "4200次", id="zh"),
    pytest.param("How much did Velmora's sodium electrolyte price rise in 2025?", 0.18, "18%", id="en-change"),
    pytest.param("2025年岚石电芯的出货量是多少？", 3.6, "3.6吉瓦时", id="zh-shipments"),
    pytest.param("How much does the NX-7 cost to produce per kWh?", 58, "$58 per\nkWh", id="en-cost"),
    pytest.param(
        "What is the cycle life of the NX-7S variant?", 6400, "| NX-7S | Prussian white | 148 | 6,400 |",
        id="en-table-row",
    ),
    pytest.param(
        "NX-7H的能量密度是多少？", 171, "| NX-7H | Layered oxide | 171 | 4,900 |", id="zh-question-en-table",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("question", "value", "quote"), LOOKUPS)
def test_lookups_in_both_languages(assistant: Assistant, question: str, value: float, quote: str) -> None:
    answer = assistant.ask(question)
    assert answer.status == "answered", answer.text
    lead = answer.model_copy(update={"text": answer.text.split("\n\n")[0], "tool_calls": []})
    assert any(abs(v - value) <= 1e-6 * abs(value) for v in answer_values(lead)), answer.text
    assert any(quote in c.quote for c in answer.citations), answer.citations


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("How many employees does Norvane Energy have?", id="en"),
        pytest.param("湖岭能源的市值是多少？", id="zh"),
    ],
)
def test_questions_the_documents_do_not_answer(assistant: Assistant, question: str) -> None:
    assert assistant.ask(question).status == "not_found"


@pytest.mark.parametrize(
    ("draft", "verdict", "source_value"),
    [
        pytest.param("The Norvane NX-7 cell reaches an energy density of 162 Wh/kg.", "supported", None, id="en-ok"),
        pytest.param(
            "Velmora's sodium electrolyte rose 25% in 2025 to $9,400 per tonne.", "contradicted", 0.18,
            id="en-contradicted",
        ),
        pytest.param(
            "Velmora's sodium electrolyte price rose 25% in 2025.", "contradicted", 0.18, id="en-price-contradicted"
        ),
        pytest.param("岚石电芯完成4200次循环后仍保留80%的容量。", "supported", None, id="zh-ok"),
    ],
)
def test_check_in_another_field(assistant: Assistant, draft: str, verdict: str, source_value: float | None) -> None:
    report = assistant.check(draft)
    assert report.overall == verdict, [(c.figure.text, c.verdict, c.reason) for c in report.claims]
    if source_value is not None:
        shown = [c.source_figure.value for c in report.claims if c.source_figure is not None]
        assert source_value in shown
