"""Which table cell is a claim's: the row its subject names and the column its measure names, by the claim's words
weighted by rarity; ties keep the cell (the other signals judge it)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.check.cells import ClaimWords, grid_at, misplaced

# Our own small tables: models by column (a leaderboard), models by row (a distillation table), years by column.
BOARD = (
    "Scores\n\n"
    "| Benchmark | Metric | Orca Mini | Kestrel Large | Kestrel Small |\n"
    "|---|---|---|---|---|\n"
    "| ZebraLogic | Acc | 89.0 | 73.7 | 59.3 |\n"
    "| AutoLogi | Acc | 89.5 | 89.8 | 86.1 |\n"
    "\nAfter the table.\n"
)
DISTILL = (
    "| Model | AIME 2024 pass@1 | AIME 2024 cons@64 | GPQA Diamond pass@1 |\n"
    "|:--|--:|--:|--:|\n"
    "| Heron-Distill-7B | 55.5 | 83.3 | 49.1 |\n"
    "| Heron-Distill-14B | 69.7 | 80.0 | 59.1 |\n"
)
SHARES = (
    "| Supplier | 2023 share | 2024 share | Q1 2025 share |\n"
    "|---|---|---|---|\n"
    "| Alder Memory | 53% | 52% | 59% |\n"
    "| Birch Semis | 38% | 39% | 29% |\n"
)

RARE = {"zebralogic": 5.0, "autologi": 5.0, "kestrel": 4.0, "large": 2.0, "small": 2.0, "orca": 4.0, "mini": 2.0}


def weights(words: Sequence[str]) -> dict[str, float]:
    return {w: RARE.get(w, 1.0) for w in words}


def cell(text: str, value: str, after: str = "") -> int:
    """Position of ``value`` in ``text``, the first after ``after``."""
    return text.index(value, text.index(after) if after else 0)


@pytest.mark.parametrize(
    ("text", "value", "after", "row", "column"),
    [
        (BOARD, "59.3", "", 0, 4),
        (BOARD, "89.8", "AutoLogi", 1, 3),
        (DISTILL, "59.1", "", 1, 3),
        (SHARES, "39%", "", 1, 2),
    ],
)
def test_grid_at_finds_row_and_column(text: str, value: str, after: str, row: int, column: int) -> None:
    at = grid_at(text, cell(text, value, after))
    assert at is not None
    assert at[1:] == (row, column)


@pytest.mark.parametrize("pos", [0, BOARD.index("After")])
def test_grid_at_outside_a_table(pos: int) -> None:
    assert grid_at(BOARD, pos) is None


@pytest.mark.parametrize(
    ("text", "claim", "figure", "value", "after", "expected"),
    [
        # another model's column holds the claim's number: not the claim's cell
        (BOARD, "Kestrel Large scores 59.3 on ZebraLogic.", "59.3", "59.3", "", True),
        (BOARD, "Kestrel Large scores 59.3 on ZebraLogic.", "59.3", "73.7", "", False),
        # another benchmark's row
        (BOARD, "Kestrel Large scores 89.8 on ZebraLogic.", "89.8", "89.8", "", True),
        # another measure's column of the right row, and another model's row of the right column
        (DISTILL, "Heron-Distill-14B scores 69.7 on AIME 2024 by cons@64.", "69.7", "69.7", "", True),
        (DISTILL, "Heron-Distill-14B scores 80.0 on AIME 2024 by cons@64.", "80.0", "80.0", "", False),
        (DISTILL, "Heron-Distill-7B reaches 59.1 on GPQA Diamond.", "59.1", "59.1", "", True),
        (DISTILL, "Heron-Distill-7B reaches 59.1 on GPQA Diamond.", "59.1", "49.1", "", False),
        # a column the claim's other figure takes is no rival ("55.5 on AIME 2024 and 49.1 on GPQA Diamond")
        (DISTILL, "Heron-Distill-7B reaches 55.5 on AIME 2024 pass@1 and 49.1 on GPQA Diamond.", "55.5", "55.5", "",
         False),
        # a year names its column; nothing in the claim names the supplier's row: a tie of rows keeps the cell
        (SHARES, "2023 年该公司占 52% 的份额。", "52%", "52%", "", True),
        (SHARES, "2023 年该公司占 52% 的份额。", "52%", "53%", "", False),
        (SHARES, "2023 年该公司占 52% 的份额。", "52%", "38%", "", False),
    ],
)
def test_misplaced(text: str, claim: str, figure: str, value: str, after: str, expected: bool) -> None:
    words = ClaimWords(claim, claim, figure, weights)
    at = grid_at(text, cell(text, value, after))
    assert at is not None
    assert misplaced(*at, words) is expected


# One document with two tables of one benchmark row: base models and chat models (our own numbers).
TWO_TABLES = {
    "heron": (
        "Heron README",
        "other/Heron_README.md",
        "## Base models\n\n| Benchmark | Domain | Heron 7B | Heron-Lite (MoE-16B) |\n|---|---|---|---|\n"
        "| **GSM8K** | Math | 17.4 | 41.1 |\n| **HumanEval** | Code | 26.2 | 29.9 |\n\n"
        "## Chat models\n\n| Benchmark | Domain | Heron 7B Chat (SFT) | Heron-Lite 16B Chat (SFT) |\n|---|---|---|---|\n"
        "| **GSM8K** | Math | 62.6 | 72.0 |\n| **HumanEval** | Code | 45.1 | 57.3 |\n",
    ),
    "board": (
        "Kestrel board",
        "other/Kestrel_board.md",
        "| Benchmark | Metric | Orca Mini | Kestrel Large | Kestrel Small |\n|---|---|---|---|---|\n"
        "| ZebraLogic | Acc | 89.0 | 73.7 | 59.3 |\n| AutoLogi | Acc | 89.5 | 89.8 | 86.1 |\n",
    ),
}


@pytest.fixture
def settings(tmp_path: object) -> object:
    from assistant.settings import Settings

    return Settings(data_dir=tmp_path)


# (draft, verdict, source value shown when contradicted)
CHECKS = [
    # the chat table's cell: its column names "Chat (SFT)" as the claim does; the base table's 41.1 is not it
    ("Heron-Lite Chat (SFT) scores 72.0 on GSM8K.", "supported", None),
    ("Heron-Lite Chat (SFT) scores 75.3 on HumanEval.", "contradicted", 57.3),
    # another model's column holds the claim's number: the claim's own column says 73.7
    ("Kestrel Large scores 59.3 on ZebraLogic.", "contradicted", 73.7),
    ("Kestrel Large scores 73.7 on ZebraLogic.", "supported", None),
]


@pytest.mark.parametrize(("draft", "verdict", "shown"), CHECKS)
def test_check_uses_the_claims_cell(draft: str, verdict: str, shown: float | None, settings: object) -> None:
    from helpers import OneChunkRetriever

    from assistant.check import check_text

    report = check_text(draft, retriever=OneChunkRetriever(TWO_TABLES), settings=settings)  # type: ignore[arg-type]
    assert [c.verdict for c in report.claims] == [verdict]
    if shown is not None:
        assert report.claims[0].source_figure is not None
        assert report.claims[0].source_figure.value == pytest.approx(shown)
