"""Which of a question's names an answer must hold, and which are context it may leave out.

Every name a question writes used to be required of an answering sentence. Two kinds of name are context:

- a name standing as the possessor or the attribute of another name ("Ilya Sutskever's Safe Superintelligence",
  "Alibaba's QwQ-32B", "Mira Murati 创办的 Thinking Machines Lab"): the name it qualifies says what is asked of,
  and a table row or a model card names that one alone;
- a name no indexed document writes, in either script (with its aliases): it cannot be the key of any answer,
  so it is excused as long as the question's other names, which the index does write, are held.

Each excused name comes with the names whose presence excuses it; with none of those held it is required as
before, so a question about something the index does not hold still finds no answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from assistant.ask.terms import Term

# Between a possessor name and the name it qualifies: "'s" and at most three lower-case words ("'s company",
# "'s smaller"), or a Chinese relative clause ending in 的 ("创办的", "开源的"). A bare 的 ("TPU v7x 的 bf16") joins
# a thing and its attribute, which says what is asked of it: no possessor.
_POSSESSIVE = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,3}|\s*[\u4e00-\u9fff]{1,4}的\s*")
# Name words of one name are separated by spaces or hyphens only.
_SAME_NAME = re.compile(r"[\s-]*")


def excusable_names(
    question: str, names: Sequence[Term], written: Callable[[Term], bool] | None = None
) -> dict[str, frozenset[str]]:
    """Name -> the names whose presence excuses it (see the module docstring); names not listed are required."""
    out: dict[str, frozenset[str]] = {}
    for possessor, head in possessors(question, names):
        out.update({t.text: frozenset(h.text for h in head) for t in possessor})
    if written is not None and len(names) >= 2:
        absent = [t for t in names if not written(t)]
        kept = frozenset(t.text for t in names if t not in absent)
        if absent and kept:
            out.update({t.text: out.get(t.text, frozenset()) or kept for t in absent})
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
