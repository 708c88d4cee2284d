"""Alignment signals of the draft checker: rare names by index statistics, the figure's label, sentence
similarity (with a fake embedder), and name matching across scripts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from assistant.check.align import Aligner, label_words, semantic_align
from assistant.check.entities import Entity
from assistant.check.subject_match import _translated

# idf by term: an unseen term scores 8; names are rare, common words are not
IDF = {"zorblax": 7.5, "cmmlu": 6.0, "scored": 1.0, "model": 0.5, "embedding": 3.0, "size": 2.0, "层": 5.0}


def fake_idf(terms: list[str]) -> dict[str, float]:
    return {t: IDF.get(t, 8.0 if t.startswith("\u2063") else 0.2) for t in terms}


RARE = [
    ("Zorblax scored 71 on CMMLU.", ["zorblax", "cmmlu"]),
    ("The model has an embedding size of 4,096.", []),
    ("Zorblax 共有 48 层。", ["zorblax", "层"]),
]


@pytest.mark.parametrize(("text", "names"), RARE)
def test_rare_names(text: str, names: list[str]) -> None:
    assert Aligner(idf=fake_idf).rare_names(text) == names


LABELS = [
    (["embedding", "size"], "- **Embedding Size:** ", 1.0),
    (["embedding", "size"], "- **Layers:** ", 0.0),
    (["scored", "cmmlu"], "Zorblax-7B (ours) CMMLU", 6.0 / 7.0),
    ([], "anything", 0.0),
]


@pytest.mark.parametrize(("words", "label", "share"), LABELS)
def test_label_overlap(words: list[str], label: str, share: float) -> None:
    assert Aligner(idf=fake_idf).label_overlap(words, label) == pytest.approx(share)


def test_label_words_leave_out_the_subject_and_numbers() -> None:
    assert label_words("Zorblax-7B's embedding size of 4,096", exclude=["Zorblax-7B"]) == ["embedding", "size"]


FOUND = [
    (["zorblax", "cmmlu"], "| Zorblax-7B | CMMLU |", 1.0),
    (["zorblax", "cmmlu"], "| Other | CMMLU |", 0.5),
    ([], "anything", 0.0),
]


@pytest.mark.parametrize(("names", "where", "share"), FOUND)
def test_names_found(names: list[str], where: str, share: float) -> None:
    assert Aligner.names_found(names, where) == share


SEMANTIC = [(0.78, 0.1), (0.83, 0.35), (0.87, 0.55), (0.99, 0.8)]


@pytest.mark.parametrize(("cosine", "align"), SEMANTIC)
def test_semantic_align(cosine: float, align: float) -> None:
    assert semantic_align(cosine) == pytest.approx(align)


class CountingEmbedder:
    """Each text maps to a fixed unit vector; counts how many texts it embedded."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        rows = []
        for t in texts:
            v = np.array([1.0, float("layer" in t), float("head" in t)])
            rows.append(v / np.linalg.norm(v))
        return np.vstack(rows)


def test_similarities_are_cached_and_bounded() -> None:
    embed = CountingEmbedder()
    aligner = Aligner(embed=embed, budget=2)
    sims = aligner.similarities("grok has # layer", ["# layer", "# head", "# other"])
    assert sorted(sims) == ["# head", "# layer"]  # the budget left the third for later
    assert sims["# layer"] == pytest.approx(1.0)
    assert embed.calls == 3
    again = aligner.similarities("grok has # layer", ["# layer", "# head", "# other"])
    assert sorted(again) == ["# head", "# layer", "# other"]
    assert embed.calls == 4


def test_no_signals_without_an_index() -> None:
    aligner = Aligner()
    assert aligner.rare_names("Zorblax scored 71") == []
    assert aligner.similarities("a", ["b"]) == {}


TRANSLATED = [
    (Entity("源", "2.0-2b", "model"), Entity("yuan", "2.0-2b", "model"), True),
    (Entity("源", "2.0-2b", "model"), Entity("yuan", "2.0-51b", "model"), False),
    (Entity("天", "large", "model"), Entity("tian", "large", "model"), False),  # no size: too weak a tie
    (Entity("qwen", "7b", "model"), Entity("yuan", "7b", "model"), False),  # two Latin names differ
]


@pytest.mark.parametrize(("a", "b", "same"), TRANSLATED)
def test_translated_names(a: Entity, b: Entity, same: bool) -> None:
    assert _translated(a, b) is same
