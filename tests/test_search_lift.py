"""Hybrid search past the two rankings: its document's title, and each ranking's leader."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.index.store import Index, with_leaders
from assistant.settings import Settings


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


def test_title_lifts_scores(tmp_path: Path) -> None:
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
        # no word of the query in its title: as fused
        assert lifted["Other"] == pytest.approx(plain["Other"])


def _lists(index: Index, query: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict[str, float]]:
    from assistant.text import detect_language, tokenize

    index.sync()
    dense = index.dense.search(index.embedder.embed_query(query), detect_language(query), 40)
    lexical = index.lexical.search(tokenize(query), 40)
    return dense, lexical, index.lexical.coverage(tokenize(query))
