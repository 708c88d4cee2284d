"""Which of a question's names an answer must hold, and which are context it may leave out.

Every name a question writes is required of an answering sentence, but for a name standing as the possessor or
the attribute of another name ("Ilya Sutskever's Safe Superintelligence", "Alibaba's QwQ-32B", "Mira Murati 创办的
Thinking Machines Lab"): the name it qualifies says what is asked of, and a table row or a model card names that
one alone. Such a name is excused while every word of the name it qualifies is held; otherwise it is required as
before.

(A name no indexed document writes is *not* excused: "MMLU-Pro" asked of a model card that reports no MMLU-Pro is
what makes the question unanswerable, and excusing it answers with the card's other scores.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.ask.terms import Term

# Between a possessor name and the name it qualifies: "'s" and at most three lower-case words ("'s company",
# "'s smaller"), or a Chinese relative clause ending in 的 ("创办的", "开源的"). A bare 的 ("TPU v7x 的 bf16") joins
# a thing and its attribute, which says what is asked of it: no possessor.
_POSSESSIVE = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,3}|\s*[\u4e00-\u9fff]{1,4}的\s*")
# Name words of one name are separated by spaces or hyphens only.
_SAME_NAME = re.compile(r"[\s-]*")


def excusable_names(question: str, names: Sequence[Term]) -> dict[str, frozenset[str]]:
    """Name -> the names whose presence excuses it (see the module docstring); names not listed are required."""
    out: dict[str, frozenset[str]] = {}
    for possessor, head in possessors(question, names):
        out.update({t.text: frozenset(h.text for h in head) for t in possessor})
    return out


def held_names(named: set[str], excused: Mapping[str, frozenset[str]]) -> set[str]:
    """``named`` with the excused names whose excusing names it holds."""
    return named | {n for n, need in excused.items() if need and need <= named}


def possessors(question: str, names: Sequence[Term]) -> list[tuple[list[Term], list[Term]]]:
    """(possessor, qualified) pairs of the question's names, each a run of name words as written in order."""
    runs = _runs(question, names)
    return [
        (a, b)
        for (a, a_end, _), (b, _, b_start) in zip(runs, runs[1:], strict=False)
        if _POSSESSIVE.fullmatch(question[a_end:b_start])
    ]


def _runs(question: str, names: Sequence[Term]) -> list[tuple[list[Term], int, int]]:
    """The question's names grouped into runs of words of one name ("Ilya Sutskever"), each with its end and its
    start in the question."""
    placed = []
    for t in sorted(names, key=lambda t: _find(question, t)):
        i = _find(question, t)
        if i >= 0:
            placed.append((i, i + len(t.label or t.text), t))
    runs: list[tuple[list[Term], int, int]] = []
    for start, end, t in placed:
        if runs and _SAME_NAME.fullmatch(question[runs[-1][1] : start]):
            terms, _, first = runs[-1]
            runs[-1] = ([*terms, t], end, first)
        else:
            runs.append(([t], end, start))
    return [(terms, end, start) for terms, end, start in runs]


def _find(question: str, t: Term) -> int:
    return question.find(t.label or t.text)
