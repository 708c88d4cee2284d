"""A part of a two-figure question answered by the sentence or row that answers another part.

"比 BF16 基线快了几倍？" after "每秒能解码多少个 token？" is often answered in the very row that gives the first
figure ("| 1B SpinQuant | 50.2 (2.6x) | ..."), and "最多降了多少？" in the sentence that gives the average ("平均降价
20%，最高降幅达 55%"). A later part read on its own keeps too few words to find that line; the line found for
the other part is read again for a second figure of the kind this part asks.

Two figures asked together are most often written together: a part that still has nothing usable takes its own
best candidate from a passage that answers another part, when that candidate holds every name and a figure and is
barred only by the word-share thresholds ("the Spectrum-X network sustains 95% of theoretical throughput", for
"能跑到理论数据吞吐的多少" after the other part found the same paragraph). The other part's answer is the evidence
that the passage speaks of what is asked; the thresholds alone are not (see ``companions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from assistant.ask.analyze import QuestionAnalysis
from assistant.ask.candidate import CROSS_CLOSENESS, CUED_KIND, Scored, failing_rules
from assistant.ask.spans import demark
from tools.figures import Figure, parse_figures

# How many of another part's best candidates are read again for a part that found nothing of its own.
REREAD = 2
# The gate's rules that judge a candidate by the share of the question's words around it: another part's answer
# in the same passage stands in for them. Every other rule still bars: a missing name, another year, a heading, a
# bare figure, no figure, and above all no figure of the kind the part asks ("训练了多长时间" is not answered by
# "| 预训练上下文长度 | 4096 |" beside the GPU count).
WORDING_RULES = frozenset({"focus_far", "thin_content"})


def fill_parts(found: Sequence[tuple[QuestionAnalysis, list[Scored]]]) -> list[tuple[QuestionAnalysis, list[Scored]]]:
    """``found`` (each part with its usable candidates, possibly none) with the empty parts that ask a kind of
    figure filled from another part's best candidates: a copy holding a figure of that kind that is not the
    figure the other part answers with, nor one the question gives."""
    out = [(part, list(usable)) for part, usable in found]
    for i, (part, usable) in enumerate(out):
        if usable or part.asked is None:
            continue
        for j, (_, others) in enumerate(out):
            if j == i or not others or getattr(others[0], "borrowed", False):
                continue
            filled = [c for c in (_reread(c, part) for c in others[:REREAD]) if c is not None]
            if filled:
                out[i] = (part, filled)
                break
    return out


def _reread(cand: Scored, part: QuestionAnalysis) -> Scored | None:
    assert part.asked is not None
    given = {f.value for f in part.figures}
    taken = cand.figure
    unit = focus_unit(part.focus)
    for f in parse_figures(demark(cand.text)):
        if f.unit not in part.asked.units or f.value in given or _same(f, taken):
            continue
        if unit is not None and f.unit != unit:
            continue  # "how many days" is not answered by "35 seconds", though both are durations
        return replace(cand, figure=f, kind_hit=1.0, borrowed=True)
    return None


def focus_unit(focus: str) -> str | None:
    """The unit the phrase naming what is asked is itself ("days" -> day, "倍" -> times), if it is one."""
    found = parse_figures(f"1 {focus.strip()}") if focus.strip() else []
    return found[0].unit if len(found) == 1 and found[0].text.strip() != "1" else None


def _same(f: Figure, other: Figure | None) -> bool:
    return other is not None and f.text == other.text and f.value == other.value


def companions(
    found: Sequence[tuple[QuestionAnalysis, list[Scored]]], ranked: Sequence[Sequence[Scored]]
) -> list[tuple[QuestionAnalysis, list[Scored]]]:
    """``found`` with each part that has no usable candidate given its best ranked one (``ranked[i]``, best first)
    that sits in a passage answering another part (with an answer among the closest to that part in meaning), is
    itself among the closest to its part and is barred only
    by ``WORDING_RULES``; a part left with none stays empty (the question is then not answered). A part naming a
    unit ("for how many days") takes no figure in another unit ("35 seconds")."""
    out = [(part, list(usable)) for part, usable in found]
    for i, (part, usable) in enumerate(out):
        if usable:
            continue
        answering = {u[0].passage for j, (_, u) in enumerate(found) if j != i and u and _close(u[0])}
        unit = focus_unit(part.focus)
        for cand in ranked[i]:
            if cand.passage not in answering or not _close(cand):
                continue
            if unit is not None and cand.figure is not None and cand.figure.unit not in (None, unit):
                continue  # (a bare number under a header naming the unit may answer)
            rules = failing_rules(cand, part.asked, wants_figure=True)
            if rules and set(rules) <= WORDING_RULES:
                out[i] = (part, [cand])
                break
    return out


def _close(cand: Scored) -> bool:
    """Among the closest candidates to its part in meaning (an answer far from the closest says little of the
    passage)."""
    return cand.sim is not None and cand.closeness >= CROSS_CLOSENESS


# Two figures asked together are most often written together: among each part's near-best candidates (this far
# below its best), a choice that answers two parts from one sentence gains this much per part so answered.
TOGETHER_MARGIN = 0.15
TOGETHER_BONUS = 0.15
# How many of each part's candidates are weighed together.
TOGETHER_TOP = 4


def together(found: Sequence[tuple[QuestionAnalysis, list[Scored]]]) -> list[tuple[QuestionAnalysis, list[Scored]]]:
    """``found`` with each part's near-best candidate that shares its sentence with another part's moved first, when that makes the better answer as a whole: the sum of the parts' scores, with ``TOGETHER_BONUS`` for
    each part answered by a line answering another ("归母净利润 15.83 亿元，同比增长 56.83%" for "净利润是多少？同比增长
    了多少？", not the revenue's growth in the sentence before)."""
    out = [(part, list(usable)) for part, usable in found]
    if len(out) < 2 or any(not usable for _, usable in out):
        return out
    near = [
        [c for c in usable[:TOGETHER_TOP] if c.score >= usable[0].score - TOGETHER_MARGIN] for _, usable in out
    ]

    def value(choice: Sequence[Scored]) -> float:
        # (a table row is read by column for each part: ``tablerows.same_table_part`` weighs rows)
        # only a sentence giving each part a figure of the kind that part asks answers both
        spots = [(c.passage, c.start) if _gives(c, out[k][0]) else (-1, -1 - k) for k, c in enumerate(choice)]
        return sum(c.score for c in choice) + TOGETHER_BONUS * sum(spots.count(s) > 1 for s in spots)

    best = [usable[0] for _, usable in out]
    top = value(best)
    for k, options in enumerate(near):
        for c in options[1:]:
            # this part's other candidate, with every other part keeping its best or taking its own candidate on
            # the same line
            choice = [
                c if j == k else next((o for o in near[j] if (o.passage, o.start) == (c.passage, c.start)), best[j])
                for j in range(len(out))
            ]
            if value(choice) > top + 1e-9:
                best, top = choice, value(choice)
    for j, (part, usable) in enumerate(out):
        if best[j] is not usable[0]:
            out[j] = (part, [best[j], *(u for u in usable if u is not best[j])])
    return out


def _gives(cand: Scored, part: QuestionAnalysis) -> bool:
    """Whether ``cand`` is a sentence holding a figure of the kind ``part`` asks (its unit, or its cue word by it)."""
    return cand.kind == "sentence" and part.asked is not None and cand.figure is not None and cand.kind_hit >= CUED_KIND
