"""Figures of one claim sentence read against the source sentence that confirms one of them.

A draft often copies a source sentence or table row with several figures and changes one ("raised GSM8K from
70.2% to 87.7%" against "from 70.2% to 77.7%"; "4560 亿 total, 359 亿 activated" against "456 billion total, 45.9
billion activated"). Once one figure of the sentence is confirmed by a source sentence, that sentence is what the
draft restates, so its other figures of the same kind pair with the source's figures in the same order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from assistant.check.claims import DraftClaim
from assistant.check.compare import compare_values, units_compatible
from assistant.check.context import periods_conflict
from assistant.check.evidence import EvidenceFinder, SourceFigure
from assistant.check.figures import read_figures
from assistant.check.judge import ALIGN_COPY, Candidate, is_contradiction, is_support
from assistant.check.match import QuantityMatch, points_for_percent, unit_fits

_ALIGN_ANCHOR = 0.35  # a weak support counts as the restated sentence from this alignment on


def pair_siblings(
    group: Sequence[DraftClaim], judged: dict[int, list[Candidate]], finder: EvidenceFinder
) -> None:
    """Add, for each undecided claim of one sentence, the source figure at its place in the source sentence
    that confirms a sibling claim (in place, into ``judged`` keyed by figure start)."""
    ordered = sorted(group, key=lambda c: c.ctx.figure.start)
    for c in ordered:
        own = judged[c.ctx.figure.start]
        if c.ctx.figure.unit is None or not c.subjects:
            continue
        if any(is_support(c, x) or is_contradiction(c, x) for x in own):
            continue
        kin = [x for x in ordered if units_compatible(x.ctx.figure.unit, c.ctx.figure.unit)]
        j = kin.index(c)
        for i, sib in enumerate(kin):
            if sib is c or {e.key for e in sib.subjects} != {e.key for e in c.subjects}:
                continue  # figures of different subjects are not one restated sentence
            anchors = [x for x in judged[sib.ctx.figure.start] if _confirms(sib, x)]
            found = next((p for a in anchors if (p := _paired(c, a, j - i, finder)) is not None), None)
            if found is not None:
                own.insert(0, found)
                break
        else:
            if len(kin) == 1 and c.ctx.figure.unit != "date":
                _pair_alone(c, ordered, judged, finder)


def _pair_alone(
    claim: DraftClaim, ordered: Sequence[DraftClaim], judged: dict[int, list[Candidate]], finder: EvidenceFinder
) -> None:
    """The one figure of its kind in the claim sentence, against the one figure of that kind in the source
    sentence confirming a sibling of another kind ("net loss narrowed to 4.307 billion yuan ..., a reduction of
    37.3%" against "净亏损为43.07亿元……收窄33.7%"): across languages the order of figures changes, their kinds
    do not."""
    keys = {e.key for e in claim.subjects}
    for sib in ordered:
        if sib is claim or {e.key for e in sib.subjects} != keys:
            continue
        for anchor in (x for x in judged[sib.ctx.figure.start] if _confirms(sib, x)):
            found = _paired(claim, anchor, 0, finder, alone=True)
            if found is not None:
                judged[claim.ctx.figure.start].insert(0, found)
                return


def _confirms(claim: DraftClaim, cand: Candidate) -> bool:
    """Support from a sentence the claim's sentence restates: strong, aligned with it, or naming its subject."""
    if not is_support(claim, cand):
        return False
    return (
        cand.match.strength == "strong"
        or cand.match.align >= _ALIGN_ANCHOR
        or cand.match.entity_level in {"clause", "sentence", "near"}
    )


def _paired(
    claim: DraftClaim, anchor: Candidate, offset: int, finder: EvidenceFinder, *, alone: bool = False
) -> Candidate | None:
    """The figure ``offset`` places from the anchor in the anchor's source sentence, as a candidate, when it is
    of the claim's kind and nothing in that sentence already states the claim's value. ``alone``: the anchor is
    of another kind, and the sentence's one figure of the claim's kind is taken (a source table row is no
    sentence: its cells are told apart by their headers)."""
    src = anchor.source
    change = bool(claim.ctx.directions)
    same = [
        sf
        for sf in finder.figures(src.passage, src.rank)
        if sf.ctx.sentence == src.ctx.sentence and unit_fits(claim.ctx.figure.unit, sf.ctx, change=change)
    ]
    same = list({sf.ctx.figure.start: sf for sf in same}.values())
    match = QuantityMatch(
        "strong", anchor.match.entity_level, ALIGN_COPY, "the figure at its place in the source"
    )
    if (twin := _points_twin(claim, same)) is not None:
        if not twin.ctx.periods:  # the change in a row's "Change" column is of the period the anchor's cell is
            twin = SourceFigure(dataclasses.replace(twin.ctx, periods=src.ctx.periods), twin.passage, twin.rank)
        return Candidate(twin, match, "mismatch")
    same = [sf for sf in same if units_compatible(claim.ctx.figure.unit, sf.ctx.figure.unit) or sf.ctx.implied_unit]
    same.sort(key=lambda sf: sf.ctx.figure.start)
    starts = [sf.ctx.figure.start for sf in same]
    if alone:
        if src.ctx.header:
            same = _table_cells(claim, src, finder)
        elif same and same[0].ctx.header:
            return None
        if len(same) != 1:
            return None
        k = 0
    elif src.ctx.figure.start not in starts:
        return None
    else:
        k = starts.index(src.ctx.figure.start) + offset
    if not 0 <= k < len(same):
        return None
    target: SourceFigure = same[k]
    if any(compare_values(claim.ctx.figure, sf.ctx.figure) == "match" for sf in same):
        return None  # the sentence states the claim's value somewhere: not a changed figure
    ours, theirs = claim.ctx.qualifiers, target.ctx.qualifiers
    if ours and theirs and not ours & theirs:
        return None  # "activated" never pairs with "total"
    if target.ctx.header_dated and periods_conflict(claim.ctx.periods, target.ctx.periods):
        return None  # the row's 2023 cell is not the 2024 figure the claim states beside a confirmed one
    return Candidate(target, match, compare_values(claim.ctx.figure, target.ctx.figure))


def _table_cells(claim: DraftClaim, anchor: SourceFigure, finder: EvidenceFinder) -> list[SourceFigure]:
    """The cells of the claim's unit in the table whose cell confirms a sibling (a model card's "| 层数 | 64 |"
    beside "| 上下文长度 | 131,072 tokens |"): one such cell is the table's only figure of that kind."""
    cells = [
        sf
        for sf in finder.figures(anchor.passage, anchor.rank)
        if sf.ctx.header and units_compatible(claim.ctx.figure.unit, sf.ctx.figure.unit)
    ]
    return list({sf.ctx.figure.start: sf for sf in cells}.values())


def _points_twin(claim: DraftClaim, same: Sequence[SourceFigure]) -> SourceFigure | None:
    """In the sentence or row that confirms a sibling, the claim's change written in the other unit ("上升了
    7.3%" beside "+7.3 pts"): the very figure the claim restates, with percent and points confused."""
    return next((sf for sf in same if points_for_percent(claim.ctx.figure, sf.ctx.figure) == "mismatch"), None)


def drop_claimed(group: Sequence[DraftClaim], judged: dict[int, list[Candidate]]) -> None:
    """A source figure that confirms one figure of the sentence is that figure's value: it does not contradict
    the sentence's other figures ("DBRX Instruct scored 73.7 on MMLU, above GPT-3.5's 70.0" against the DBRX
    Instruct row's 73.7), unless its own row or sentence names this figure's subject too (a draft restating one
    date twice, "2015年5月11日 ... (2020-06-11)", against "2020年6月11日"). In place, into ``judged``."""
    claimed: dict[tuple[str, int], DraftClaim] = {}
    for c in group:
        for x in judged[c.ctx.figure.start]:
            if is_support(c, x):
                claimed.setdefault(_key(x), c)
    if not claimed:
        return
    for c in group:
        start = c.ctx.figure.start
        judged[start] = [
            x
            for x in judged[start]
            if x.outcome != "mismatch"
            or claimed.get(_key(x), c) is c
            or (x.match.entity_level in {"clause", "sentence"} and _same_kind(claimed[_key(x)], c))
        ]


def _same_kind(a: DraftClaim, b: DraftClaim) -> bool:
    """Two figures of one sentence with one unit: one may restate the other ("2015年5月11日 ... (2020-06-11)");
    a bare gap between two models' scores is not either model's score."""
    unit = a.ctx.figure.unit
    return unit is not None and unit == b.ctx.figure.unit


def _key(cand: Candidate) -> tuple[str, int]:
    return cand.source.passage.document.id, cand.source.ctx.figure.start


def prefer_anchor(group: Sequence[DraftClaim], judged: dict[int, list[Candidate]]) -> None:
    """A figure's candidates from the source sentence that confirms a sibling figure come first: that sentence
    is what the draft restates ("从 54.9% 提升到了 71.5%" against "从54.9%提升至61.5%", not another version's
    "从 61.5% 提升至 62.8%"). In place, into ``judged``."""
    for c in group:
        anchors = {
            (x.source.passage.document.id, x.source.ctx.sentence)
            for sib in group
            if sib is not c and {e.key for e in sib.subjects} == {e.key for e in c.subjects}
            for x in judged[sib.ctx.figure.start]
            if _confirms(sib, x)
        }
        if anchors:
            judged[c.ctx.figure.start].sort(
                key=lambda x: (x.source.passage.document.id, x.source.ctx.sentence) not in anchors
            )


def date_of_its_figures(group: Sequence[DraftClaim], judged: dict[int, list[Candidate]]) -> None:
    """A date in a sentence with measured figures dates them ("grew 13% in the quarter ended December 31, 2024";
    "2025 年 9 月，B200 的按需价格为 8.91 美元"): only a document that states one of those figures' quantities, or
    a source sentence that states one of their values under another date, can say the date is wrong; another
    document's date is of another event. In place, into ``judged``."""
    for c in group:
        if c.ctx.figure.unit != "date":
            continue
        dated = [s for s in group if s is not c and s.ctx.figure.unit not in {None, "date"}]
        if not dated:
            continue
        documents = {
            x.source.passage.document.id
            for s in dated
            for x in judged[s.ctx.figure.start]
            if is_support(s, x) or is_contradiction(s, x)
        }
        start = c.ctx.figure.start
        judged[start] = [
            x
            for x in judged[start]
            if x.outcome != "mismatch"
            or x.source.passage.document.id in documents
            or _states_a_value(x.source.ctx.sentence_text, dated)
        ]


def _states_a_value(sentence: str, claims: Sequence[DraftClaim]) -> bool:
    """Whether ``sentence`` writes the value of one of ``claims``' figures, in its unit."""
    figures = read_figures(sentence)
    return any(
        f.unit == c.ctx.figure.unit and compare_values(c.ctx.figure, f) == "match" for c in claims for f in figures
    )
