"""Reading one Markdown table row as an answer: which cell answers the question, and how to say it.

A row is a candidate like a sentence, but its figure sits at the crossing of the row and a column: in
"| | AIME 2025 | 76.9 | 74.6 | 81.5 |" under "| | Task | MiniMax-M1-80K | MiniMax-M1-40K | Qwen3 |" the question
"What did MiniMax-M1-80K score on AIME 2025?" is answered by the cell under the column whose header carries the
question's words. The answer's lead then names the row and the column: "AIME 2025 · MiniMax-M1-80K: 76.9".
Nothing here knows any table: the column is the one whose header shares most of the question's weighted terms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.ask.analyze import QuestionAnalysis, match_kind
from assistant.ask.matching import MatchText
from assistant.ask.spans import cells, demark
from assistant.ask.terms import Term, normalize
from tools.figures import Figure, parse_figures

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
) -> Cell | None:
    """The cell of ``text[row]`` that answers a question with ``terms``, or None when no column is named
    (and the row holds more than one figure, so guessing would pick an arbitrary one)."""
    row_cells = cells(text, *row)
    head_cells = cells(text, *header) if header is not None else []
    first = next((i for i, (s, e) in enumerate(row_cells) if e > s), None)
    # the row's label is its first cell when that is words ("AIME 2025", "Llama 3.2 1B"), not a bare figure
    label_at = first if first is not None and _HAS_LETTER.search(text[slice(*row_cells[first])]) else None
    candidates = [
        i for i, (s, e) in enumerate(row_cells) if i != label_at and _HAS_NUMBER.search(text[s:e])
    ]
    # a cell holding a figure the question gives is a condition ("on 16 GPUs, input length 2048"), not the answer
    answers = [i for i in candidates if not _is_given(text[slice(*row_cells[i])], given)]
    candidates = answers or candidates
    if not candidates:
        return None
    total = sum(t.weight for t in terms) or 1.0
    scores = []
    for i in candidates:
        if i < len(head_cells):
            head = MatchText(demark(text[slice(*head_cells[i])]))
            score = sum(t.weight for t in terms if _heads(head, t)) / total
            # a column named by a figure the question gives ("batch=4") is the setting asked about
            score += GIVEN_IN_HEADER * _is_given(text[slice(*head_cells[i])], given, any_figure=True)
            # a column measured in the kind asked ("性能提升(倍)" for 快几倍) before any that merely names a model
            score += KIND_IN_HEADER * any(c in head.low for c in kind_cues)
            scores.append(score)
        else:
            scores.append(0.0)
    totals = [
        k for k, i in enumerate(candidates) if i < len(head_cells) and _TOTAL.match(_clean(text[slice(*head_cells[i])]))
    ]
    if closeness is not None and len(candidates) > 1 and max(scores) <= 0:
        # no header shares a word with the question (often: another language): the column closest in meaning
        _by_meaning(scores, [text[slice(*head_cells[i])] if i < len(head_cells) else "" for i in candidates], closeness)
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
    label = _clean(text[slice(*row_cells[label_at])]) if label_at is not None else ""
    column = _clean(text[slice(*head_cells[col])]) if col < len(head_cells) else ""
    value = _clean(text[start:end])
    corner = text[slice(*head_cells[0])] if head_cells else ""
    unit = (
        _unit_of(column, last_word=True) or _unit_of(label, last_word=True) or _unit_of(heading) or _corner_unit(corner)
    )
    if unit and not any(p.unit for p in parse_figures(value)):
        value = f"{value} {unit}"  # "13.57" under "显存占用（GPU Mem in GB）" is 13.57 GB
    more = _also_named(text, row_cells, head_cells, candidates, col, terms, label)
    return Cell(start, end, label, column, value, more)


def _also_named(
    text: str,
    row_cells: list[tuple[int, int]],
    head_cells: list[tuple[int, int]],
    candidates: list[int],
    col: int,
    terms: Sequence[Term],
    label: str,
) -> tuple[tuple[str, str], ...]:
    """(header, value) of the other columns of the row a name of the question names, when the answering column
    is named by another name ("on GSM8K and on MATH"): each asked column is read, not only the first."""
    if col >= len(head_cells):
        return ()
    names = [t for t in terms if t.name and not MatchText(label).has(t)]
    taken = {t.text for t in names if _heads(MatchText(demark(text[slice(*head_cells[col])])), t)}
    if not taken:
        return ()
    out = []
    for i in candidates:
        if i == col or i >= len(head_cells):
            continue
        head = MatchText(demark(text[slice(*head_cells[i])]))
        own = {t.text for t in names if _heads(head, t)}
        if own and not own & taken:
            out.append((_clean(text[slice(*head_cells[i])]), _clean(text[slice(*row_cells[i])])))
            taken |= own
    return tuple(out)


# Kinds a benchmark table's bare cells are: a score asked as a rate or share ("pass rate", "胜率", "准确率").
SCORE_KINDS = frozenset({"percent", "ratio"})
# How strongly the crossing of a named row and a named column answers (as a bare number cued by a focus word).
CROSSING_HIT = 0.8
# How much a row whose label and one column header the question names ranks above rows merely sharing its words.
CROSSING_BONUS = 0.2


def column_named(header: str, term: Term) -> bool:
    """Whether one cell of the header row ``header`` is named by the name ``term`` by its tokens."""
    if not term.name or "|" not in header:
        return False
    forms = (term.label or term.text, *term.forms)
    return any(_covers(have, forms) for have in _header_tokens(header))


@functools.lru_cache(maxsize=1024)
def _header_tokens(header: str) -> tuple[frozenset[str], ...]:
    return tuple(name_tokens(header[s:e]) for s, e in cells(header, 0, len(header)))


def crossing(
    text: str,
    row: tuple[int, int],
    header: tuple[int, int] | None,
    terms: Sequence[Term],
    *,
    label_focus: bool = False,
    column_focus: bool = False,
    column_any: bool = False,
) -> Cell | None:
    """The cell of ``text[row]`` where a row whose label one of ``terms`` names crosses a column whose header
    another names; None when the row or the column is not named. Both are named by names ("GSM8K" x
    "Zorblax-7B"); with ``label_focus`` a row also by a focus word ("层数" for 有多少层), with ``column_focus``
    a column also by a focus word ("Approx. memory"), with ``column_any`` by any word; one side always by a name."""
    if header is None:
        return None
    # the row by what the question is about (a name) or what it asks (a focus word), not by any word it shares
    row_terms = [t for t in terms if t.name or (t.focus and label_focus)]
    first = next(((s, e) for s, e in cells(text, *row) if e > s), None)
    if first is None or not _named(_clean(text[first[0] : first[1]]), row_terms):
        return None  # checked first: most rows are named by nothing, and reading their cells costs more
    cell = answering_cell(text, row, header, terms)
    if cell is None or not cell.label or not cell.column:
        return None
    column = MatchText(cell.column)
    in_column = {t.text for t in terms if (t.name or column_any or (column_focus and t.focus)) and _heads(column, t)}
    in_label = _named(cell.label, row_terms)
    if not in_column or not in_label - in_column:
        return None
    if not any(t.name for t in terms if t.text in in_label | in_column):
        return None  # a row and a column named by common words only: no thing the question is about
    return cell


def clear_crossings(
    text: str,
    rows: Sequence[tuple[int, int, tuple[int, int] | None]],
    terms: Sequence[Term],
    *,
    column_any: bool = False,
    given: Sequence[float] = (),
) -> set[tuple[int, int]]:
    """The (start, end) of the rows among ``rows`` (start, end, header) that are crossings whose label the
    question's words cover better than any other crossing row's of their table: two rows "Codeforces
    (Percentile)" and "Codeforces (Rating)" both half named leave the choice to the question's other words.
    Of rows named alike, the one stating a condition the question gives ("4-bit" for "in 4-bit") is taken."""
    tables: dict[tuple[int, int], list[tuple[float, tuple[int, int]]]] = {}
    asked: frozenset[str] | None = None  # the question's tokens, read once a crossing is found
    keys = tuple((t.text, t.label, t.forms, t.name) for t in terms if t.name or t.focus or column_any)
    headed: dict[tuple[int, int], bool] = {}
    for start, end, header in rows:
        if header is None:
            continue
        if header not in headed:  # a table none of whose columns the question names has no crossing
            headed[header] = _header_named(text[header[0] : header[1]], keys)
        if not headed[header]:
            continue
        cell = crossing(
            text, (start, end), header, terms, label_focus=True, column_focus=True, column_any=column_any
        )
        if cell is not None:
            if asked is None:
                asked = frozenset(tok for t in terms for f in (t.label or t.text, *t.forms) for tok in _label_tokens(f))
            label = _label_tokens(cell.label)
            covered = len(label & asked) / len(label) if label else 0.0
            tables.setdefault(header, []).append((covered, (start, end)))
    out: set[tuple[int, int]] = set()
    for found in tables.values():
        top = max(w for w, _ in found)
        best = [span for w, span in found if w >= top - 1e-9]
        if len(best) > 1:
            stated = {r: _conditions(text, r, terms, given) for r in best}
            most = max(stated.values())
            best = [r for r in best if stated[r] == most]
        if len(best) == 1:  # the label the question's words cover most ("Llama 2 70B", not "Llama 2 7B")
            out.add(best[0])
    return out


def _conditions(text: str, row: tuple[int, int], terms: Sequence[Term], given: Sequence[float]) -> int:
    """How many cells after a row's label state a condition of the question: a figure it gives, or a word of it
    ("4-bit" for "in 4-bit")."""
    words = [t for t in terms if not t.name]
    n = 0
    for s, e in cells(text, *row)[1:]:
        cell = MatchText(demark(text[s:e]))
        n += _is_given(text[s:e], given) or any(cell.has(t) for t in words)
    return n


@functools.lru_cache(maxsize=2048)
def _header_named(header: str, keys: tuple[tuple[str, str, tuple[str, ...], bool], ...]) -> bool:
    """Whether a column of the header row ``header`` (past the first) is named by one of the terms ``keys``
    (text, label, forms, name) describe. (Remembered: the same headers come back with every part of a question.)"""
    terms = [Term(text=t, label=label, forms=forms, weight=1.0, name=name) for t, label, forms, name in keys]
    heads = [MatchText(demark(header[s:e])) for s, e in cells(header, 0, len(header))[1:]]
    return any(_heads(h, t) for h in heads for t in terms)


def _label_tokens(text: str) -> frozenset[str]:
    """``name_tokens`` with Chinese words split into characters ("层数" -> 层, 数), for how much of a label the
    question's words cover."""
    return frozenset(c for tok in name_tokens(text) for c in (tok if _CJK_RUN.match(tok) else (tok,)))


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")


def _named(label: str, terms: Sequence[Term]) -> set[str]:
    """The terms naming a row's label (as written, or a name by its tokens)."""
    low = MatchText(label)
    return {t.text for t in terms if low.has(t) or names_by_tokens(label, t)}


def crossing_hit(
    text: str, row: tuple[int, int], header: tuple[int, int] | None, analysis: QuestionAnalysis
) -> tuple[float, Figure | None]:
    """(``CROSSING_HIT``, the figure) when the cell at the crossing of a named row and a named column answers a
    score asked as a rate or share: a bare number, in a table whose row and column name no other measure."""
    asked = analysis.asked
    if asked is None or asked.name not in SCORE_KINDS:
        return 0.0, None
    cell = crossing(text, row, header, analysis.terms)
    if cell is None:
        return 0.0, None
    figures = parse_figures(demark(text[cell.start : cell.end]))
    if len(figures) != 1 or figures[0].unit is not None or figures[0].value == 0:
        return 0.0, None
    if any((k := match_kind(part.lower())) is not None and k.name != asked.name for part in (cell.label, cell.column)):
        return 0.0, None  # "Training tokens" or "Memory (GB)": another measure than the one asked
    plain = demark(text[row[0] : row[1]])
    value = figures[0].value
    return next(((CROSSING_HIT, f) for f in parse_figures(plain) if f.value == value and f.unit is None), (0.0, None))


GIVEN_IN_HEADER = 0.05
KIND_IN_HEADER = 1.0
# A column header this much closer in meaning to the question than every other one names what is asked.
MEANING_MARGIN = 0.02


def _by_meaning(
    scores: list[float], headers: list[str], closeness: Callable[[list[str]], list[float] | None]
) -> None:
    """Mark (in ``scores``) the one column whose header is clearly the closest in meaning to the question."""
    texts = [_clean(h) for h in headers]
    if not all(texts):
        return
    sims = closeness(texts)
    if not sims:
        return
    order = sorted(range(len(sims)), key=lambda k: -sims[k])
    if sims[order[0]] - sims[order[1]] >= MEANING_MARGIN:
        scores[order[0]] = MEANING_MARGIN


def _is_given(cell: str, given: Sequence[float], *, any_figure: bool = False) -> bool:
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
    label = _clean(label)
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
    return _parsed_unit(_clean(corner.rsplit("\\", 1)[1]).split())


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


# A name's tokens: runs of letters, of digits (with a decimal point: "3.1"), or of CJK characters.
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=8192)
def name_tokens(text: str) -> frozenset[str]:
    """The tokens of a name or a header cell, split at spaces, hyphens and letter/digit boundaries:
    "InternLM2-Chat-20B" -> {internlm, 2, chat, 20, b}. (Remembered: the same cells and names recur in every
    ask.)"""
    return frozenset(_TOKEN.findall(normalize(demark(text))))


def names_by_tokens(cell: str, term: Term) -> bool:
    """Whether the name ``term`` names ``cell`` whatever the order of its parts: every token of one of its forms
    is a token of the cell ("InternLM2 20B chat" names "InternLM2-Chat-20B", not "InternLM2-Chat-7B")."""
    if not term.name:
        return False
    return _covers(name_tokens(cell), (term.label or term.text, *term.forms))


def _covers(have: frozenset[str], forms: Sequence[str]) -> bool:
    return any((want := name_tokens(form)) and want <= have for form in forms)


def _heads(head: MatchText, term: Term) -> bool:
    """Whether ``term`` names a column: as a word of its own, not the tail of a compound ("training" does not
    name "Pre-Training", "训练" does not name "预训练"); a name also by its tokens in any order."""
    if not head.has(term):
        return names_by_tokens(head.low, term)
    low = head.low
    # the plainest forms only: a glossary group may hold "train" and "pre-train", and only the question's
    # general word is asked, not the compound naming one stage
    plain = [f for f in term.forms if not any(g != f and g in f for g in term.forms)]
    for form in plain:
        i = low.find(form)
        while i >= 0:
            before = low[i - 1] if i > 0 else " "
            if not (before.isalnum() or before == "-"):
                return True
            i = low.find(form, i + 1)
    return term.name  # a name matched loosely (spacing, hyphens) still names its column


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _clean(cell: str) -> str:
    """A cell as plain words: no emphasis marks, no escapes, HTML line breaks as spaces."""
    return " ".join(_LINE_BREAK.sub(" ", demark(cell)).replace("\\", "").split())
