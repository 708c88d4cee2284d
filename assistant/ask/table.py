"""Reading one Markdown table row as an answer: which cell answers the question, and how to say it.

A row is a candidate like a sentence, but its figure sits at the crossing of the row and a column: in
"| | AIME 2025 | 76.9 | 74.6 | 81.5 |" under "| | Task | MiniMax-M1-80K | MiniMax-M1-40K | Qwen3 |" the question
"What did MiniMax-M1-80K score on AIME 2025?" is answered by the cell under the column whose header carries the
question's words. The answer's lead then names the row and the column: "AIME 2025 · MiniMax-M1-80K: 76.9".
Nothing here knows any table: the column is the one whose header shares most of the question's weighted terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.ask.headers import clean_cell, heads
from assistant.ask.matching import MatchText
from assistant.ask.spans import cells, demark
from assistant.ask.terms import Term
from tools.figures import parse_figures

if TYPE_CHECKING:
    from assistant.ask.analyze import QuestionAnalysis

_HAS_NUMBER = re.compile(r"\d")
_TOTAL = re.compile(r"(?:total|sum|overall|all|合计|总计|总和|总数|全部)\b", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Cell:
    """The answering cell of a row: its offsets (in the text given), the row's label and the column's header."""

    start: int
    end: int
    label: str
    column: str
    value: str
    more: tuple[tuple[str, str], ...] = ()

    def lead(self) -> str:
        """"label · column: value", leaving out an empty or repeated part (a label that is the value's unit:
        "GPU hours · Total: 1.40M GPU hours" is "Total: 1.40M GPU hours"); other asked columns follow
        ("GSM8K: 52.77, MATH: 10.08"; a semicolon would end the lead sentence)."""
        parts = [p for p in (self.label, self.column) if p and not self.value.endswith(f" {p}")]
        if len(parts) == 2 and parts[0].lower() == parts[1].lower():
            parts = parts[:1]
        head = " · ".join(parts)
        first = f"{head}: {self.value}" if head else self.value
        return ", ".join([first, *(f"{column}: {value}" for column, value in self.more)])


def answering_cell(
    text: str,
    row: tuple[int, int],
    header: tuple[int, int] | None,
    terms: Sequence[Term],
    *,
    heading: str = "",
    given: Sequence[float] = (),
    closeness: Callable[[list[str]], list[float] | None] | None = None,
    kind_cues: Sequence[str] = (),
    kind_units: frozenset[str] = frozenset(),
    measure: Callable[[list[str]], list[float] | None] | None = None,
    question: str = "",
    taken: Sequence[str] = (),
) -> Cell | None:
    """The cell of ``text[row]`` that answers a question with ``terms``, or None when no column is named
    (and the row holds more than one figure, so guessing would pick an arbitrary one).

    ``closeness(headers)`` (the question's similarity in meaning to each header) breaks a tie between columns the
    question's words name alike ("MMLU (fr)", "MMLU (de)" for "MMLU in German"); with ``measure(headers)`` (the
    similarity of what is asked, its focus words, to each header) it chooses the column when no header shares a
    word with the question, if the two agree. A row's first cell is its key (a rank, an input length), not a
    figure asked of it. A
    ``question`` asking for two things at once ("在常识推理（CR）和阅读理解（RC）上") has each column it names read.
    Cells whose value leads an answer already (``taken``, as "label · column: value") are not read again."""
    row_cells = cells(text, *row)
    head_cells = cells(text, *header) if header is not None else []
    first = next((i for i, (s, e) in enumerate(row_cells) if e > s), None)
    # the row's label is its first cell when that is words ("AIME 2025", "Llama 3.2 1B"), not a bare figure
    label_at = first if first is not None and _HAS_LETTER.search(text[slice(*row_cells[first])]) else None
    candidates = [
        i for i, (s, e) in enumerate(row_cells) if i != label_at and _HAS_NUMBER.search(text[s:e])
    ]
    if label_at is None and first is not None and header is not None and len(candidates) > 1 and candidates[0] == first:
        # a row's first cell is its key even when a bare number (a rank, a batch size, an input length): the
        # figure asked of the row is in another column
        candidates = candidates[1:]
    # a cell holding a figure the question gives is a condition ("on 16 GPUs, input length 2048"), not the answer
    answers = [i for i in candidates if not is_given(text[slice(*row_cells[i])], given)]
    candidates = answers or candidates
    # a cell another figure of the question already answered with is not this one's answer
    fresh = [i for i in candidates if not _answered(clean_cell(text[slice(*row_cells[i])]), taken)]
    candidates = fresh if taken else candidates
    if not candidates:
        return None
    total = sum(t.weight for t in terms) or 1.0
    scores = []
    # a column is named by what the question asks or is about (a focus word, a name, the kind asked), or only by
    # a word of its context
    strong: list[bool] = []
    for i in candidates:
        if i < len(head_cells):
            head = MatchText(demark(text[slice(*head_cells[i])]))
            named = [t for t in terms if heads(head, t)]
            score = sum(t.weight for t in named) / total
            strong.append(any(t.name or t.focus for t in named))
            # a column named by a figure the question gives ("batch=4") is the setting asked about
            score += GIVEN_IN_HEADER * is_given(text[slice(*head_cells[i])], given, any_figure=True)
            # a column measured in the kind asked ("性能提升(倍)" for 快几倍) before any that merely names a model
            score += KIND_IN_HEADER * any(c in head.low for c in kind_cues)
            # ... or written in its unit ("67%" in a row of prices when a percentage is asked)
            score += KIND_IN_HEADER * any(f.unit in kind_units for f in parse_figures(demark(text[slice(*row_cells[i])])))
            strong[-1] = strong[-1] or score >= KIND_IN_HEADER
            scores.append(score)
        else:
            scores.append(0.0)
            strong.append(False)
    totals = [
        k for k, i in enumerate(candidates) if i < len(head_cells) and _TOTAL.match(clean_cell(text[slice(*head_cells[i])]))
    ]
    if len(candidates) > 1:
        headers = [text[slice(*head_cells[i])] if i < len(head_cells) else "" for i in candidates]
        _meaning_decides(scores, strong, headers, closeness, measure)
    best = max(range(len(candidates)), key=lambda k: scores[k])
    if totals and (scores[best] <= 0 or scores.count(scores[best]) > 1):
        best = totals[0]  # no one column is asked for: the whole is answered by the total, not a part
    elif scores[best] <= 0 and len(candidates) > 1:
        return None
    elif scores.count(scores[best]) > 1 and len(candidates) > 1:
        # two columns name the question equally: the first (the leftmost) is the table's main measure
        best = scores.index(scores[best])
    col = candidates[best]
    start, end = row_cells[col]
    label = clean_cell(text[slice(*row_cells[label_at])]) if label_at is not None else ""
    column = clean_cell(text[slice(*head_cells[col])]) if col < len(head_cells) else ""
    value = clean_cell(text[start:end])
    corner = text[slice(*head_cells[0])] if head_cells else ""
    unit = (
        _unit_of(column, last_word=True) or _unit_of(label, last_word=True) or _unit_of(heading) or _corner_unit(corner)
    )
    if unit and not any(p.unit for p in parse_figures(value)):
        value = f"{value} {unit}"  # "13.57" under "显存占用（GPU Mem in GB）" is 13.57 GB
    coordinated = _COORDINATED.search(question) is not None
    more = _also_named(text, row_cells, head_cells, candidates, col, terms, label, any_word=coordinated)
    return Cell(start, end, label, column, value, more)


def _also_named(
    text: str,
    row_cells: list[tuple[int, int]],
    head_cells: list[tuple[int, int]],
    candidates: list[int],
    col: int,
    terms: Sequence[Term],
    label: str,
    *,
    any_word: bool = False,
) -> tuple[tuple[str, str], ...]:
    """(header, value) of the other columns of the row a name of the question names, when the answering column
    is named by another name ("on GSM8K and on MATH"): each asked column is read, not only the first. With
    ``any_word`` (two things asked at once) also a word naming one column only ("CR", "2023")."""
    if col >= len(head_cells):
        return ()
    heads_of = [MatchText(demark(text[s:e])) for s, e in head_cells]
    names = [
        t
        for t in terms
        if (t.name or (any_word and sum(heads(h, t) for h in heads_of) == 1)) and not MatchText(label).has(t)
    ]
    taken = {t.text for t in names if heads(MatchText(demark(text[slice(*head_cells[col])])), t)}
    if not taken:
        return ()
    out = []
    for i in candidates:
        if i == col or i >= len(head_cells):
            continue
        head = MatchText(demark(text[slice(*head_cells[i])]))
        own = {t.text for t in names if heads(head, t)}
        # a column named by a name no answering column has ("Llama 4 Maverick" beside "Llama 4 Scout": "Llama 4"
        # names both, "Maverick" only this one)
        if own - taken:
            out.append((clean_cell(text[slice(*head_cells[i])]), clean_cell(text[slice(*row_cells[i])])))
            taken |= own
    return tuple(out)


# Two things asked at once ("X and Y", "X 和 Y 分别"): each column a word of the question names is read.
_COORDINATED = re.compile(r"\band\b|\bboth\b|\brespectively\b|和|与|及|、|分别|各", re.IGNORECASE)
GIVEN_IN_HEADER = 0.05
KIND_IN_HEADER = 1.0
# A column header this much closer in meaning to the question than every other one names what is asked (the
# small embedder places two short headers of one table close together: a clear lead is a few thousandths).
MEANING_MARGIN = 0.005


def _meaning_decides(
    scores: list[float],
    strong: list[bool],
    headers: list[str],
    closeness: Callable[[list[str]], list[float] | None] | None,
    measure: Callable[[list[str]], list[float] | None] | None,
) -> None:
    """Raise (in ``scores``) the column meaning chooses. Among all, when no header shares a word with the
    question: the one both the question and what it asks (``measure``) find closest (one short header against
    another is a faint signal, so the two must agree). Among the best named alike by a name or a focus word, when
    two or more are: the one closest to the question."""
    top = max(scores)
    if top <= 0:
        pool = list(range(len(scores)))
        judges = [j for j in (closeness, measure) if j is not None]
    elif not any(strong):
        return  # a word of the question naming a column ("2B" for "2B Dense") is what it asks of the row
    else:
        pool = [k for k, s in enumerate(scores) if s >= top - 1e-9 and strong[k]]
        judges = [closeness] if closeness is not None else []
    if len(pool) < 2 or not judges:
        return
    k = _closest([headers[i] for i in pool], judges)
    if k is not None:
        scores[pool[k]] = top + MEANING_MARGIN


def _closest(headers: list[str], judges: Sequence[Callable[[list[str]], list[float] | None]]) -> int | None:
    """The index of the header every judge finds the closest in meaning, by ``MEANING_MARGIN`` on average over
    the judges; None when they disagree or none is clearly closest."""
    texts = [clean_cell(h) for h in headers]
    if not all(texts) or len(set(texts)) < len(texts):
        return None
    picks, margins = set(), []
    for judge in judges:
        sims = judge(texts)
        if not sims:
            return None
        order = sorted(range(len(sims)), key=lambda k: -sims[k])
        picks.add(order[0])
        margins.append(sims[order[0]] - sims[order[1]])
    if len(picks) != 1 or sum(margins) / len(margins) < MEANING_MARGIN:
        return None
    return picks.pop()


def _answered(cell: str, taken: Sequence[str]) -> bool:
    """Whether a cell's text is the value of one of the leads ``taken`` (a unit may follow it there)."""
    values = [t.rsplit(": ", 1)[-1] for t in taken]
    return bool(cell) and any(v == cell or v.startswith(f"{cell} ") for v in values)


def is_given(cell: str, given: Sequence[float], *, any_figure: bool = False) -> bool:
    """Whether ``cell`` is (``any_figure``: holds) a figure equal to one the question gives."""
    if not given:
        return False
    figures = parse_figures(demark(cell))
    if not any_figure and len(figures) != 1:
        return False
    return any(abs(f.value - g) <= 1e-9 * max(1.0, abs(g)) for f in figures for g in given)


_PARENS = re.compile(r"[(（]([^()（）]{1,40})[)）]")


# Units a header may state as its last words without parentheses ("Spec TFLOPS", "Memory GB"): measures only;
# a header ending in "Year" or "GPU" names what its cells are, not a unit to write after them.
_MEASURE_UNITS = frozenset({"flop", "flop_per_s", "byte", "byte_per_s", "token", "param", "gpu_hour"})


def _unit_of(label: str, *, last_word: bool = False) -> str:
    """The unit a column header or heading states in parentheses ("Training Time (GPU hours)" -> "GPU hours") or,
    with ``last_word`` (a column header or a row label), as its last words ("Spec TFLOPS" -> "TFLOPS"), when the
    figure parser reads them as a unit; "" otherwise."""
    label = clean_cell(label)
    for m in _PARENS.finditer(label):
        unit = _parsed_unit(m.group(1).split())
        if unit:
            return unit
    words = _PARENS.sub(" ", label).split()
    return _parsed_unit(words[-3:], measures_only=True) if last_word else ""


def _corner_unit(corner: str) -> str:
    """The unit a table's corner cell gives every body cell: "Accelerator \\ TFLOPS" reads rows as accelerators
    and columns as TFLOPS (the row\\column convention)."""
    if "\\" not in corner:
        return ""
    return _parsed_unit(clean_cell(corner.rsplit("\\", 1)[1]).split())


def _parsed_unit(words: list[str], *, measures_only: bool = False) -> str:
    """The longest tail of ``words`` the figure parser reads as a unit after a number ("" if none)."""
    for i in range(len(words)):
        unit = " ".join(words[i:])
        probe = f"1 {unit}"
        figures = parse_figures(probe)
        if len(figures) == 1 and figures[0].unit and figures[0].end == len(probe):
            if figures[0].unit == "date":
                return ""  # "Arena Elo (Dec 2023)" says when, not what the cells measure
            if measures_only and figures[0].unit not in _MEASURE_UNITS:
                return ""
            return unit
    return ""


def answered_measure(analysis: QuestionAnalysis) -> str:
    """What a question asks, in its own words: the stretch of the question from its first focus word (not a name)
    to its last ("overall score", "每个堆栈容量"), or those words joined when the question writes them apart; ""
    without focus words."""
    words = [t for t in analysis.terms if t.focus and not t.name]
    if not words:
        return ""
    low = analysis.question.lower()
    spots = []
    for t in words:
        found = [(low.find(f), len(f)) for f in (t.text, *t.forms) if f and low.find(f) >= 0]
        if not found:
            return " ".join(t.text for t in words)
        spots.append(min(found, key=lambda x: (x[0], -x[1])))  # the longest form written there ("score", not "scor")
    start = min(i for i, _ in spots)
    end = max(i + n for i, n in spots)
    span = analysis.question[start:end]
    names = [f for t in analysis.terms if t.name for f in (t.text, *t.forms) if f]
    if end - start > MEASURE_CHARS or _CLAUSE_BREAK.search(span) or any(f in span.lower() for f in names):
        return " ".join(t.text for t in words)  # the words are apart: a name or a clause between them
    return span


# A stretch of the question longer than this between its focus words is no one phrase.
MEASURE_CHARS = 40
_CLAUSE_BREAK = re.compile(r"[,，;；、?？]")
