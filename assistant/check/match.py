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

from assistant.check.compare import units_compatible
from assistant.check.context import FigureContext, periods_conflict
from assistant.check.entities import Entity, versions_compatible
from assistant.check.lexicon import directions_conflict, stages_conflict
from assistant.check.owners import any_name

Strength = Literal["strong", "weak"]
EntityLevel = Literal["clause", "sentence", "near", "doc", "none"]

_LEVEL_RANK = {"clause": 0, "sentence": 1, "near": 2, "doc": 3, "none": 4}
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


def _locate(
    entity: Entity, levels: list[tuple[EntityLevel, list[Entity]]], ours: set[str]
) -> tuple[str, EntityLevel]:
    """('found' | 'conflict' | 'missing', level) for one claim entity among the source's entity levels.

    ``ours`` holds the versions the claim itself names for this family: a source clause naming only DeepSeek-V2
    conflicts with a DeepSeek-V3 claim, but not with "DeepSeek-V2 vs DeepSeek 67B" when we look for 67B.
    """
    for level, ents in levels:
        family = [e for e in ents if e.family == entity.family or _translated(e, entity)]
        if not family:
            continue
        if entity.family == "chip" or entity.version:
            if any(versions_compatible(e.version, entity.version) for e in family):
                return "found", level
            if level == "doc" and any(_generation_of(e.version, entity.version) for e in family):
                return "found", level  # InternLM2's README holds all its sizes; ``owners`` tells them apart
            versioned = [e for e in family if e.version or entity.family == "chip"]
            if not versioned or all(any(versions_compatible(e.version, o) for o in ours) for e in versioned):
                continue  # "DeepSeek" alone, or another of our own versions: look further out
            return "conflict", level
        return "found", level
    return "missing", "none"


def _generation_of(general: str, sized: str) -> bool:
    """ "2" names the generation of "2-7b" (or "2-7b-chat")."""
    return (
        bool(general) and re.fullmatch(rf"{re.escape(general)}-\d+(?:\.\d+)?[bmt](?:-.*)?", sized) is not None
    )


def _translated(a: Entity, b: Entity) -> bool:
    """One model named in two scripts ("源2.0-2B", "Yuan 2.0-2B"): the same sized version, one name not Latin."""
    return (
        a.cls == b.cls == "model"
        and a.family.isascii() != b.family.isascii()
        and bool(a.version)
        and a.version == b.version
        and any(ch.isdigit() for ch in a.version)
    )


def _ours(e: Entity, families: set[str], subjects: list[Entity]) -> bool:
    return e.family in families or any(_translated(e, s) for s in subjects)


def entity_match(
    claim: FigureContext, source: FigureContext, subjects: list[Entity]
) -> tuple[str, EntityLevel, str]:
    """('ok' | 'conflict' | 'missing' | 'foreign', worst level, reason). Subjects of class "name" (the claim's
    index names, see ``owners``) are looked for in the source's words; whether its document names them when its
    sentence does not is the caller's to check (``judge``)."""
    names = [e for e in subjects if e.cls == "name"]
    if names:
        return _name_match(claim, source, names, [e for e in subjects if e.cls != "name"])
    if not subjects:
        return "ok", "none", ""
    levels: list[tuple[EntityLevel, list[Entity]]] = [
        ("clause", _owning(source.clause_entities, source)),
        ("sentence", _owning(source.sentence_entities, source)),
        ("near", source.near_entities),
        ("doc", source.doc_entities),
    ]
    fig = claim.figure
    worst: EntityLevel = "clause"
    named = subjects
    # Unlisted product names (3FS, FlashMLA) are the subject only when nothing better names it.
    if any(e.cls != "product" for e in subjects):
        subjects = [e for e in subjects if e.cls != "product"]
    for ent in subjects:
        ours = {e.version for e in subjects if e.family == ent.family}
        status, level = _locate(ent, levels, ours)
        if status == "conflict":
            return "conflict", level, f"the source is about a different {ent.cls} than {ent.surface}"
        if status == "missing":
            if ent.cls == "chip" and fig.start <= ent.start < fig.end:
                continue  # "2.788M H800 GPU hours": the chip qualifies the unit; a source may leave it out
            if ent.cls in {"company", "org"} and any(e.cls == "model" and e.version for e in subjects):
                continue  # "xAI's Grok-1": a model card names its model, not always its maker
            made = _made_here(named, levels) if ent.cls in {"company", "org"} else None
            if made is not None:
                # "微软 BitNet b1.58 2B4T": the product is named where its figure is; its maker need not be
                worst = made if _LEVEL_RANK[made] > _LEVEL_RANK[worst] else worst
                continue
            return "missing", "none", f"the source does not name {ent.surface}"
        if ent.cls in {"company", "org"} and any(e.cls == "model" and e.version for e in subjects):
            continue  # the maker named only in the document of its model's row: the row is still the model's
        if _LEVEL_RANK[level] > _LEVEL_RANK[worst]:
            worst = level
    # A figure whose own clause or sentence names another model/company than ours is about that one.
    if _LEVEL_RANK[worst] >= _LEVEL_RANK["near"]:
        classes = {e.cls for e in subjects if e.cls not in {"chip", "product"}}
        families = {e.family for e in subjects}
        foreign = [
            e for e in source.sentence_entities if e.cls in classes and not _ours(e, families, subjects)
        ]
        if foreign:
            return "foreign", worst, f"the source figure is about {foreign[0].surface}"
    else:
        classes = {e.cls for e in subjects if e.cls not in {"chip", "product"}}
        families = {e.family for e in subjects}
        in_clause = {e.family for e in source.clause_entities if _ours(e, families, subjects)}
        foreign = [e for e in source.clause_entities if e.cls in classes and not _ours(e, families, subjects)]
        if foreign and not in_clause:
            return "foreign", worst, f"the source figure is about {foreign[0].surface}"
    return "ok", worst, ""


def _name_match(
    claim: FigureContext, source: FigureContext, names: list[Entity], others: list[Entity]
) -> tuple[str, EntityLevel, str]:
    """``entity_match`` for a claim whose owner is an index name: its other subjects (a chip, a benchmark) as
    usual, the name by the source's words, and a model or firm the source figure's own clause or sentence names
    instead of ours makes it theirs."""
    # a product beside the name is what is measured (a benchmark) or who measures it (a lab the vocabulary lacks);
    # a table cell must name it in its row or header (``judge.owned_sources``), a sentence need not
    others = [e for e in others if e.cls != "product"]
    status, level, why = entity_match(claim, source, others) if others else ("ok", "none", "")
    if status == "missing":
        # the name says whose figure it is; the maker beside it ("Google trained Gemma 2") need not be named
        # too, but a source figure of another firm stays that firm's
        rest = [e for e in others if e.cls not in {"company", "org"}]
        status, level, why = entity_match(claim, source, rest) if rest else ("ok", "none", "")
    if status != "ok":
        return status, level, why
    s0 = source.sentence[0]
    clause = source.sentence_text[max(0, source.clause[0] - s0) : max(0, source.clause[1] - s0)]
    keys = [e.family for e in names]
    where: EntityLevel = "doc"
    if any_name(keys, clause):
        where = "clause"
    elif any_name(keys, f"{source.sentence_text} {source.header}"):
        where = "sentence"
    pool = source.clause_entities if where == "sentence" else source.sentence_entities
    # a model the document's own title or file name names is the name in another script ("Baichuan 2" in
    # "百川"'s README), not another owner
    own = {e.family for e in source.doc_entities}
    if where != "clause":
        for e in pool:
            if _vendor(e, pool):
                continue  # "1,024 张 NVIDIA A800 GPU": the chip's maker, not the figure's owner
            if e.cls in {"model", "company", "org"} and e.family not in own and not any_name(keys, e.surface):
                return "foreign", where, f"the source figure is about {e.surface}"
    if level != "none" and _LEVEL_RANK[level] > _LEVEL_RANK[where]:
        where = level
    return "ok", where, ""


_NUMBER = re.compile(r"\d")
_VENDOR_GAP = 2  # characters between a maker's name and its chip's ("NVIDIA H100", "英伟达H20")


def _vendor(entity: Entity, entities: list[Entity]) -> bool:
    """A company named right before a chip is the chip's maker ("3,072 NVIDIA H100 GPUs")."""
    if entity.cls not in {"company", "org"}:
        return False
    end = entity.start + len(entity.surface)
    return any(e.cls == "chip" and 0 <= e.start - end <= _VENDOR_GAP for e in entities)


def _made_here(subjects: list[Entity], levels: list[tuple[EntityLevel, list[Entity]]]) -> EntityLevel | None:
    """Whether a product the claim names beside its maker ("微软 BitNet", "Google's Gemma 2") is named by the
    source figure's clause, sentence or neighbours: a model card or README names its product, not always the
    firm behind it. The level where it is named, None when not."""
    near = [lv for lv in levels if lv[0] != "doc"]
    for product in (e for e in subjects if e.cls == "product"):
        status, level = _locate(product, near, set())
        if status == "found":
            return level
    return None


def _owning(entities: list[Entity], source: FigureContext) -> list[Entity]:
    """The mentions that may own the source figure: a mention followed, before the figure, by another version of
    its family with a figure between them has handed over ("Scout was trained on 40T tokens and Maverick on
    22T": the 22T is Maverick's). Mentions listed together ("V3 and R1 used ...") all keep it."""
    s0 = source.sentence[0]
    text = source.sentence_text
    at = source.figure.start
    out = []
    for e in entities:
        end = e.start + len(e.surface)
        later = [
            o for o in entities if o.family == e.family and o.version != e.version and end <= o.start < at
        ]
        if any(_NUMBER.search(text[max(0, end - s0) : max(0, o.start - s0)]) for o in later):
            continue
        out.append(e)
    return out


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


def unit_fits(claim_unit: str | None, source: FigureContext) -> bool:
    """The source figure may measure the claim's kind of quantity: compatible units, or a claim written without
    a unit against a cell whose unit only its table's header implies ("vocabulary of 50,352 entries" against
    "| Vocabulary | 100352 |")."""
    return units_compatible(claim_unit, source.figure.unit) or (claim_unit is None and source.implied_unit)


def same_quantity(
    claim: FigureContext, source: FigureContext, subjects: list[Entity], signals: Signals | None = None
) -> QuantityMatch:
    """Classify ``source`` against ``claim`` (see module doc); ``subjects`` from ``claim_subject_entities``."""
    sig = signals or Signals()
    cf, sf = claim.figure, source.figure
    if not unit_fits(cf.unit, source):
        return QuantityMatch(None, "none", 0.0, "different unit")
    status, level, why = entity_match(claim, source, subjects)
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
        and not claim.qualifiers & source.qualifiers
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
    if (
        cf.unit is None
        and align < _ALIGN_STRONG
        and not (named_near and align >= _ALIGN_WEAK)
        and not same_object
    ):
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
        # count of GPUs or nodes when both sides name the same stage ("training ran on 512 H800 GPUs").
        counted = cf.unit in {"gpu", "node"} and bool(subjects) and bool(claim.stages & source.stages)
        strength = "strong" if (cf.unit in _SPECIFIC_UNITS or counted) and qualifiers_agree else "weak"
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
    if cap == "weak":
        strength = "weak"
    return QuantityMatch(strength, level, align, label=sig.label, counted=sig.counted, near=sig.near)


_DISTINCT_DIGITS = 5


def _distinctive_equal(a: str, b: str) -> bool:
    """Two figures written with the same digits, at least five significant ones ("122,753" / "122753")."""
    da, db = (re.sub(r"\D", "", t).strip("0") for t in (a, b))
    return len(da) >= _DISTINCT_DIGITS and da == db and a.count(".") == b.count(".")


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
    if any(e.cls in {"model", "company", "org"} for e in subjects):
        return False
    return any(e.cls in {"model", "company", "org"} for e in source.sentence_entities)


# Metric words too loose to identify a quantity on their own.
_VAGUE_OBJECTS = {"speed", "efficiency", "score", "users", "experts", "layers", "heads"}

# Units that name the measured quantity by themselves.
_SPECIFIC_UNITS = {
    "gpu_hour", "token", "param", "flop", "flop_per_s", "byte_per_s",
    "usd_per_gpu_hour", "usd_per_hour", "cny_per_gpu_hour", "cny_per_hour",
}  # fmt: skip
# Qualifiers that change what is measured when only one side has them (per token, activated, data center only).
_NARROWING = {"per_token", "per_trillion", "per_million", "per_day", "activated", "data_center"}


# Qualifiers naming parts of one whole that exclude each other: "activated" parameters are never the "total".
_EXCLUSIVE = {"activated", "total"}


def _narrowing(extra: set[str]) -> bool:
    return bool(extra & _NARROWING)
