"""BM25 index: scoring order, per-document replacement and removal, filters."""

from __future__ import annotations

import math

import pytest

from assistant.index.lexical import LexicalIndex


def _index() -> LexicalIndex:
    ix = LexicalIndex()
    ix.add_document("d1", [("a", ["h800", "gpu", "hours", "2.788m"]), ("b", ["rental", "price", "h800"])])
    ix.add_document("d2", [("c", ["h100", "rental", "price", "fell"]), ("d", ["weather", "today"])])
    return ix


def test_ranks_by_bm25() -> None:
    hits = _index().search(["h800", "gpu", "hours"], k=10)
    assert [cid for cid, _ in hits] == ["a", "b"]
    assert hits[0][1] > hits[1][1] > 0


def test_no_match_returns_nothing() -> None:
    assert _index().search(["nothing"], k=5) == []


def test_replace_document_drops_old_chunks() -> None:
    ix = _index()
    ix.add_document("d1", [("e", ["tpu", "v7"])])
    assert ix.search(["h800"], k=5) == []
    assert [c for c, _ in ix.search(["tpu"], k=5)] == ["e"]
    assert len(ix) == 3


def test_remove_document_updates_document_frequency() -> None:
    ix = _index()
    assert ix.idf("h100") == pytest.approx(math.log(1 + 3.5 / 1.5))  # 4 chunks, 1 holds it
    ix.remove_document("d2")
    assert [c for c, _ in ix.search(["rental"], k=5)] == ["b"]
    assert ix.idf("h100") == pytest.approx(math.log(1 + 2.5 / 0.5))  # 2 chunks, none holds it
    assert ix.doc_ids == {"d1"}


def test_allowed_docs_filter() -> None:
    hits = _index().search(["rental", "price"], k=5, allowed_docs={"d2"})
    assert [c for c, _ in hits] == ["c"]


@pytest.mark.parametrize("removals", [["d1"], ["d1", "d2"], ["d2", "d1"]])
def test_compaction_keeps_results(removals: list[str]) -> None:
    ix = _index()
    ix.add_document("d3", [(f"x{i}", ["common", f"t{i}"]) for i in range(5)])
    for doc in removals:
        ix.remove_document(doc)
    hits = ix.search(["common", "t3"], k=2)
    assert hits[0][0] == "x3"
    assert all(cid.startswith("x") for cid, _ in ix.search(["common"], k=10))


def _bilingual() -> LexicalIndex:
    # two English chunks, two Chinese ones; "deepseek" is written in both languages, "revenue" once in Chinese
    ix = LexicalIndex()
    ix.add_document("en", [("e1", ["deepseek", "revenue", "grew"]), ("e2", ["h800", "gpu", "hours"])], "en")
    ix.add_document("zh", [("z1", ["deepseek", "营收", "增长"]), ("z2", ["营收", "revenue", "亿元"])], "zh")
    return ix


@pytest.mark.parametrize(
    ("tokens", "en", "zh"),
    [
        (["h800", "gpu"], 1.0, 0.0),  # words only English chunks hold
        (["营收", "增长"], 0.0, 1.0),  # words only Chinese chunks hold
        (["deepseek"], 1.0, 1.0),  # a name both languages write
        (["deepseek", "营收"], 0.5, 1.0),  # equal weights: the name reaches English chunks, 营收 does not
        (["unknown-word"], 1.0, 1.0),  # nothing indexed: no language is short of evidence
        ([], 1.0, 1.0),
    ],
)
def test_coverage_by_language(tokens: list[str], en: float, zh: float) -> None:
    cov = _bilingual().coverage(tokens)
    assert cov["en"] == pytest.approx(en, abs=1e-9)
    assert cov["zh"] == pytest.approx(zh, abs=1e-9)


def test_coverage_follows_removal() -> None:
    ix = _bilingual()
    ix.remove_document("zh")
    assert ix.coverage(["deepseek"]) == {"en": 1.0, "zh": 0.0}
