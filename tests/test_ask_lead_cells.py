"""The lead is the figure that answers: which column of a row, which row of a table for a later figure, and what a
row's header does not say.

Made-up names only (no real model or benchmark); the embedder is replaced by fixed similarities, so each case says
exactly what meaning decides.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from assistant.ask.candidate import Scored
from assistant.ask.headers import header_only_tails
from assistant.ask.table import answered_measure, answering_cell
from assistant.ask.tablerows import same_table_part
from assistant.ask.terms import Term
from assistant.models import Chunk, Document, Passage

BOARD = (
    "| 排名 | 模型 | 总分 | 推理任务 |\n"
    "|---|---|---|---|\n"
    "| 3 | Zorblax-9 | 70.33 | 75.93 |\n"
)
SHARES = (
    "| Supplier | 2023 share | Q1 2025 share | Q2 2025 share |\n"
    "|---|---|---|---|\n"
    "| Quillon | 53% | 59% | 62% |\n"
    "| Vexmor | 38% | 29% | 17% |\n"
)
SCORES = (
    "| Benchmark | Zorblax 4 Scout | Zorblax 4 Maverick | Quillon-12B |\n"
    "|---|---|---|---|\n"
    "| KnotBench | 32.8 | 43.4 | 30.1 |\n"
    "| TwineCode | 47.9 | 45.0 | 40.2 |\n"
)


def _term(text: str, *, name: bool = False, focus: bool = False, forms: tuple[str, ...] = ()) -> Term:
    return Term(text=text, label=text, forms=forms or (text,), weight=1.0, name=name, focus=focus)


def _row(text: str, label: str) -> tuple[tuple[int, int], tuple[int, int]]:
    start = text.index(f"| {label} |")
    return (start, text.index("\n", start)), (0, text.index("\n"))


def _judge(table: dict[str, float]):  # type: ignore[no-untyped-def]
    return lambda headers: [table.get(h, 0.5) for h in headers]


@pytest.mark.parametrize(
    ("closeness", "measure", "lead"),
    [
        # no header shares a word with the question: the column both the question and what it asks ("overall
        # score") find closest; the row's first cell (a rank) is its key, never the answer
        ({"总分": 0.81, "推理任务": 0.70}, {"总分": 0.82, "推理任务": 0.70}, "总分: 70.33"),
        # the two disagree: meaning decides nothing
        ({"总分": 0.70, "推理任务": 0.81}, {"总分": 0.82, "推理任务": 0.70}, None),
        # they agree, but by less than the margin
        ({"总分": 0.802, "推理任务": 0.800}, {"总分": 0.803, "推理任务": 0.800}, None),
    ],
)
def test_column_in_meaning_only_when_question_and_measure_agree(
    closeness: dict[str, float], measure: dict[str, float], lead: str | None
) -> None:
    terms = [_term("zorblax-9", name=True), _term("ranking"), _term("overall", focus=True), _term("score", focus=True)]
    row, header = _row(BOARD, "3")
    cell = answering_cell(BOARD, row, header, terms, closeness=_judge(closeness), measure=_judge(measure))
    assert (cell.lead() if cell else None) == lead


def test_word_naming_a_column_is_not_overridden_by_meaning() -> None:
    text = "| Setting | 2B Dense | 8B Dense | 3B-A800M MoE |\n|---|---|---|---|\n| Layers | 40 | 40 | 32 |\n"
    terms = [_term("zorblax", name=True), _term("2b"), _term("层", focus=True, forms=("层", "layers"))]
    row, header = _row(text, "Layers")
    far = _judge({"2B Dense": 0.70, "8B Dense": 0.70, "3B-A800M MoE": 0.90})
    cell = answering_cell(text, row, header, terms, closeness=far, measure=far)
    assert cell is not None and cell.lead() == "Layers · 2B Dense: 40"


def test_column_named_alike_is_broken_by_the_question() -> None:
    text = "| Model | KnotBench (fr) | KnotBench (de) |\n|---|---|---|\n| Zorblax-9 | 58.2 | 54.3 |\n"
    terms = [_term("zorblax-9", name=True), _term("knotbench", name=True), _term("german", name=True)]
    row, header = _row(text, "Zorblax-9")
    assert answering_cell(text, row, header, terms).lead() == "Zorblax-9 · KnotBench (fr): 58.2"  # type: ignore[union-attr]
    close = _judge({"KnotBench (fr)": 0.817, "KnotBench (de)": 0.823})
    assert answering_cell(text, row, header, terms, closeness=close).lead() == "Zorblax-9 · KnotBench (de): 54.3"  # type: ignore[union-attr]


def test_second_name_sharing_a_family_word_is_read_too() -> None:
    terms = [_term("knotbench", name=True), _term("zorblax 4", name=True), _term("scout", name=True),
             _term("maverick", name=True)]
    row, header = _row(SCORES, "KnotBench")
    cell = answering_cell(SCORES, row, header, terms)
    assert cell is not None and cell.lead() == "KnotBench · Zorblax 4 Scout: 32.8, Zorblax 4 Maverick: 43.4"


@pytest.mark.parametrize(
    ("row", "header", "terms", "tails"),
    [
        ("| Zorblax-9 | 闭源 | 7.22 |", "| 模型 | 开源/闭源 | 总分 |", ["分"], {"分"}),
        ("| Zorblax-9 | 7.22 |", "| 模型 | 分 |", ["分"], set()),  # a column of its own
        ("| 总分 | 7.22 |", "| 项目 | Zorblax-9 |", ["分"], set()),  # the row's own cell
        ("| Zorblax-9 | 1.2M |", "| Model | Pre-Training hours |", ["training"], {"training"}),
        ("| Zorblax-9 | 1.2M |", "| Model | Training hours |", ["training"], set()),
    ],
)
def test_focus_only_in_a_compound_header(row: str, header: str, terms: list[str], tails: set[str]) -> None:
    found = [_term(t, focus=True) for t in terms]
    assert header_only_tails(row, header, found, {t.text for t in found}) == tails


@pytest.mark.parametrize(
    ("question", "terms", "measure"),
    [
        ("In the ranking, what overall score did Zorblax-9 receive?", [("overall", ("overall",)), ("score", ("scor", "score"))],
         "overall score"),
        ("12 层堆叠的 Zorblax 每个堆栈容量是多少？", [("每个", ("每个",)), ("堆栈", ("堆栈",)), ("容量", ("容量",))],
         "每个堆栈容量"),
        ("What is the size of Zorblax, and its speed?", [("size", ("size",)), ("speed", ("speed",))], "size speed"),
        ("How big is Zorblax-9?", [], ""),
    ],
)
def test_answered_measure(question: str, terms: list[tuple[str, tuple[str, ...]]], measure: str) -> None:
    found = [_term("zorblax-9", name=True), *(_term(t, focus=True, forms=f) for t, f in terms)]
    analysis = SimpleNamespace(question=question, terms=found)
    assert answered_measure(analysis) == measure  # type: ignore[arg-type]


def _passage(text: str) -> Passage:
    doc = Document(
        id="d", title="board", source_path="board.md", kind="markdown", language="en", chunks=1, chars=len(text),
        content_hash="h", ingested_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    return Passage(chunk=Chunk(id="d:0", doc_id="d", ordinal=0, text=text, start=0, end=len(text)), document=doc, score=1)


def _cand(text: str, label: str, score: float, *, passage: int = 0, kind: str = "row") -> Scored:
    (start, end), header = _row(text, label) if kind == "row" else ((0, 10), (0, 0))
    return Scored(passage=passage, start=start, end=end, text=text[start:end], score=score, kind=kind,
                  record_head=header if kind == "row" else None)


@pytest.mark.parametrize(
    ("part_terms", "usable", "expected"),
    [
        # "... on TwineCode? and Zorblax 4 Maverick?": the first figure's row again, read under the column named
        ([_term("zorblax 4 maverick", name=True)], [("KnotBench", 1.02)], ("TwineCode", False)),
        # the part names its own row: its choice stands
        ([_term("zorblax 4 maverick", name=True), _term("knotbench", name=True)], [("KnotBench", 1.02)], None),
        # another row of the table nearly as good as a sentence elsewhere: read in the first figure's column
        ([_term("vexmor")], [(None, 0.99), ("Vexmor", 0.88)], ("Vexmor", True)),
        # ... not when far behind
        ([_term("vexmor")], [(None, 0.99), ("Vexmor", 0.80)], None),
    ],
)
def test_same_table_part(
    part_terms: list[Term], usable: list[tuple[str | None, float]], expected: tuple[str, bool] | None
) -> None:
    table = SCORES if part_terms[0].name else SHARES
    passages = [_passage(table), _passage("Zorblax staff: about 85% are engineers.")]
    first = _cand(table, "TwineCode" if table is SCORES else "Quillon", 1.2)
    cands = [_cand(table, label, s) if label else _cand(passages[1].chunk.text, "", s, passage=1, kind="sentence")
             for label, s in usable]
    got = same_table_part(first, cands, SimpleNamespace(terms=part_terms), passages)  # type: ignore[arg-type]
    if expected is None:
        assert got is None
    else:
        assert got is not None
        cand, first_column = got
        assert (cand.text.split("|")[1].strip(), first_column) == expected


@pytest.mark.parametrize(
    ("text", "figure", "part"),
    [
        ("Zorblax-4 has 355 billion total parameters, while Zorblax-4-Air adopts 106 billion total parameters.",
         "106 billion", "Zorblax-4 has 355 billion total parameters, while"),
        ("Zorblax-4 has 355 billion total parameters, while Zorblax-4-Air adopts 106 billion total parameters.",
         "355 billion", None),  # already in the asked one's part
        ("Zorblax-4-Air adopts 106 billion total parameters.", "106 billion", None),  # no part names the asked one
        ("Zorblax-4 有 3550 亿总参数，而 Zorblax-4-Air 有 1060 亿总参数。", "1060 亿", "Zorblax-4 有 3550 亿总参数，而"),
    ],
)
def test_own_part(text: str, figure: str, part: str | None) -> None:
    from assistant.ask.surround import own_part
    from tools.figures import parse_figures

    fig = next(f for f in parse_figures(text) if f.text.startswith(figure))
    name = Term(text="zorblax4", label="Zorblax-4", forms=("zorblax-4", "zorblax 4", "zorblax4"), weight=1.0, name=True)
    assert own_part(text, fig, [name]) == part


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # two things asked at once: each column a word names (and names alone) is read
        ("Zorblax-9 在 2023 和 Q1 上分别是多少？", "Zorblax-9 · 2023 share: 53%, Q1 2025 share: 59%"),
        ("What did Zorblax-9 hold in 2023?", "Zorblax-9 · 2023 share: 53%"),
    ],
)
def test_coordinated_columns(question: str, lead: str) -> None:
    text = SHARES.replace("Quillon", "Zorblax-9")
    terms = [_term("zorblax-9", name=True), _term("2023"), _term("q1"), _term("share", focus=True)]
    if "Q1" not in question:
        terms = terms[:2] + terms[3:]
    row, header = _row(text, "Zorblax-9")
    cell = answering_cell(text, row, header, terms, question=question)
    assert cell is not None and cell.lead() == lead


@pytest.mark.parametrize(
    ("taken", "lead"),
    [
        ((), "Zorblax-9 · 2023 share: 53%"),
        (("Zorblax-9 · 2023 share: 53%",), "Zorblax-9 · Q1 2025 share: 59%"),  # another figure's cell is not read again
        (("about 53% of it",), "Zorblax-9 · 2023 share: 53%"),  # a sentence's figure is no cell
    ],
)
def test_taken_cell_not_read_again(taken: tuple[str, ...], lead: str) -> None:
    text = SHARES.replace("Quillon", "Zorblax-9")
    terms = [_term("zorblax-9", name=True), _term("share", focus=True)]
    row, header = _row(text, "Zorblax-9")
    cell = answering_cell(text, row, header, terms, taken=taken)
    assert cell is not None and cell.lead() == lead


def test_chinese_word_inside_a_header_is_present() -> None:
    found = [_term("memory", focus=True, forms=("memory", "显存")), _term("分", focus=True)]
    tails = header_only_tails("| Zorblax-9 | 20 GB |", "| 模型 | 最低显存 | 总分 |", found, {"memory", "分"})
    assert tails == {"分"}
