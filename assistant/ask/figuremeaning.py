"""Which figure of a sentence answers, by the meaning of each figure's own words.

A sentence often holds several figures of the asked kind: "DeepSeek 新用户的次日留存率为41.5%，7日留存率为27.8%，30日留存率为
16.2%" for "what share of new users were still coming back a week later", or "月活跃用户中曾经付费的比例为3.9%，而在过去
30天内付费的比例为1.6%" for "ever paid". The question's words often name the concept in other words or the other
language than the sentence, so word overlap cannot tell the figures apart; the multilingual embedder can, at the level
of each figure's own words (``assistant.ask.figureslots``).

Each figure's own words, with its document's title, are compared with the question stripped of its names (the names
say which sentence, not which figure of it: a figure whose own words happen to repeat the name must not win for that
alone). The closeness is taken relative to the closest figure of the same sentence and added to the figure's score by
words (normalised to the sentence's best), so meaning decides where words barely separate the figures and a figure
the words clearly name keeps its place. Only the best few candidates are read, in one batch of embeddings (cached
by text), to keep an answer's latency low.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.ask.candidate import MIN_NAMES, Scored
from assistant.ask.figureslots import slots
from assistant.ask.terms import Term
from assistant.models import Passage
from tools.figures import Figure, parse_figures

# Candidates whose figures are compared by meaning (each costs one embedding per figure, cached by text).
FIGURE_SHORTLIST = 6
# A figure this far below its sentence's closest one in cosine gets no credit for meaning ...
FIGURE_SPREAD = 0.05
# ... and the closest gets this much beside its score by words (1.0 for the sentence's best by words).
FIGURE_WEIGHT = 0.5


_WORD = re.compile(r"[A-Za-z\u4e00-\u9fff]{2}")


@dataclass(frozen=True, slots=True)
class FigureText:
    """One figure of a candidate with its score by words and the text compared with the question."""

    cand: Scored
    figure: Figure
    words: float
    text: str


def unnamed(question: str, names: Sequence[Term]) -> str:
    """``question`` without the names it is about (each name's text and forms), spaces tidied."""
    out = question
    for t in names:
        for form in sorted({t.text, *(t.forms or ())}, key=len, reverse=True):
            if form and len(form) > 1:
                out = re.sub(re.escape(form), " ", out, flags=re.IGNORECASE)
    return " ".join(out.split()) or question


def figure_texts(cand: Scored, title: str) -> list[FigureText]:
    """The figures of ``cand`` scored by words (``cand.hits``) in the unit of its figure, each with its own words and
    ``title``. Only those figures border each other's words: a figure of another unit is part of a figure's words
    ("7日留存率为27.8%", "过去30天内付费的比例为1.6%"), not an answer beside it."""
    said = cand.said
    unit = cand.figure.unit if cand.figure is not None else None
    # (a bare "27B" given the unit of the figure before it, in "51.8% … against Gemma 2 27B", states none itself)
    written = {f.start: f.unit for f in parse_figures(said)}
    rivals = sorted(
        {f.start: (words, f) for words, f in cand.hits if f.unit == unit == written.get(f.start)}.values(),
        key=lambda h: h[1].start,
    )
    if not said or len(rivals) < 2 or cand.figure not in [f for _, f in rivals]:
        return []
    own = slots(said, [f for _, f in rivals])
    if any(not _WORD.search(slot.replace(f.text, " ")) for (_, f), slot in zip(rivals, own, strict=True)):
        return []  # a figure with no words of its own ("…, 54.0% against …"): meaning has nothing to compare
    out = []
    for (words, f), slot in zip(rivals, own, strict=True):
        body = " ".join(slot.split())
        out.append(FigureText(cand, f, words, f"{title}\n{body}" if title else body))
    return out


def choose_by_meaning(
    cands: Sequence[Scored],
    passages: Sequence[Passage],
    similarity: Callable[[list[str]], list[float] | None],
) -> None:
    """Set, in place, the figure of each of the best sentences holding every name and two or more figures of the asked
    kind to the one whose words and meaning together answer best (``similarity``: the question's, without its
    names, to each text)."""
    items: list[FigureText] = []
    taken = 0
    for cand in cands:
        if taken >= FIGURE_SHORTLIST:
            break
        if cand.kind == "row" or cand.names < MIN_NAMES or cand.figure is None or cand.borrowed:
            continue
        found = figure_texts(cand, passages[cand.passage].document.title)
        if not found:
            continue
        taken += 1
        items.extend(found)
    if not items:
        return
    sims = similarity([it.text for it in items])
    if not sims or len(sims) != len(items):
        return
    groups: dict[int, list[tuple[FigureText, float]]] = {}
    for it, sim in zip(items, sims, strict=True):
        groups.setdefault(id(it.cand), []).append((it, sim))
    for group in groups.values():
        cand = group[0][0].cand
        top = max(sim for _, sim in group)
        best_words = max(it.words for it, _ in group) or 1.0
        best, _ = max(
            group, key=lambda g: g[0].words / best_words + FIGURE_WEIGHT * closeness(g[1], top)
        )
        cand.figure = best.figure


def closeness(sim: float, top: float) -> float:
    """How close ``sim`` comes to the closest ``top``: 1 at it, 0 ``FIGURE_SPREAD`` or more below."""
    return min(1.0, max(0.0, 1.0 - (top - sim) / FIGURE_SPREAD))
