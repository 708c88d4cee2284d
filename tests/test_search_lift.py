"""Hybrid search past the two rankings: numbers a chunk writes, its document's title, and each ranking's leader."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.index.lexical import LexicalIndex
from assistant.index.store import Index, with_leaders
from assistant.settings import Settings


def test_figures_counts_distinct_numbers_of_live_chunks() -> None:
    ix = LexicalIndex()
    ix.add_document("d1", [("a", ["h800", "2.788", "2.788", "14.8", "gpu"]), ("b", ["rental", "price"])])
    ix.add_document("d2", [("c", ["3", "4096", "layers"])])
    assert ix.figures(["a", "b", "c", "nope"]) == {"a": 2, "b": 0, "c": 2}
    ix.remove_document("d1")
    assert ix.figures(["a", "c"]) == {"c": 2}
    ix.remove_document("d2")  # compacts: slots are renumbered
    ix.add_document("d3", [("e", ["1", "2", "x"])])
    assert ix.figures(["c", "e"]) == {"e": 2}


@pytest.mark.parametrize(
    ("ranked", "rankings", "k", "expected"),
    [
        # both leaders already in the top k: the top k as ranked
        (["a", "b", "c", "d"], [{"a": 1}, {"b": 1}], 2, ["a", "b"]),
        # the lexical leader "d" takes the last place
        (["a", "b", "c", "d"], [{"a": 1, "b": 2}, {"d": 1, "c": 2}], 2, ["a", "d"]),
        # two missing leaders take the last two places, in the ranked order
        (["a", "b", "c", "d", "e"], [{"d": 1}, {"e": 1}], 3, ["a", "d", "e"]),
        # a ranking's second place is no leader
        (["a", "b", "c"], [{"c": 2}], 2, ["a", "b"]),
        # fewer candidates than places
        (["a"], [{"a": 1}, {}], 3, ["a"]),
    ],
)
def test_with_leaders(ranked: list[str], rankings: list[dict[str, int]], k: int, expected: list[str]) -> None:
    assert with_leaders(ranked, rankings, k) == expected


def test_title_and_figures_lift_scores(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Zephyr_report.md").write_text("# Zephyr report\n\nThe cluster has many racks and a long history.\n")
    (docs / "other.md").write_text("# Other\n\nThe cluster has 512 racks, 64 rows and 8 halls.\n")
    with Assistant.open(settings=Settings(data_dir=tmp_path / "idx", embedder="hash")) as a:
        a.ingest([docs])
        index = a.index
        dense, lexical, coverage = _lists(index, "zephyr cluster racks")
        plain = {p.document.title: p.score for p in index.fuse(dense, lexical, 8, coverage=coverage)}
        lifted = {p.document.title: p.score for p in a.search("zephyr cluster racks", k=8)}
        unit = 1 / 61
        # the query's weight its title carries: "zephyr" of the three words, by IDF
        idf = index.term_idf(["zephyr", "cluster", "racks"])
        share = idf["zephyr"] / sum(idf.values())
        assert lifted["Zephyr report"] == pytest.approx(plain["Zephyr report"] + unit * share)
        # three numbers of FIGURES_FULL = 10, at FIGURES_WEIGHT = 0.5
        assert lifted["Other"] == pytest.approx(plain["Other"] + unit * 0.5 * 3 / 10)


def _lists(index: Index, query: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict[str, float]]:
    from assistant.text import detect_language, tokenize

    index.sync()
    dense = index.dense.search(index.embedder.embed_query(query), detect_language(query), 40)
    lexical = index.lexical.search(tokenize(query), 40)
    return dense, lexical, index.lexical.coverage(tokenize(query))
