"""The entity test of ``match.same_quantity``: is a source figure about the claim's own subject?

Every model, chip or company the claim is about must appear with the source figure, with the same version
("DeepSeek-V3" never matches "DeepSeek-V2", "H800" never "H100"); none may conflict; a sentence that names another
model beside the figure is about that model even when the document is about ours. The level says how close the
subject is named: in the figure's clause, its sentence, the text near it, or only its document.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.check.context import FigureContext
from assistant.check.entities import Entity, versions_compatible
from assistant.check.owners import any_name

EntityLevel = Literal["clause", "sentence", "near", "doc", "none"]

_LEVEL_RANK = {"clause": 0, "sentence": 1, "near": 2, "doc": 3, "none": 4}


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
        # ours named only in the lines before, beside the firm the document is about: a sentence naming nobody
        # ("AI 智算产品贡献了约 94% 的营收") speaks of the document's own subject
        owner = [e for e in source.doc_entities if e.cls in classes and not _ours(e, families, subjects)]
        if (
            worst == "near"
            and owner
            and not any(_ours(e, families, subjects) for e in source.doc_entities)
            and any(e.family == owner[0].family for e in source.near_entities)
        ):
            return "foreign", worst, f"the source figure is about {owner[0].surface}, its document's subject"
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
    # a table cell must name it in its row or header (``owned.owned_sources``), a sentence need not
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
    if where == "doc" and not source.header:
        # a model named after the figure in another clause is what it is compared with ("its MMLU score is
        # 67.3, compared with 79.8 for Llama 3 70B"), not the figure's owner
        pool = [e for e in pool if e.start < source.figure.start or e in source.clause_entities]
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
