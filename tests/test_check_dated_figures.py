"""A date that dates another figure of its sentence is judged only against sources stating that figure, and a
chip named after "per" is the figure's subject, not a reporter."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from assistant.check.claims import find_claims, is_reporter
from assistant.check.siblings import date_of_its_figures


def _candidate(outcome: str, document: str, sentence: str) -> Any:
    return SimpleNamespace(
        outcome=outcome,
        source=SimpleNamespace(passage=SimpleNamespace(document=SimpleNamespace(id=document)), ctx=SimpleNamespace(sentence_text=sentence)),
    )


@pytest.mark.parametrize(
    ("draft", "source", "kept"),
    [
        # another document's date is of another event
        (
            "Orbit Cloud's revenue grew 13% year on year in the quarter ended December 31, 2024.",
            "Orbit Cloud's fiscal year ended in March 2024, with revenue of 106.4 billion yuan, up 3%.",
            False,
        ),
        (
            "2025 年 9 月，Orbit Cloud 的 B200 按需价格为每 GPU 小时 8.91 美元。",
            "The B200 had a median price of $5.69 per GPU hour, easing to $5.49 from 2025-11-14.",
            False,
        ),
        # a source sentence stating the dated figure's value under another date says the date is wrong
        (
            "Orbit Cloud's revenue grew 13% year on year in the quarter ended September 30, 2024.",
            "Orbit Cloud's revenue grew 13% year on year in the quarter ended December 31, 2024.",
            True,
        ),
        # a date standing alone in its sentence is judged as before
        ("Orbit Cloud launched its model on June 30, 2024.", "Orbit Cloud launched it on March 31, 2024.", True),
    ],
)
def test_a_date_is_judged_by_the_sources_of_the_figures_it_dates(draft: str, source: str, kept: bool) -> None:
    claims, _, _ = find_claims(draft)
    date = next(c for c in claims if c.ctx.figure.unit == "date")
    judged: dict[int, list[Any]] = {c.ctx.figure.start: [] for c in claims}
    judged[date.ctx.figure.start] = [_candidate("mismatch", "other", source), _candidate("match", "other", source)]
    date_of_its_figures(claims, judged)
    assert [x.outcome for x in judged[date.ctx.figure.start]] == (["mismatch", "match"] if kept else ["match"])


@pytest.mark.parametrize(
    ("draft", "subjects"),
    [
        ("CoreWeave charged $6.31 per H200 GPU hour in June 2025.", {"coreweave", "chip:h200"}),
        ("Per Reuters, NVIDIA sold 3 million H100 chips.", {"nvidia", "chip:h100"}),
    ],
)
def test_a_chip_after_per_is_a_subject(draft: str, subjects: set[str]) -> None:
    claims, _, _ = find_claims(draft)
    assert {e.key for e in claims[0].subjects} >= subjects


def test_a_chip_or_model_reports_nothing() -> None:
    text = "per H200 GPU hour"
    claims, _, _ = find_claims(f"It costs $6 {text}.")
    chips = [e for c in claims for e in c.ctx.sentence_entities if e.cls == "chip"]
    assert chips and not any(is_reporter(f"It costs $6 {text}.", e) for e in chips)
