"""The answer gate: which rule bars a candidate, and a multi-figure question's part answered beside another part."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.ask.analyze import analyze
from assistant.ask.candidate import Scored, blocking_rule, failing_rules, weakness
from assistant.ask.partfill import companions
from tools.figures import parse_figures

ROW = "| Zorblax-9 | 784.9 | 1300 | 60.4% |"
SENTENCE = "Quillon's fabric sustains 95% of theoretical data throughput, against about 60% on plain Ethernet."


def _cand(text: str, *, passage: int = 0, kind: str = "sentence", **scores: Any) -> Scored:
    figures = parse_figures(text)
    return Scored(
        passage=passage, start=0, end=len(text), text=text, quote=text, kind=kind,
        figure=figures[0] if figures else None, **scores,
    )


@pytest.mark.parametrize(
    ("scores", "rules", "reason"),
    [
        ({"names": 1.0, "window": 1.0, "kind_hit": 1.0}, [], None),
        ({"names": 0.5, "window": 1.0, "kind_hit": 1.0}, ["missing_names"], "missing_names"),
        # every rule that bars is listed; the first is the reason given
        ({"names": 0.5, "window": 0.1, "kind_hit": 0.0}, ["missing_names", "missing_kind", "thin_content"],
         "missing_names"),
        ({"names": 1.0, "window": 0.1, "kind_hit": 1.0}, ["thin_content"], "weak"),
        ({"names": 1.0, "window": 1.0, "kind_hit": 1.0, "focus_near": False}, ["focus_far"], "weak"),
        ({"names": 1.0, "window": 1.0, "kind_hit": 1.0, "other_year": True}, ["other_year"], "other_year"),
    ],
)
def test_failing_rules(scores: dict[str, Any], rules: list[str], reason: str | None) -> None:
    asked = analyze("How much throughput does Quillon sustain?").asked
    assert asked is not None
    cand = _cand(SENTENCE, **scores)
    assert failing_rules(cand, asked, wants_figure=True) == rules
    assert blocking_rule(cand, asked, wants_figure=True) == (rules[0] if rules else None)
    assert weakness(cand, asked, wants_figure=True) == reason


def _parts(question_a: str, question_b: str) -> tuple:
    return analyze(question_a), analyze(question_b)


@pytest.mark.parametrize(
    ("other_passage", "own", "expected"),
    [
        # the part's own best candidate sits in the passage answering the other part: barred only by word shares
        (0, {"names": 1.0, "window": 0.1, "kind_hit": 1.0}, SENTENCE),
        (0, {"names": 1.0, "window": 1.0, "kind_hit": 1.0, "focus_near": False}, SENTENCE),
        # ... in another passage: nothing shows it speaks of what is asked
        (1, {"names": 1.0, "window": 0.1, "kind_hit": 1.0}, None),
        # a missing name, another year, or no figure of the asked kind still bars
        (0, {"names": 0.5, "window": 0.1, "kind_hit": 1.0}, None),
        (0, {"names": 1.0, "window": 0.1, "kind_hit": 1.0, "other_year": True}, None),
        (0, {"names": 1.0, "window": 0.1, "kind_hit": 0.0}, None),
        # far from the closest in meaning
        (0, {"names": 1.0, "window": 0.1, "kind_hit": 1.0, "closeness": 0.4}, None),
    ],
)
def test_a_part_is_answered_beside_another(
    other_passage: int, own: dict[str, Any], expected: str | None
) -> None:
    first, second = _parts("How much throughput does Quillon's fabric sustain?", "And plain Ethernet?")
    assert first.asked is not None
    answered = _cand(SENTENCE, passage=other_passage, names=1.0, window=1.0, sim=0.9, closeness=1.0)
    candidate = _cand(SENTENCE, passage=0, **{"sim": 0.85, "closeness": 1.0, **own})
    filled = companions([(first, []), (second, [answered])], [[candidate], [answered]])
    got = filled[0][1]
    assert (got[0].text if got else None) == expected
    assert filled[1][1] == [answered]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Quillon-12B ran on 512 GPUs for 21 days.", "21 days"),
        # a duration in another unit than the one the part names is no answer to it
        ("Quillon-12B ran on 512 GPUs, each step taking 35 seconds.", None),
    ],
)
def test_a_companion_is_in_the_unit_named(line: str, expected: str | None) -> None:
    first, second = _parts("How many GPUs did Quillon-12B train on?", "And for how many days?")
    answered = _cand(line, names=1.0, window=1.0, kind_hit=1.0, sim=0.9, closeness=1.0)
    own = _cand(line, names=1.0, window=0.1, kind_hit=1.0, sim=0.85, closeness=1.0)
    own.figure = parse_figures(line)[-1]
    got = companions([(first, [answered]), (second, [])], [[answered], [own]])[1][1]
    assert (got[0].figure.text if got and got[0].figure else None) == expected


def test_an_answer_far_in_meaning_vouches_for_nothing() -> None:
    first, second = _parts("How much throughput does Quillon's fabric sustain?", "And plain Ethernet?")
    answered = _cand(SENTENCE, names=1.0, window=1.0, sim=0.8, closeness=0.3)
    own = _cand(SENTENCE, names=1.0, window=0.1, kind_hit=1.0, sim=0.85, closeness=1.0)
    assert companions([(first, []), (second, [answered])], [[own], [answered]])[0][1] == []


def test_a_candidate_without_a_figure_is_no_companion() -> None:
    first, second = _parts("How much data throughput does Quillon's fabric sustain?", "And plain Ethernet?")
    answered = _cand(SENTENCE, names=1.0, window=1.0, kind_hit=1.0, sim=0.9, closeness=1.0)
    plain = _cand("Quillon's fabric is plain Ethernet underneath.", names=1.0, window=0.1, sim=0.85, closeness=1.0)
    assert companions([(first, [answered]), (second, [])], [[answered], [plain]])[1][1] == []


@pytest.mark.parametrize(
    ("kind_hit", "expected"),
    [
        (0.8, [ROW]),  # the row answering the other part holds a figure under the asked kind's cue
        (0.0, []),  # no figure of the kind asked: the other part's answer does not stand in for that
    ],
)
def test_a_row_answers_both_parts(kind_hit: float, expected: list[str]) -> None:
    first, second = _parts("Zorblax-9 在 MAMF 上实测多少 TFLOPS？", "相对理论值的效率是多少？")
    assert first.asked is not None
    efficiency = _cand(ROW, kind="row", names=1.0, window=1.0, row_named=True, sim=0.9, closeness=1.0)
    flops = _cand(ROW, kind="row", names=1.0, window=0.0, kind_hit=kind_hit, sim=0.85, closeness=1.0)
    filled = companions([(first, []), (second, [efficiency])], [[flops], [efficiency]])
    assert [c.text for c in filled[0][1]] == expected
