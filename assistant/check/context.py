"""A figure in its sentence: the features the "same quantity" test compares, built alike for drafts and sources.

For each figure we keep the sentence and clause around it, the entities it is about (in the clause, the sentence,
or the surrounding text when the sentence names none), the metric concepts of its own stretch of text, the dates
that fix its period, and the sentence with its figures masked for alignment with a near-identical sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.check.entities import Entity, find_entities
from assistant.check.lexicon import UNIT_OBJECTS, concept_kind, find_concepts
from assistant.text import PREVIOUS_YEAR_EN, PREVIOUS_YEAR_ZH
from tools.figures import Figure, parse_figures

# Clause breaks: CJK and Latin commas/semicolons/colons, but not a comma inside a number (1,024).
_CLAUSE_BREAK = re.compile(r"[，；：;:]|,(?!\d{3})|\s(?:while|whereas|but)\s|而|但")
_FISCAL = re.compile(r"财年|财季|fiscal|FY", re.IGNORECASE)
_MASK = "#"
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Period:
    """A date range as yyyymm bounds; ``fiscal`` periods are only compared with fiscal ones."""

    low: int
    high: int
    fiscal: bool = False


@dataclass(slots=True)
class FigureContext:
    """One figure with what it is about. Offsets are into ``text`` (the draft or the document text)."""

    figure: Figure
    sentence: tuple[int, int]
    clause: tuple[int, int]
    sentence_text: str
    clause_entities: list[Entity]
    sentence_entities: list[Entity]
    near_entities: list[Entity] = field(default_factory=list)
    doc_entities: list[Entity] = field(default_factory=list)
    objects: set[str] = field(default_factory=set)
    stages: set[str] = field(default_factory=set)
    inherited_stages: set[str] = field(default_factory=set)  # named elsewhere in the sentence, not the clause
    inherited_objects: bool = False  # the metric words come from another clause of the sentence
    qualifiers: set[str] = field(default_factory=set)
    directions: set[str] = field(default_factory=set)
    surfaces: dict[str, str] = field(default_factory=dict)
    periods: list[Period] = field(default_factory=list)
    masked: str = ""
    left: str = ""
    right: str = ""
    header: str = ""  # a table cell's column header and row label, which say what the figure measures
    implied_unit: bool = False  # the unit is the table header's, not written in the cell ("| 词表大小 | 65,536 |")
    year_before: bool = False  # its words date it a year before its sentence ("上年同期", "a year earlier")
    header_dated: bool = False  # its periods are its table column's ("| 2023 | 2024 |"), not its own words

    @property
    def concepts(self) -> set[str]:
        return self.objects | self.stages | self.qualifiers | self.directions

    @property
    def word_objects(self) -> set[str]:
        """What the words around the figure say is measured, beyond what its unit already says."""
        return self.objects - {UNIT_OBJECTS.get(self.figure.unit or "", "")}


def normalise(text: str) -> str:
    """Lowercase NFKC text with whitespace collapsed, for alignment only."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into clauses at commas, semicolons and colons (absolute offsets)."""
    spans: list[tuple[int, int]] = []
    s = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > s:
            spans.append((s, m.start()))
        s = m.end()
    if s < end:
        spans.append((s, end))
    return spans or [(start, end)]


def figure_period(fig: Figure, fiscal: bool) -> Period | None:
    """The yyyymm range of a date figure ("2025" -> 202501..202512); None for a month without a year."""
    if fig.unit != "date":
        return None
    if fig.low is not None and fig.high is not None:
        return Period(int(fig.low), int(fig.high), fiscal)
    v = int(fig.value)
    if v >= 100000:
        return Period(v, v, fiscal)
    if 1900 <= v <= 2100:
        return Period(v * 100 + 1, v * 100 + 12, fiscal)
    return None


# "较 2023 年下降", "比上年", "than in 2023", "compared with 2023": the date a change is measured from
_BASE_BEFORE = re.compile(
    r"(?:较|比|相比|相较于?|(?<![A-Za-z])(?:than|compared\s+(?:with|to)|versus|vs\.?)(?:\s+(?:in|the))?)\s*$", re.I
)


def comparison_base(text: str, date: Figure) -> bool:
    """The date is the base a change is measured from ("较 2023 年下降 2.94 个百分点", "compared with 2023"), not
    the period of the sentence's figures."""
    return bool(_BASE_BEFORE.search(text, max(0, date.start - 20), date.start))


def header_periods(header: str) -> list[Period]:
    """The periods a table cell's row label and column header name ("| Meta | 27.3 |" under "2023 ($bn)", a
    "Q2 FY2024" column, a CSV key "twh_2022"): the cell's own date when its row states none."""
    fiscal = bool(_FISCAL.search(header))
    # a data file's column "2024Q1" / "2024-Q2" / "2024 Q3" is the quarter "Q1 2024"
    header = _YEAR_QUARTER.sub(lambda m: f"Q{m.group(2)} {m.group(1)}", header)
    return [p for f in parse_figures(header) if (p := figure_period(f, fiscal)) is not None]


_YEAR_QUARTER = re.compile(r"(?<![\d.])((?:19|20)\d{2})[-_ ]?Q([1-4])(?![\d])", re.I)


# "较上年末的 1201 名", "上年同期为 -8.48 亿元"; "$229 million a year earlier", "... in the previous year"
_PREVIOUS_BEFORE = re.compile(rf"(?:{PREVIOUS_YEAR_ZH})[^，,。；;、\d]{{0,6}}$")
_PREVIOUS_AFTER = re.compile(rf"\s?(?:[^\s,.;]+\s){{0,2}}?(?:in\s+)?(?:{PREVIOUS_YEAR_EN})\b", re.I)


def _year_before(text: str, lo: int, fig: Figure) -> bool:
    """The words right around the figure date it a year before its sentence's date."""
    return bool(
        _PREVIOUS_BEFORE.search(text[max(lo, fig.start - 12) : fig.start])
        or _PREVIOUS_AFTER.match(text, fig.end, min(len(text), fig.end + 40))
    )


_WHOLE_BEFORE = re.compile(r"\s+(?:out\s+)?of\s+(?:its|the|their|all|a\s+total\s+of)?\s*$", re.I)


_TRAILING_DATE = re.compile(r"\s*(?:in|for|during|at the end of|as of)?\s*$", re.IGNORECASE)


def _dates_other(
    text: str, date: Figure, fig: Figure, figs: Sequence[Figure], clauses: Sequence[tuple[int, int]]
) -> bool:
    """The date belongs to another figure of ``fig``'s unit: written right after it, or in its clause, which is not
    ``fig``'s ("Revenue came to $8.42 billion, compared with $5.31 billion in 2023", "毛利率为 28.4%，2023 年为
    31.7%": the year dates the level before, not the $8.42 billion or the 28.4%)."""
    own = next((c for c in clauses if c[0] <= date.start < c[1]), None)
    return any(
        f is not fig
        and f.unit == fig.unit
        and (
            (f.end <= date.start and _TRAILING_DATE.fullmatch(text, f.end, date.start))
            or (own is not None and own[0] <= f.start < own[1] and not own[0] <= fig.start < own[1])
        )
        for f in figs
    )


def _nearest_before(fig: Figure, figs: Sequence[Figure], dated: Sequence[tuple[Figure, Period]]) -> list[Period]:
    """The period of the closest date before ``fig`` in its sentence, when no other figure stands between them:
    "… from 2023, when Helios booked $251 million" is 2023's, not also the sentence's other year. Empty when the
    figure comes before every date, or another figure sits between it and the date (that date is the other's)."""
    before = [(f, p) for f, p in dated if f.end <= fig.start]
    if not before:
        return []
    date, period = before[-1]
    if any(date.end <= f.start and f.end <= fig.start and f.unit != "date" for f in figs if f is not fig):
        return []
    return [period]


def periods_conflict(a: Sequence[Period], b: Sequence[Period]) -> bool:
    """Both sides date the figure and no two dates of one kind overlap. A fiscal period never equals a
    calendar one (NVIDIA's fiscal 2025 ends in January 2025), so a fiscal/calendar pair counts as different."""
    if not a or not b:
        return False
    return not any(x.fiscal == y.fiscal and x.low <= y.high and y.low <= x.high for x in a for y in b)


_CONJUNCTION = re.compile(r"\s(?:and|while|whereas|but)\s|并且|而且|以及|并|且|和|而")


def _last_conjunction(text: str, lo: int, hi: int) -> int | None:
    ends = [m.end() for m in _CONJUNCTION.finditer(text, lo, hi)]
    return ends[-1] if ends else None


def _first_conjunction(text: str, lo: int, hi: int) -> int | None:
    m = _CONJUNCTION.search(text, lo, hi)
    return m.start() if m else None


def _masked(text: str, figures: Sequence[Figure], offset: int) -> str:
    out, pos = [], 0
    for f in figures:
        a, b = f.start - offset, f.end - offset
        if a < pos or b > len(text):
            continue
        out.append(text[pos:a])
        out.append(_MASK)
        pos = b
    out.append(text[pos:])
    return normalise("".join(out))


def build_contexts(
    text: str,
    figures: Sequence[Figure],
    sentences: Sequence[tuple[int, int]],
    *,
    near_entities: dict[int, list[Entity]] | None = None,
    doc_entities: Sequence[Entity] = (),
    context_entities: Sequence[Entity] = (),
) -> list[FigureContext]:
    """Contexts for ``figures`` (spans into ``text``), each placed in the sentence of ``sentences`` holding it.

    ``near_entities`` maps a sentence start to entities named just before it (for "the model ... it used ...");
    ``doc_entities`` are those of the document as a whole (title, opening lines); ``context_entities`` those of
    the surrounding text, which a bare version ("V3") in a sentence may refer to.
    """
    out: list[FigureContext] = []
    by_sentence: dict[tuple[int, int], list[Figure]] = {}
    for fig in figures:
        sent = next((s for s in sentences if s[0] <= fig.start and fig.end <= s[1]), None)
        if sent is None:
            sent = next((s for s in sentences if s[0] <= fig.start < s[1]), (fig.start, fig.end))
        by_sentence.setdefault(sent, []).append(fig)
    for sent, figs in by_sentence.items():
        figs.sort(key=lambda f: f.start)
        s_text = text[sent[0] : sent[1]]
        s_entities = find_entities(s_text, sent[0], context=context_entities)
        s_concepts = find_concepts(s_text)
        clauses = clause_spans(text, sent[0], sent[1])
        fiscal_sentence = bool(_FISCAL.search(s_text))
        masked = _masked(s_text, figs, sent[0])
        for i, fig in enumerate(figs):
            clause = next((c for c in clauses if c[0] <= fig.start < c[1]), sent)
            clause = (min(clause[0], fig.start), max(clause[1], fig.end))
            lo = max(clause[0], figs[i - 1].end if i > 0 else clause[0])
            hi = min(clause[1], figs[i + 1].start if i + 1 < len(figs) else clause[1])
            # "reduces the KV cache by 93.3% and boosts the throughput to 5.76 times": a conjunction between two
            # figures ends the stretch of the first and starts that of the second.
            if i > 0 and (conj := _last_conjunction(text, lo, fig.start)) is not None:
                lo = conj
            if i + 1 < len(figs) and (conj := _first_conjunction(text, fig.end, hi)) is not None:
                hi = conj
            # a baseline ("超过了 GPT-3.5") owns the figure neither in its clause nor in its sentence
            owners = [e for e in s_entities if not _baseline(text, e, fig.start)]
            ctx = FigureContext(
                figure=fig,
                sentence=sent,
                clause=clause,
                sentence_text=s_text,
                clause_entities=[e for e in owners if clause[0] <= e.start < clause[1]],
                sentence_entities=owners,
                near_entities=list((near_entities or {}).get(sent[0], [])),
                doc_entities=list(doc_entities),
                masked=masked,
            )
            _fill_concepts(ctx, text[lo:hi], text[clause[0] : clause[1]], s_concepts)
            if i > 0 and figs[i - 1].unit == fig.unit and _WHOLE_BEFORE.search(text, figs[i - 1].end, fig.start):
                # "activates 21B of its 236B parameters": the figure after "of its" is the whole the one before
                # it is a part of
                ctx.qualifiers.discard("activated")
                ctx.qualifiers.add("total")
            dated = [
                (f, p)
                for f in figs
                if f is not fig and (p := figure_period(f, fiscal_sentence)) and not comparison_base(text, f)
            ]
            in_clause = [p for f, p in dated if clause[0] <= f.start < clause[1]]
            # a figure dated "the year before" counts back from the sentence's date, whichever figure it belongs to
            relative = not in_clause and _year_before(text, lo, fig)
            ctx.periods = (
                in_clause
                or _nearest_before(fig, figs, dated)
                or [p for f, p in dated if relative or not _dates_other(text, f, fig, figs, clauses)]
            )
            if relative:
                # "2024 年末员工总数为 982 名，较上年末的 1201 名": the sentence's year is not this figure's
                ctx.periods = [Period(p.low - 100, p.high - 100, p.fiscal) for p in ctx.periods]
                ctx.year_before = True
            ctx.left = _masked(text[max(sent[0], fig.start - 24) : fig.start], [], 0)[-16:]
            ctx.right = _masked(text[fig.end : min(sent[1], fig.end + 24)], [], 0)[:16]
            out.append(ctx)
    out.sort(key=lambda c: c.figure.start)
    return out


# "compared with GLM-4.6", "相比 GLM-4.6", "than X", "vs X", "超过了 GPT-3.5", "beats X": the entity after it is
# what the figure is measured against, not whose figure it is
_BASELINE = re.compile(
    r"(?:compared\s+(?:to|with)|relative\s+to|versus|vs\.?|than|over|相比于?|相较于?|较之?|对比"
    r"|超过了?|超越了?|高于|低于|优于|胜过|领先于?|落后于?|不及|不如"
    r"|beat(?:s|ing)?|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|exceed(?:s|ed|ing)?|ahead\s+of|behind)\s*$",
    re.I,
)
# ... unless the figure is its own: "高于 GPT-3.5 的 70.0 分", "beats GPT-3.5's 70.0"
_POSSESSIVE = re.compile(r"\s*(?:的|'s|’s)\s*(?:得分|分数|成绩|score)?\s*(?:为|是|of)?\s*")


def _baseline(text: str, entity: Entity, figure_start: int) -> bool:
    """Whether ``entity`` follows a comparison cue (a baseline, not the figure's owner); an entity ending right
    before the figure with a possessive between them owns it."""
    end = entity.start + len(entity.surface)
    if end <= figure_start and _POSSESSIVE.fullmatch(text[end:figure_start]):
        return False
    return bool(_BASELINE.search(text[max(0, entity.start - 16) : entity.start]))


# A count written with a magnitude ("21B", "22 billion", "120 亿") in a sentence about parameters counts them: "236B total parameters, of which 21B are activated".
_MAGNITUDE = re.compile(r"\d\s*(?:[BT]\b|billion|trillion|亿|万亿)", re.I)


def imply_unit(ctx: FigureContext) -> None:
    """Give a draft's "22 billion are active" the unit "param" its clause implies (drafts only: in long sources a
    magnitude beside such words is too often something else)."""
    fig = ctx.figure
    if fig.unit is not None or not _MAGNITUDE.search(fig.text) or not ctx.qualifiers & {"activated", "total"}:
        return  # only where the figure's own clause says which part of the parameters it counts
    # the parameters may be named anywhere in the sentence ("456B parameters in total, of which 35.9B are
    # activated per token": the figure's own words name only the token)
    if "params" in ctx.objects or "params" in find_concepts(ctx.sentence_text):
        ctx.figure = fig.model_copy(update={"unit": "param"})
        ctx.objects.add("params")


def _fill_concepts(ctx: FigureContext, local: str, clause: str, sentence: dict[str, str]) -> None:
    """Objects from the figure's own stretch of text, widening to the clause and the sentence only when empty."""
    unit_object = UNIT_OBJECTS.get(ctx.figure.unit or "")
    local_c = find_concepts(local)
    clause_c = find_concepts(clause)
    for layer in (local_c, clause_c, sentence):
        objects = {c for c in layer if concept_kind(c) == "object"}
        if objects:
            ctx.objects = objects
            ctx.surfaces.update({c: layer[c] for c in objects})
            ctx.inherited_objects = layer is sentence and layer is not clause_c
            break
    if unit_object == "tokens" and "vocab" in ctx.objects:
        # "a vocabulary of 32,000 tokens" counts entries, as "| 词表大小 | 65,536 |" does: not an amount of data
        ctx.figure = ctx.figure.model_copy(update={"unit": None})
        unit_object = None
        ctx.objects.discard("tokens")
    if unit_object:
        if unit_object == "price":
            # "$2 per GPU hour" is a price, not an amount of GPU hours; an hourly "cost" is a price too
            for other in ("gpu_hours", "cost"):
                ctx.objects.discard(other)
                ctx.surfaces.pop(other, None)
        ctx.objects.add(unit_object)
    for kind, target in (("stage", ctx.stages), ("qualifier", ctx.qualifiers), ("direction", ctx.directions)):
        # the figure's own stretch first ("119K GPU hours for the context extension and 5K GPU hours for
        # post-training"), then its clause; a stage may also come from elsewhere in the sentence
        layers = (local_c, clause_c, sentence) if kind == "stage" else (local_c, clause_c)
        layer = next((lay for lay in layers if any(concept_kind(c) == kind for c in lay)), {})
        found = {c for c in layer if concept_kind(c) == kind}
        target.update(found)
        ctx.surfaces.update({c: layer[c] for c in found})
        if kind == "stage" and layer is sentence:
            ctx.inherited_stages = set(found)


def add_header_concepts(ctx: FigureContext, header: str, *, objects_only: bool = False) -> None:
    """A table cell's figure is described by its column header: add the header's metric words (with
    ``objects_only`` only what is measured, for a table's caption)."""
    for cid, surface in find_concepts(header).items():
        kind = concept_kind(cid)
        if objects_only and kind != "object":
            continue
        target = {"object": ctx.objects, "stage": ctx.stages, "qualifier": ctx.qualifiers}.get(kind)
        if target is not None and cid != "total":
            target.add(cid)
            ctx.surfaces.setdefault(cid, surface)
