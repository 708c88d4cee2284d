"""The in-memory dense search: plain cosine within a language, the languages' offset taken out across them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.index.dense import DenseIndex

R = 1 / math.sqrt(2)
# Two topics (x, y) in two languages; the third axis is the language: English +z, Chinese -z.
EN = {"e-x": [R, 0, R], "e-y": [0, R, R]}
ZH = {"z-x": [R, 0, -R], "z-y": [0, R, -R]}


def _index(prior: float = 0.0, with_zh: bool = True) -> DenseIndex:
    index = DenseIndex(3, prior_chunks=prior)
    index.add_document("en-doc", list(EN), np.array(list(EN.values())), "en")
    if with_zh:
        index.add_document("zh-doc", list(ZH), np.array(list(ZH.values())), "zh")
    return index


def _scores(index: DenseIndex, vector: list[float], language: str, allowed: set[str] | None = None) -> dict:
    query = np.array(vector) / np.linalg.norm(vector)
    return {c: round(s, 4) for c, s in index.search(query, language, 10, allowed)}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # a Chinese question leaning to topic x: the English chunk on x is read as if it were written in Chinese
        ("zh", {"z-x": 0.9487, "e-x": 0.9487, "z-y": 0.6325, "e-y": 0.6325}),
        # the same vector called English: the Chinese chunks are moved instead, the English ones kept as they are
        ("en", {"e-x": -0.3162, "z-x": -0.3162, "e-y": -0.6325, "z-y": -0.6325}),
        # no known language: every chunk as it is (plain cosine)
        ("unknown", {"z-x": 0.9487, "z-y": 0.6325, "e-x": -0.3162, "e-y": -0.6325}),
    ],
)
def test_cross_language_scores(language: str, expected: dict) -> None:
    assert _scores(_index(), [0.5, 0, -1], language) == expected


def test_one_language_is_plain_cosine() -> None:
    assert _scores(_index(with_zh=False), [0.5, 0, -1], "en") == {"e-x": -0.3162, "e-y": -0.6325}


def test_prior_draws_a_small_language_towards_the_whole() -> None:
    # with a prior of 4 chunks the two-chunk languages' means are a third as far apart as without: the English
    # chunk on x is moved a third of the way, and ranks below both Chinese ones
    assert _scores(_index(prior=4.0), [0.5, 0, -1], "zh") == {
        "z-x": 0.9487, "z-y": 0.6325, "e-x": 0.1414, "e-y": -0.2828
    }


def test_allowed_documents_and_removal() -> None:
    index = _index()
    assert _scores(index, [0.5, 0, -1], "zh", {"en-doc"}) == {"e-x": 0.9487, "e-y": 0.6325}
    assert _scores(index, [0.5, 0, -1], "zh", {"nothing"}) == {}
    index.remove_document("zh-doc")
    assert len(index) == 2
    assert _scores(index, [0.5, 0, -1], "zh") == {"e-x": -0.3162, "e-y": -0.6325}


def test_among_scores_only_the_candidates() -> None:
    assert _scores_among(_index(), [0.5, 0, -1], "zh", ["e-x", "z-y", "unknown-id"]) == {"e-x": 0.9487, "z-y": 0.6325}


@pytest.mark.parametrize(
    ("language", "target", "expected"),
    [
        # a Chinese query moved into the English region: its language component turns positive
        ("zh", "en", [0.6522, 0.0, 0.758]),
        ("zh", "zh", [0.4472, 0.0, -0.8944]),
        ("unknown", "en", [0.4472, 0.0, -0.8944]),
    ],
)
def test_probe(language: str, target: str, expected: list[float]) -> None:
    query = np.array([0.5, 0, -1]) / np.linalg.norm([0.5, 0, -1])
    assert [round(float(x), 4) for x in _index().probe(query, language, target)] == expected


def _scores_among(index: DenseIndex, vector: list[float], language: str, among: list[str]) -> dict:
    query = np.array(vector) / np.linalg.norm(vector)
    return {c: round(s, 4) for c, s in index.search(query, language, 10, None, among)}
