"""A candidate's agreement with the question, read against the index's own spread per language, and what the gate
makes of it; and the measure of a table row's figure named by the row's label, not by a generic column header."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from assistant.ask.analyze import kind
from assistant.ask.candidate import Scored, failing_rules
from assistant.ask.kinds import kind_hit
from assistant.ask.meaning import agreement
from assistant.index.dense import MIN_SPREAD_CHUNKS, DenseIndex
from tools.figures import parse_figures

SENTENCE = "Quillon's fabric sustains 95% of theoretical data throughput, against about 60% on plain Ethernet."


def _spread_index() -> DenseIndex:
    """English chunks at cosines 0.6 and 0.8 to the x axis, Chinese ones at 0.0 and 0.2 (each half of them)."""
    index = DenseIndex(2, prior_chunks=0.0)

    def at(cos: float) -> list[float]:
        return [cos, math.sqrt(1 - cos * cos)]

    n = MIN_SPREAD_CHUNKS
    index.add_document("en", [f"e{i}" for i in range(n)], np.array([at(0.6 if i % 2 else 0.8) for i in range(n)]), "en")
    index.add_document("zh", [f"z{i}" for i in range(n)], np.array([at(0.0 if i % 2 else 0.2) for i in range(n)]), "zh")
    index.add_document("ko", ["k0"], np.array([at(0.5)]), "ko")  # too few chunks for a yardstick of its own
    return index


def test_spread_per_language() -> None:
    spread = {k: (round(m, 4), round(s, 4)) for k, (m, s) in _spread_index().spread(np.array([1.0, 0.0])).items()}
    assert spread == {"en": (0.7, 0.1), "zh": (0.1, 0.1), "*": (0.4024, 0.3127)}


@pytest.mark.parametrize(
    ("sim", "language", "expected"),
    [
        (0.9, "en", 2.0),  # two deviations above the English chunks' mean
        (0.3, "zh", 2.0),  # the same agreement for a Chinese candidate far lower in cosine: its own region
        (0.7, "en", 0.0),
        (0.5, "ko", 0.312),  # a language without a yardstick of its own is read against the whole index
    ],
)
def test_agreement_is_relative_to_its_language(sim: float, language: str, expected: float) -> None:
    spread = _spread_index().spread(np.array([1.0, 0.0]))
    got = agreement(sim, language, spread)
    assert got is not None and round(got, 4) == expected


def test_no_yardstick() -> None:
    assert agreement(0.9, "en", None) is None
    assert agreement(0.9, "en", {"en": (0.5, 0.0)}) is None


def _cand(**scores: Any) -> Scored:
    figures = parse_figures(SENTENCE)
    return Scored(passage=0, start=0, end=len(SENTENCE), text=SENTENCE, quote=SENTENCE, figure=figures[0], **scores)


@pytest.mark.parametrize(
    ("scores", "rules"),
    [
        # thin words around a figure of the asked kind: barred, unless it agrees with the question far above the
        # index's spread
        ({"names": 1.0, "window": 0.1, "kind_hit": 1.0}, ["thin_content"]),
        ({"names": 1.0, "window": 0.1, "kind_hit": 1.0, "agreement": 5.0}, []),
        ({"names": 1.0, "window": 0.1, "kind_hit": 1.0, "agreement": 2.0}, ["thin_content"]),
        # agreement never stands for a figure of the asked kind or a name
        ({"names": 1.0, "window": 0.1, "kind_hit": 0.0, "agreement": 9.0}, ["missing_kind", "thin_content"]),
        ({"names": 0.5, "window": 1.0, "kind_hit": 1.0, "agreement": 9.0}, ["missing_names"]),
        # no closer to the question than the index's average passage: about something else, whatever its words
        ({"names": 1.0, "window": 1.0, "kind_hit": 1.0, "agreement": -0.3}, ["unrelated"]),
        ({"names": 1.0, "window": 1.0, "kind_hit": 1.0, "agreement": 0.4}, []),
    ],
)
def test_gate_reads_agreement(scores: dict[str, Any], rules: list[str]) -> None:
    assert failing_rules(_cand(**scores), kind("percent"), wants_figure=True) == rules


@pytest.mark.parametrize(
    ("text", "header", "asked", "value"),
    [
        # a two-column table of labels and values: its "value" header names no measure, the label does
        ("| Training tokens | 9.8T |", "| item | value |", "token", 9.8e12),
        ("| Parameters | 14B |", "| item | value |", "param", 14e9),
        ("| Training hardware | 1,920 H100-80G GPUs |", "| item | value |", "gpu", 1920.0),
        # ... and a label naming another measure bars the figure
        ("| Training tokens | 9.8T |", "| item | value |", "param", None),
        # a row per model: its label names the measure whatever the columns (models) are
        ("| Parameters | 3.8B | 7B | 14B |", "| | mini | small | medium |", "param", 3.8e9),
        # a row naming no measure: the column header still decides
        ("| Phi-4 | 14B | 9.8T |", "| model | params | training tokens |", "token", 9.8e12),
    ],
)
def test_row_label_names_the_measure(text: str, header: str, asked: str, value: float | None) -> None:
    cues = {"token": ("token",), "param": ("parameter",), "gpu": ("gpu",)}[asked]
    _, figure = kind_hit(kind(asked), parse_figures(text), text, [], cues=cues, header=header)
    assert (figure.value if figure else None) == value
