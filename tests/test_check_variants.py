"""Whose figure a source sentence states when it names a model bare beside its hyphenated variant, and which
figures of one claim sentence a source figure belongs to: checked end to end on a fake index of one-chunk
documents (words only, no embedder)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import OneChunkRetriever

from assistant.check import check_text
from assistant.settings import Settings

DOCS = {
    "readme": (
        "Zeta models",
        "zeta/README.md",
        "Zeta-4.5 has 355 billion total parameters with 32 billion active parameters, while Zeta-4.5-Air adopts a "
        "more compact design with 106 billion total parameters and 12 billion active parameters.",
    ),
    "paper": (
        "Zeta report",
        "zeta/report.md",
        "We present Zeta-4.5, an open mixture-of-experts language model with 355B total parameters and 32B "
        "active parameters.",
    ),
}


@pytest.mark.parametrize(
    ("draft", "verdicts", "source"),
    [
        # the bare "Zeta-4.5" clause and the bare model's report state the other model's 32B
        (
            "Zeta-4.5-Air has 106B total parameters and 32B active parameters.",
            ["supported", "contradicted"],
            "12",
        ),
        (
            "Zeta-4.5-Air has 106B total parameters and 12B active parameters.",
            ["supported", "supported"],
            None,
        ),
        ("Zeta-4.5 has 32B active parameters.", ["supported"], None),
    ],
)
def test_a_bare_name_is_not_its_variant(
    draft: str, verdicts: list[str], source: str | None, tmp_path: Any
) -> None:
    report = check_text(draft, retriever=OneChunkRetriever(DOCS), settings=Settings(data_dir=tmp_path))
    assert [c.verdict for c in report.claims] == verdicts
    shown = [c.source_figure.text.strip() for c in report.claims if c.source_figure is not None]
    assert shown == ([] if source is None else [f"{source} billion active parameters"])


GAP_DOCS = {
    "board": (
        "Arena board March",
        "board/march.md",
        "The best open model Orca-R1 trails the leader Kestrel-3 by a total gap of 5.68 points, down from 8.42 "
        "points in December.",
    ),
}


def test_a_gap_confirming_one_figure_does_not_contradict_the_scores(tmp_path: Any) -> None:
    draft = "The March board puts Orca-R1 at 70.33 and Kestrel-3 at 76.01, a gap of 5.68 points."
    report = check_text(draft, retriever=OneChunkRetriever(GAP_DOCS), settings=Settings(data_dir=tmp_path))
    assert [(c.figure.text.strip(), c.verdict) for c in report.claims] == [
        ("70.33", "unverifiable"),
        ("76.01", "unverifiable"),
        ("5.68", "supported"),
    ]
