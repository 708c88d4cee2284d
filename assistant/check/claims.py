"""Find the checkable figures of a draft: every measured figure with its subject, and the dates of events.

Figures come from ``tools.figures.parse_figures``; this module only decides which of them are claims. Not claims:
digits inside a name ("Gaudi 3"), vague amounts ("数十亿", "several hundred"), codes (688256), time frames
("过去两年", "two years ago"), and dates that merely place another figure in time (they become its period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.check.context import FigureContext, build_contexts
from assistant.check.entities import Entity, find_entities
from assistant.check.figures import read_figures
from assistant.check.lexicon import concept_kind, find_concepts
from assistant.check.match import claim_subject_entities
from assistant.text import split_sentences

_VAGUE_BEFORE = re.compile(
    r"(?:数|几|上|好几|成)$|(?:several|a few|dozens of|hundreds of|thousands of)\s?$", re.I
)
_FRAME_BEFORE = re.compile(
    r"(?:过去|近|最近|未来|今后|前|头|past|last|next|first|the past|the last|over the past)\s?$", re.I
)
_FRAME_AFTER = re.compile(r"^\s?(?:前|以前|之前|来|ago|earlier)")
_ONE = re.compile(r"^(?:一(?![十百千万亿])|(?:one|a|an)\b)", re.I)
# Concepts that make a sentence report an event, so its date is a claim of its own.
_EVENT_CONCEPTS = {"release", "ban", "acquisition"}
_NEAR_CHARS = 400


@dataclass(slots=True)
class DraftClaim:
    """A claim found in the draft: the figure in its context and the entities it is about."""

    ctx: FigureContext
    subjects: list[Entity]
    subject_text: str
    borrowed: bool = False  # the subject was named in an earlier sentence, not in the claim's own


def find_claims(text: str) -> tuple[list[DraftClaim], list[FigureContext], list[tuple[int, int]]]:
    """(claims, contexts of every figure, sentence spans) for a draft."""
    sentences = split_sentences(text)
    figures = read_figures(text)
    deepseek = re.search(r"deepseek|深度求索", text, re.IGNORECASE) is not None
    entities = find_entities(text, deepseek_context=deepseek)
    near = _near_entities(text, sentences, entities)
    contexts = build_contexts(text, figures, sentences, near_entities=near, deepseek_context=deepseek)
    by_sentence: dict[tuple[int, int], list[FigureContext]] = {}
    for ctx in contexts:
        by_sentence.setdefault(ctx.sentence, []).append(ctx)
    claims: list[DraftClaim] = []
    for ctx in contexts:
        if not is_claim(text, ctx, by_sentence[ctx.sentence]):
            continue
        subjects = claim_subject_entities(ctx)
        borrowed = not any(e.cls in {"model", "company", "org"} for e in ctx.sentence_entities)
        claims.append(
            DraftClaim(ctx, subjects, subject_text(ctx, subjects), borrowed and bool(ctx.near_entities))
        )
    return claims, contexts, sentences


def _near_entities(
    text: str, sentences: list[tuple[int, int]], entities: list[Entity]
) -> dict[int, list[Entity]]:
    """For each sentence, the entities of the closest earlier sentence (same paragraph) that names a model or firm."""
    out: dict[int, list[Entity]] = {}
    for i, (start, _) in enumerate(sentences):
        for j in range(i - 1, max(-1, i - 4), -1):
            s0, s1 = sentences[j]
            if start - s1 > _NEAR_CHARS or "\n\n" in text[s1:start]:
                break
            found = [e for e in entities if s0 <= e.start < s1]
            if any(e.cls in {"model", "company", "org"} for e in found):
                out[start] = found
                break
    return out


def is_claim(text: str, ctx: FigureContext, siblings: list[FigureContext]) -> bool:
    """Whether a parsed figure is a checkable claim (see module doc)."""
    fig = ctx.figure
    before = text[max(0, fig.start - 8) : fig.start]
    after = text[fig.end : fig.end + 6]
    if _VAGUE_BEFORE.search(before):
        return False
    if ctx.sentence_text.rstrip("”’\"' ）)").endswith(("?", "？")):
        return False  # a question asserts nothing
    if fig.unit == "date":
        return _is_event_date(ctx, siblings)
    if fig.unit in {"hour", "day", "month", "year"} and (
        _FRAME_BEFORE.search(before) or _FRAME_AFTER.search(after)
    ):
        return False  # "过去两年", "two years ago": a time frame, not a measured duration
    if fig.value == 1 and _ONE.match(fig.text):
        return False  # "一颗晶体管", "one day": an article, not an amount
    if fig.unit is None:
        core = fig.text.strip()
        if re.fullmatch(r"\d{5,}", core):
            return False  # a code or an identifier, not an amount
        if "." not in core and not ctx.objects:
            return False
    return True


def _is_event_date(ctx: FigureContext, siblings: list[FigureContext]) -> bool:
    """A date is a claim when its sentence reports an event and holds no other measured figure."""
    fig = ctx.figure
    if fig.value < 1900:
        return False  # a month without a year cannot be checked
    if any(s.figure.unit != "date" and s is not ctx for s in siblings):
        return False
    if not any(e.cls in {"model", "company", "org", "chip"} for e in ctx.sentence_entities):
        return False  # an event needs an actor or a product
    concepts = find_concepts(ctx.sentence_text)
    return any(c in _EVENT_CONCEPTS for c in concepts)


def subject_text(ctx: FigureContext, subjects: list[Entity]) -> str:
    """A short readable subject: the entities and the metric words as written, plus the period when dated."""
    parts: list[str] = []
    for e in subjects:
        if e.surface not in parts:
            parts.append(e.surface)
    for cid, surface in ctx.surfaces.items():
        if concept_kind(cid) in {"object", "stage", "qualifier"} and surface not in parts:
            parts.append(surface)
    if ctx.periods:
        p = ctx.periods[0]
        parts.append(
            str(p.low // 100) if p.low // 100 == p.high // 100 else f"{p.low // 100}-{p.high // 100}"
        )
    return " · ".join(parts)
