"""The "same quantity" test: does a source figure measure what the draft's figure measures?

Three independent checks must pass, and a fourth decides how sure we are:

1. unit kind: GPU hours only with GPU hours, dollars only with dollars (an hourly rate per GPU or per card is one);
2. entities: every model, chip or company the claim is about appears with the source figure, with the same version
   ("DeepSeek-V3" never matches "DeepSeek-V2", "H800" never "H100"); none conflicts; a sentence that names another
   model beside the figure is about that model even when the document is about ours;
3. period: when both sides date the figure, the dates overlap;
4. metric: the words around each figure name the same thing (GPU hours, training cost, KV cache, share, ...), or
   the two sentences align around the figure (a copied sentence with one number changed).

"strong" matches may contradict a claim; "weak" ones may only support it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.check.compare import Outcome, compare_values, units_compatible
from assistant.check.context import FigureContext, periods_conflict
from assistant.check.entities import Entity
from assistant.check.lexicon import directions_conflict, stages_conflict
from assistant.check.subject_match import EntityLevel, entity_match
from tools.figures import Figure

Strength = Literal["strong", "weak"]

_ALIGN_STRONG = 0.55
_ALIGN_WEAK = 0.35
_LABEL_SAME = 0.7


@dataclass(slots=True)
class QuantityMatch:
    """How a source figure relates to a claim's figure."""

    strength: Strength | None
    entity_level: EntityLevel
    align: float
    reason: str = ""
    label: float = 0.0  # ``Signals.label``: how much of the claim's wording the source's label repeats
    counted: float = 0.0  # ``Signals.counted``: both count the same named thing ("48 层" / "| 层数 |")
    near: float = 0.0  # ``Signals.near``: the share of the claim's rare names in the source's sentence or row


def claim_subject_entities(ctx: FigureContext) -> list[Entity]:
    """The entities a draft figure is about: its clause's when the clause names a model or company (so in "A won
    80% of tenders, B's revenue grew 40 times" each figure keeps its own firm), else its sentence's, else those
    named just before the sentence ("The model ... it used 2.788M GPU hours")."""
    main = {"model", "company", "org"}
    if any(e.cls in main for e in ctx.clause_entities):
        return _dedupe(ctx.clause_entities)
    if any(e.cls in main for e in ctx.sentence_entities):
        return _dedupe(ctx.sentence_entities)
    return _dedupe(ctx.sentence_entities + ctx.near_entities)


def _dedupe(entities: list[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for e in entities:
        seen.setdefault(e.key, e)
    # a bare family ("DeepSeek") adds nothing when a versioned one ("DeepSeek-V3") is present
    return [
        e
        for e in seen.values()
        if e.version or not any(o.family == e.family and o.version for o in seen.values())
    ]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def dice(a: str, b: str) -> float:
    """Character-bigram Dice similarity (0..1); language-neutral, robust to word segmentation."""
    if a == b:
        return 1.0  # also two empty neighbours: a figure ending both sentences
    ba, bb = _bigrams(a), _bigrams(b)
    if not ba or not bb:
        return 0.0
    return 2 * len(ba & bb) / (len(ba) + len(bb))


def alignment(claim: FigureContext, source: FigureContext) -> float:
    """How well the two sentences line up around the figure: the whole masked sentences must be alike and so must
    the words right beside the figure (in one sentence only the figure at the same place aligns). A table cell
    is described by its row label and header alone, so only the whole counts."""
    whole = dice(claim.masked, source.masked)
    if source.header:
        return whole
    local = (dice(claim.left, source.left) + dice(claim.right, source.right)) / 2
    return min(whole, local)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the index says about a source beyond its words: the share of the claim's rare names it states (in
    its sentence or table row and header: ``near``; or anywhere including its title: ``anywhere``), and the
    embedder's similarity of the two sentences mapped to the alignment scale (None when not computed)."""

    near: float = 0.0
    anywhere: float = 0.0
    has_names: bool = False
    semantic: float | None = None
    best: bool = False  # the embedder prefers this source sentence clearly over the claim's other candidates
    label: float = (
        0.0  # share of the claim's words about its figure that the source's label of its figure repeats
    )
    counted: float = 0.0  # both figures count the same named thing (``counted.compare_counts``), 0 when not
    measured: bool = False  # the source figure's label names what the claim measures (``measured``)
    cell: bool = False  # a table cell whose row and column name every subject of the claim (``cells.names_cell``)


def unit_fits(claim_unit: str | None, source: FigureContext, *, change: bool = False) -> bool:
    """The source figure may measure the claim's kind of quantity: compatible units, or a claim written without
    a unit against a cell whose unit only its table's header implies ("vocabulary of 50,352 entries" against
    "| Vocabulary | 100352 |"). A change (``change``: the claim's words give it a direction) stated in percent
    may be the same change the source states in percentage points, or the reverse (``points_for_percent``)."""
    return (
        units_compatible(claim_unit, source.figure.unit)
        or (claim_unit is None and source.implied_unit)
        or (change and {claim_unit, source.figure.unit} == _CHANGE_UNITS)
    )


_CHANGE_UNITS = {"percent", "percentage_point"}


def points_for_percent(claim: Figure, source: Figure) -> Outcome | None:
    """A change in percent against one in percentage points (or the reverse): a relative change and a difference
    of two levels are different quantities. The same digits in the other unit ("fell 2.94%" where the margin
    fell 2.94 points) are the source's change mislabelled: a mismatch. Other digits may be the other quantity,
    right or wrong: no say. None when the units do not pair a percent with points."""
    if {claim.unit, source.unit} != _CHANGE_UNITS:
        return None
    # a change's sign is its direction, which the words compare ("fell 2.94%" against "-2.94 个百分点")
    mine = claim.model_copy(update={"value": abs(claim.value), "low": None, "high": None})
    twin = source.model_copy(update={"unit": claim.unit, "value": abs(source.value), "low": None, "high": None})
    return "mismatch" if compare_values(mine, twin) == "match" else "compatible"


def same_quantity(
    claim: FigureContext, source: FigureContext, subjects: list[Entity], signals: Signals | None = None
) -> QuantityMatch:
    """Classify ``source`` against ``claim`` (see module doc); ``subjects`` from ``claim_subject_entities``."""
    sig = signals or Signals()
    cf, sf = claim.figure, source.figure
    if not unit_fits(cf.unit, source, change=bool(claim.directions)):
        return QuantityMatch(None, "none", 0.0, "different unit")
    status, level, why = entity_match(claim, source, subjects)
    if status != "ok" and sig.cell:
        status, level = "ok", "clause"  # the row and column say whose figure it is, in the claim's words
    if status != "ok":
        return QuantityMatch(None, level, 0.0, why)
    if not subjects and sig.has_names and sig.anywhere == 0:
        return QuantityMatch(None, level, 0.0, "the source names none of the claim's names")
    if periods_conflict(claim.periods, source.periods):
        return QuantityMatch(None, level, 0.0, "different period")
    cap: Strength = "strong"
    if stages_conflict(claim.concepts, source.concepts):
        own_c = claim.concepts - claim.inherited_stages
        own_s = source.concepts - source.inherited_stages
        if stages_conflict(own_c, own_s):
            return QuantityMatch(None, level, 0.0, "different stage (e.g. pre-training vs total)")
        cap = "weak"  # the stage comes from another clause of the sentence: too loose to contradict
    if (
        _EXCLUSIVE & claim.qualifiers
        and _EXCLUSIVE & source.qualifiers
        and not claim.qualifiers & source.qualifiers & _EXCLUSIVE
    ):
        return QuantityMatch(None, level, 0.0, "different part (activated vs total)")
    if directions_conflict(claim.directions, source.directions):
        return QuantityMatch(None, level, 0.0, "opposite direction of change")
    align = alignment(claim, source)
    named_near = (bool(subjects) and level in {"clause", "sentence"}) or sig.near >= 0.5
    named_near = named_near or (sig.best and (bool(subjects) or sig.anywhere >= 0.5))
    if sig.label >= _LABEL_SAME and (bool(subjects) or sig.anywhere >= 0.5):
        align = max(align, _ALIGN_STRONG)  # "embedding size of 4,096" against "Embedding Size: 6,144"
    if sig.counted > 0 and (subjects or sig.near >= 0.5):
        # "512 个专家" against "| Number of Experts | 384 |": one subject, the same thing counted
        align = max(align, _ALIGN_STRONG + 0.1 * sig.counted)
    elif sig.counted > 0 and sig.anywhere >= 0.5:
        # the claim's names only in the source's title or heading: the same count may support, not contradict
        align = max(align, _ALIGN_STRONG)
        cap = "weak"
    if sig.semantic is not None and sig.semantic > align:
        # the embedder sees the same sentence across languages or wordings; it may make a match strong only
        # when the claim's subject or rare names sit in the source sentence itself
        align = max(align, sig.semantic if named_near else min(sig.semantic, _ALIGN_STRONG - 0.01))
    if _distinctive_equal(cf.text, sf.text) and (subjects or sig.anywhere >= 0.5) and align < _ALIGN_STRONG:
        # "122,753" written by the claim's own subject's document: no other quantity shares five significant
        # digits by chance, in whatever words or language; it may support, never contradict
        return QuantityMatch("weak", level, max(align, _ALIGN_WEAK), "the same distinctive value")
    wc, ws = claim.word_objects, source.word_objects
    # the source figure's row or clause names what the claim measures ("GSM8K 由 60.3 提高到 72.4")
    same_object = names_measured(claim, source) or sig.measured
    # ... or its sentence names the claim's subject and what the claim measures, in the claim's specific words
    # ("词表大小为 64,000" for "a vocabulary of 64,000 tokens", "已累计发布 22 款基座模型" for "released 32 models")
    same_object = same_object or (
        level in {"clause", "sentence"} and bool(wc - _VAGUE_OBJECTS) and wc <= ws and _lone_count(source)
    )
    if cf.unit is None and align < _ALIGN_STRONG and not (named_near and align >= _ALIGN_WEAK) and not same_object:
        return QuantityMatch(None, level, align, "no unit and no matching wording")
    qualifiers_agree = claim.qualifiers == source.qualifiers or (
        not (claim.qualifiers - source.qualifiers) and not _narrowing(source.qualifiers - claim.qualifiers)
    )
    strength: Strength | None
    if align >= _ALIGN_STRONG and not (wc and ws and not wc & ws):
        strength = "strong"  # the same sentence, give or take the figure
    elif wc and ws:
        if not wc & ws:
            strength = "weak" if align >= _ALIGN_WEAK else None
        else:
            # the source must name all the claim names: "cost" alone is not "cost profit margin"; and a vague
            # word ("performance", "性能") alone cannot say two figures measure the same thing
            specific = bool(wc - _VAGUE_OBJECTS)
            strength = "strong" if wc <= ws and qualifiers_agree and specific else "weak"
    elif not wc and not ws:
        # Only the unit says what is measured: enough for GPU hours or tokens, not for dollars or percents; a
        # count of GPUs or nodes when both sides name the same stage ("training ran on 512 H800 GPUs"); any
        # amount tying two named parties in the source figure's own clause ("百度仍直接和间接持有昆仑芯约 59%")
        counted = cf.unit in {"gpu", "node"} and bool(subjects) and bool(claim.stages & source.stages)
        tied = cf.unit is not None and level == "clause" and len(parties(subjects)) >= 2
        strength = "strong" if (cf.unit in _SPECIFIC_UNITS or counted or tied) and qualifiers_agree else "weak"
    elif not wc and cf.unit is not None and level == "clause" and len(parties(subjects)) >= 2:
        # "NVIDIA bought Groq for $2 billion": a figure tying two named parties together, both named in the
        # source figure's own clause with the same kind of unit, is one quantity whatever the source calls it
        strength = "strong" if qualifiers_agree else "weak"
    else:
        strength = "weak"  # one side names a metric the other does not (context length, per-token, ...)
    if strength is None:
        return QuantityMatch(None, level, align, "different metric")
    if strength == "strong" and align < _ALIGN_STRONG:
        if not subjects and align < _ALIGN_WEAK:
            strength = "weak"
        elif cf.unit != "date" and (claim.inherited_objects or source.inherited_objects):
            strength = "weak"  # "2048张H800，……，总租金": the metric word belongs to another clause
        elif _foreign_owner(source, subjects):
            strength = "weak"
    if cap == "weak" or _qualified_apart(claim.qualifiers, source.qualifiers):
        strength = "weak"
    return QuantityMatch(strength, level, align, label=sig.label, counted=sig.counted, near=sig.near)


def _qualified_apart(ours: set[str], theirs: set[str]) -> bool:
    """Both figures are qualified, by words they do not share, and one side's narrows what is measured: the
    US data centres' share of all data-centre electricity is not domestic cards' share of tenders, however alike
    the sentences read."""
    if not ours or not theirs or ours & theirs:
        return False
    return _narrowing(ours) or _narrowing(theirs)


_DISTINCT_DIGITS = 5


def _distinctive_equal(a: str, b: str) -> bool:
    """Two figures written with the same digits, at least five significant ones ("122,753" / "122753")."""
    da, db = (re.sub(r"\D", "", t).strip("0") for t in (a, b))
    return len(da) >= _DISTINCT_DIGITS and da == db and a.count(".") == b.count(".")


def _lone_count(source: FigureContext) -> bool:
    """The source figure is the one number of its clause, and no day or month ("7 月 25 日")."""
    s0 = source.sentence[0]
    clause = source.sentence_text[max(0, source.clause[0] - s0) : max(0, source.clause[1] - s0)]
    after = source.sentence_text[source.figure.end - s0 : source.figure.end - s0 + 3]
    return len(re.findall(r"(?<![A-Za-z\d])\d[\d,.]*", clause)) == 1 and not re.match(r"\s?[月日号]", after)


def names_measured(claim: FigureContext, source: FigureContext) -> bool:
    """A table cell whose header names the one specific thing the claim measures ("hidden dimension" under
    "| 隐藏层维度 |"): the wording matches whatever else the row says. Only a cell: a sentence may name the thing
    beside another figure ("FFN = 8/3 x hidden size")."""
    wc = claim.word_objects
    return bool(source.header) and bool(wc - _VAGUE_OBJECTS) and wc <= source.word_objects


def parties(subjects: list[Entity]) -> set[str]:
    """The named parties among a claim's subjects: models, firms and chips (not an index name or a product)."""
    return {e.family for e in subjects if e.cls in {"model", "company", "org", "chip"}}


def _foreign_owner(source: FigureContext, subjects: list[Entity]) -> bool:
    """A claim about a chip alone ("2048张H800") against a source sentence about some model's or firm's use of it
    ("MiniMax-M1's RL training on 512 H800 GPUs"): whose GPUs they are is unknown, so not strong evidence."""
    if any(e.cls in {"model", "company", "org", "name"} for e in subjects):
        return False  # an index name ("OLMo") says whose figure it is as a vocabulary name does
    return any(e.cls in {"model", "company", "org"} for e in source.sentence_entities)


# Metric words too loose to identify a quantity on their own.
_VAGUE_OBJECTS = {"speed", "efficiency", "score", "users", "experts", "layers", "heads"}

# Units that name the measured quantity by themselves.
_SPECIFIC_UNITS = {
    "gpu_hour", "token", "token_per_s", "param", "flop", "flop_per_s", "byte_per_s",
    "usd_per_gpu_hour", "usd_per_hour", "cny_per_gpu_hour", "cny_per_hour",
}  # fmt: skip
# Qualifiers that change what is measured when only one side has them (per token, activated, data center only).
_NARROWING = {"per_token", "per_trillion", "per_million", "per_day", "activated", "data_center", "median", "unique", "adjusted"}


# Qualifiers naming parts of one whole that exclude each other: "activated" parameters are never the "total".
_EXCLUSIVE = {"activated", "total"}
# ... of which "activated" names the part: a figure stated without it is the whole
PARTS = {"activated"}


def _narrowing(extra: set[str]) -> bool:
    return bool(extra & _NARROWING)
