"""Tables read whole: rows past a chunk's edge, a table's caption, rows with sentence ends in their cells; which
cell a lead names; how a question asking several figures is divided.

The texts are made up (names of no real model), so nothing here passes by a vocabulary entry.
"""

from __future__ import annotations

import pytest

from assistant.ask.analyze import analyze, asked_kind, question_parts
from assistant.ask.retrieve import _table_end, _table_start
from assistant.ask.spans import sentence_spans
from assistant.ask.table import answering_cell

DOC = (
    "# Velox results\n\n"
    "This section lists decoding speed (tokens/s) at two batch sizes.\n\n"
    "| Engine | Model | GPUs | batch=1 | batch=4 |\n"
    "|---|---|---|---|---|\n"
    "| fastgen | Velox-9B | 8 | 20.5 | 71.0 |\n"
    "| fastgen | Velox-9B int8 | 4 | 19.0 | 66.2 |\n\n"
    "Prose after the table.\n"
)


def _at(text: str, needle: str) -> int:
    return text.index(needle)


@pytest.mark.parametrize(
    ("cut_at", "ends_with"),
    [
        ("| fastgen | Velox-9B | 8", "| 19.0 | 66.2 |"),  # a chunk ending inside the table takes in its last row
        ("\n\n| Engine", "| 19.0 | 66.2 |"),  # a chunk ending with the caption takes in the table it introduces
        ("Prose after", "\n\n"),  # a chunk ending after the table stays as it is
    ],
)
def test_a_table_cut_by_the_chunk_edge_is_read_to_its_last_row(cut_at: str, ends_with: str) -> None:
    end = _table_end(DOC, _at(DOC, cut_at))
    assert DOC[:end].endswith(ends_with)


def test_a_chunk_starting_inside_a_table_takes_in_its_header_and_caption() -> None:
    start = _table_start(DOC, _at(DOC, "| fastgen | Velox-9B int8"))
    assert DOC[start:].startswith("This section lists decoding speed")


def test_a_row_is_one_unit_even_when_a_cell_ends_like_a_sentence() -> None:
    text = "| Task | Velox Inst. | Quill Inst. |\n|---|---|---|\n| FrobQA | 9.1 | 9.4 |\n"
    spans = sentence_spans(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [
        ("sentence", "| Task | Velox Inst. | Quill Inst. |"),
        ("row", "| FrobQA | 9.1 | 9.4 |"),
    ]
    assert spans[1].head is not None
    assert text[spans[1].head[0] : spans[1].head[1]] == "| Task | Velox Inst. | Quill Inst. |"


def _row_and_header(text: str, row: str) -> tuple[tuple[int, int], tuple[int, int]]:
    start = text.index(row)
    head = text.index("| Engine")
    return (start, start + len(row)), (head, text.index("\n", head))


def test_cells_holding_figures_the_question_gives_are_conditions_not_the_answer() -> None:
    question = "With fastgen on 8 GPUs, how fast does Velox-9B decode at batch=4?"
    row, head = _row_and_header(DOC, "| fastgen | Velox-9B | 8 | 20.5 | 71.0 |")
    a = analyze(question)
    cell = answering_cell(DOC, row, head, a.terms, given=[f.value for f in a.figures])
    assert cell is not None
    assert (cell.column, cell.value) == ("batch=4", "71.0")


def test_the_column_measured_in_the_asked_kind_is_the_answer() -> None:
    text = "| Batch | Base (tok/s) | Fast (tok/s) | Speed-up (倍) |\n|---|---|---|---|\n| 64 | 1684 | 6724 | 3.99 |\n"
    start = text.index("| 64")
    cell = answering_cell(
        text, (start, len(text) - 1), (0, text.index("\n")), analyze("比 Base 快几倍？").terms, kind_cues=("倍",)
    )
    assert cell is not None
    assert cell.value == "3.99 倍"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("微软的 Velox 9B 模型多大？", "param"),
        ("How big is the Velox-9B model?", "param"),
        ("How big is Velox-9B's vocabulary?", None),
        ("Velox 在自建评测里的平均困惑度是多少？", None),  # a named measure of no kind; "自建" is not "天"
        ("Velox 4 的训练一共用了多少 H100 GPU 小时？", "gpu_hour"),
    ],
)
def test_asked_kind_of_sizes_and_named_measures(question: str, kind: str | None) -> None:
    asked = asked_kind(question)[1]
    assert (asked.name if asked else None) == kind


def test_a_later_part_lends_its_subject_to_an_earlier_part_naming_none() -> None:
    parts = question_parts(analyze("How many attention heads and how many layers does Velox-9B have?"))
    assert len(parts) == 2
    assert all(any(t.name and t.text == "velox9b" for t in p.terms) for p in parts)


def test_an_elliptic_part_asks_for_the_same_measure() -> None:
    parts = question_parts(analyze("How much GPU memory does Velox-9B need for inference, and how much for fine-tuning?"))
    assert [p.asked.name if p.asked else None for p in parts] == ["memory", "memory"]
    assert {"memory"} <= {t.text for t in parts[1].terms}


def test_a_month_of_a_given_date_is_no_name() -> None:
    terms = analyze("The February 2024 Velox release (Februa) raised FrobQA accuracy from what to what?").terms
    assert {t.text: t.name for t in terms if t.text in ("february", "februa")} == {"february": False, "februa": True}
