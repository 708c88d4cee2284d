"""Which source figures may be a claim's subject's at all, by the words of names: the document must name the
claim's index name, a table cell's row or header must name its benchmark, and a row or clause naming only other
variants of its model ("Yi-34B-Chat-8bits" for "Yi-34B-Chat-4bits", "| GLM-4.5-Air |" for "GLM-4.5") belongs
to those."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.check.context import FigureContext
from assistant.check.entities import TRAINING_STAGE, find_entities
from assistant.check.owners import any_name, name_suffixes, variant_parts, variants_conflict

if TYPE_CHECKING:
    from assistant.check.claims import DraftClaim
    from assistant.check.evidence import EvidenceFinder, SourceFigure


def owned_sources(
    claim: DraftClaim, sources: Sequence[SourceFigure], finder: EvidenceFinder
) -> list[SourceFigure]:
    """The source figures that may be the claim's subject's by the words of names (``owners``): a document that
    never names the claim's index name is about something else, and a figure whose row, header or clause names
    only other variants ("Yi-34B-Chat-8bits" for "Yi-34B-Chat-4bits") belongs to those; a table cell states
    the claim's benchmark only when its row or header names it."""
    names = [e.family for e in claim.subjects if e.cls == "name"]
    parts = _claim_parts(claim.ctx)
    suffixes = name_suffixes(claim.ctx.sentence_text)
    # a benchmark or product beside the claim's model says what is measured: a table cell is that quantity only
    # when its row or header names it ("| MATH | ... |" is not the LongBench score)
    owner = any(e.cls in {"model", "company", "org", "name"} for e in claim.subjects)
    measured = [e.surface.casefold() for e in claim.subjects if e.cls == "product"] if owner else []
    own_text = claim.ctx.sentence_text.casefold()
    # a table row naming a variant of the claim's model ("| GLM-4.5-Air | FP8 | H100 x 2 |" for "GLM-4.5") is that
    # variant's row when the claim names the model bare; tuned and base checkpoints are told apart elsewhere
    bare = {f"-{e.family}" for e in claim.subjects if e.cls == "model"} - set(suffixes)
    # ... and the row naming the model bare is not the claim's variant ("GLM-4.5-Air" is not "| GLM-4.5 |")
    varied = {k for k, words in suffixes.items() if not words <= set(TRAINING_STAGE.values())}
    # the variant words of the name the figure's own clause says ("GLM-4.5-Air 得分 59.8", not "GLM-4.5 得分 63.2")
    own_variants = {
        k: words
        for k, words in name_suffixes(_named_before(claim.ctx)).items()
        if not words <= set(TRAINING_STAGE.values())
    }
    if not names and not parts and not measured and not suffixes and not bare:
        return list(sources)
    out = []
    for sf in sources:
        where = finder.where(sf) if names else ""
        if (asked := _askable(names, where)) and not any_name(asked, where):
            continue
        # ... or the document is that benchmark's own table (a "SuperCLUE" leaderboard's "| 推理任务 |" column)
        if measured and sf.ctx.header and not any_name(measured, f"{sf.ctx.header} {sf.passage.document.title}"):
            continue
        if measured and not sf.ctx.header and _elsewhere(measured, sf.ctx, finder, own_text):
            continue  # "On ScienceQA it scores 90.8, and on MathVista 44.5": MathVista's is the other figure
        if parts and variants_conflict(parts, variant_parts(_name_text(sf.ctx))):
            continue
        if suffixes and variants_conflict(suffixes, name_suffixes(_name_text(sf.ctx))):
            continue  # "Phi-3-small" is not the column "Phi-3-medium"
        if sf.ctx.header and (bare or varied) and _variant_row(bare, varied, sf.ctx):
            continue
        if not sf.ctx.header and own_variants and _bare_beside_variant(own_variants, sf.ctx):
            continue
        out.append(sf)
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _askable(names: list[str], where: str) -> list[str]:
    """The names a source can be asked to say: a Chinese name ("四季度", "快手") only of a source that writes
    Chinese at all; an English page's sentence and title cannot hold it however much they are about it. Without
    any such name, the source passes."""
    cjk = bool(_HAN.search(where))
    return [n for n in names if cjk or not _HAN.search(n)]


_SIZE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[BM](?![A-Za-z])")


def _variant_row(bare: set[str], varied: set[str], ctx: FigureContext) -> bool:
    """The cell's row or header names, for a family the claim names bare, only a variant of it (not a training
    stage: "-Instruct" is the tuned checkpoint of the same model); or, for a family the claim names with a
    variant word, the family bare."""
    theirs = name_suffixes(ctx.header)
    if any(kind in theirs and not all(w in TRAINING_STAGE.values() for w in theirs[kind]) for kind in bare):
        return True
    named = {f"-{e.family}" for e in find_entities(ctx.header) if e.cls == "model"}
    return any(kind in named and kind not in theirs for kind in varied)


def _bare_beside_variant(varied: dict[str, set[str]], ctx: FigureContext) -> bool:
    """The source figure's clause names the claim's model bare, never with the claim's variant word ("GLM-4.5 has
    ... 32 billion active parameters" for a "GLM-4.5-Air" claim): the figure is the bare model's, as a table row
    naming it bare is (``_variant_row``)."""
    text = _named_before(ctx)
    named = {f"-{e.family}" for e in find_entities(text) if e.cls == "model"}
    theirs = name_suffixes(text)
    return any(kind in named and not words & theirs.get(kind, set()) for kind, words in varied.items())


def _named_before(ctx: FigureContext) -> str:
    """The words before a figure that name whose it is: its clause, or its sentence when the clause names no
    model ("We present GLM-4.5, an open-source ... model with 355B total parameters")."""
    text = _name_text(ctx)
    if ctx.header or any(e.cls == "model" for e in find_entities(text)):
        return text
    return ctx.sentence_text[: max(0, ctx.figure.start - ctx.sentence[0])]


def _elsewhere(names: list[str], ctx: FigureContext, finder: EvidenceFinder, own_text: str) -> bool:
    """The source sentence names the claim's benchmark in another clause than the figure's, whose own words
    name something else, a Latin name the index finds rare and the claim does not say ("On ScienceQA it scores
    90.8")."""
    if not any_name(names, ctx.sentence_text):
        return False
    s0 = ctx.sentence[0]
    if any_name(names, ctx.sentence_text[max(0, ctx.clause[0] - s0) : max(0, ctx.clause[1] - s0)]):
        return False  # "DBRX Instruct's 70.1 on HumanEval": the figure's own clause names it
    before = ctx.sentence_text[max(0, ctx.clause[0] - s0) : max(0, ctx.figure.start - s0)]
    return any(n.isascii() and n not in own_text for n in finder.aligner.rare_names(before))


def _claim_parts(ctx: FigureContext) -> dict[str, set[str]]:
    """The variant parts of the claim's names, with a model size the parser read as a figure ("the 7B
    InternLM2 base model") but not the claim's own figure."""
    parts = variant_parts(ctx.masked)
    s0 = ctx.sentence[0]
    for m in _SIZE.finditer(ctx.sentence_text):
        if not ctx.figure.start <= s0 + m.start() < ctx.figure.end:
            parts.setdefault(m.group().casefold()[-1], set()).add(m.group().casefold())
    return parts


def _name_text(ctx: FigureContext) -> str:
    """The words that say whose a source figure is: a cell's row label and header, else its clause up to it."""
    if ctx.header:
        return ctx.header
    s0 = ctx.sentence[0]
    return ctx.sentence_text[max(0, ctx.clause[0] - s0) : max(0, ctx.figure.start - s0)]
