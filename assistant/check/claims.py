"""Find the checkable figures of a draft: every measured figure with its subject, and the dates of events.

Figures come from ``tools.figures.parse_figures``; this module only decides which of them are claims. Not claims:
digits inside a name ("Gaudi 3"), vague amounts ("数十亿", "several hundred"), codes (688256), time frames
("过去两年", "two years ago"), and dates that merely place another figure in time (they become its period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.check.context import FigureContext, build_contexts, imply_unit
from assistant.check.entities import Entity, find_entities
from assistant.check.figures import SCORE_BEFORE, read_figures
from assistant.check.lexicon import concept_kind, find_concepts
from assistant.check.match import claim_subject_entities
from assistant.text import split_sentences
from tools.units import DURATION_UNITS

_VAGUE_BEFORE = re.compile(
    r"(?:数|几|上|好几|成)$|(?:several|a few|dozens of|hundreds of|thousands of)\s?$", re.I
)
_SCALE_CHARS = "十百千万亿"
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
    entities = find_entities(text)
    near = _near_entities(text, sentences, entities)
    contexts = build_contexts(text, figures, sentences, near_entities=near, context_entities=entities)
    for ctx in contexts:
        imply_unit(ctx)
    by_sentence: dict[tuple[int, int], list[FigureContext]] = {}
    for ctx in contexts:
        by_sentence.setdefault(ctx.sentence, []).append(ctx)
    claims: list[DraftClaim] = []
    for ctx in contexts:
        if not is_claim(text, ctx, by_sentence[ctx.sentence]) or _names_size(text, ctx, entities):
            continue
        subjects = [_with_size(text, e) for e in claim_subject_entities(ctx)]
        owners = [e for e in subjects if not is_reporter(text, e)]
        subjects = owners if owners else subjects  # "Caixin reports that NVIDIA bought Groq": NVIDIA and Groq's
        borrowed = not any(e.cls in {"model", "company", "org"} for e in ctx.sentence_entities)
        claims.append(
            DraftClaim(ctx, subjects, subject_text(ctx, subjects), borrowed and bool(ctx.near_entities))
        )
    return claims, contexts, sentences


_SIZE_BEFORE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?[BM])\s$")
_SIZE_AFTER = re.compile(r"\s(\d+(?:\.\d+)?[BM])(?![\w.])")


_NAMED_VERSION = re.compile(r"(?<![\w.])[A-Z][A-Za-z]+[ -]v?\d{1,2}(?:\.\d{1,2})? $")
_MODEL_NOUN = re.compile(r"\s?(?:模型|基座|版本|对话模型|(?:base |chat |instruct )?(?:model|checkpoint|variant|version)s?\b)", re.I)


# who says a figure, not whose it is: "Caixin reports that …", "据财新报道", "According to IDC, …", "财新称"
_REPORTS_AFTER = re.compile(
    r"\s*(?:Weekly|周刊|'s\s+report)?\s*(?:reports?|reported|says|said|writes|wrote|notes|noted|estimates|estimated|"
    r"quotes|quoted|称|报道|报导|表示|指出|援引|估计|估算|统计|测算|数据显示|显示)",
    re.I,
)
_REPORTS_BEFORE = re.compile(r"(?:according\s+to|per|据|根据|援引)\s*$", re.I)


def is_reporter(text: str, entity: Entity) -> bool:
    """``entity`` is named as the one reporting the sentence's figures (a publication, an analyst firm); a chip
    or a model reports nothing ("$6.31 per H200 GPU hour" is a price of the chip, not "per Reuters")."""
    if entity.cls in {"chip", "model"}:
        return False
    end = entity.start + len(entity.surface)
    return bool(
        _REPORTS_AFTER.match(text, end) or _REPORTS_BEFORE.search(text[max(0, entity.start - 16) : entity.start])
    )


def _names_size(text: str, ctx: FigureContext, entities: list[Entity]) -> bool:
    """A size written right before a model's name or the word model ("the 7B InternLM2 model", "34B 基座模型"), or
    right after the name's last word ("Phi-3-mini 3.8B scores", "Qwen2.5 72B 的"), says which model: it is part
    of the name and claims nothing."""
    fig = ctx.figure
    if fig.unit is not None or not _SIZE_BEFORE.search(text, fig.start, fig.end + 1):
        return False
    if _MODEL_NOUN.match(text, fig.end):
        return True
    if any(e.cls == "model" and e.start == fig.end + 1 for e in entities):
        return True
    if _NAMED_VERSION.search(text, max(0, fig.start - 40), fig.start):
        return True  # "EXAONE 3.5 7.8B was": a name and its version before the size
    # the word before the size (up to one space) begins with a model's name: "Phi-3-mini", "Llama-3-8B-Instruct"
    word = re.search(r"(\S+) $", text[max(0, fig.start - 40) : fig.start])
    if word is None:
        return False
    w0 = fig.start - 1 - len(word.group(1))
    return any(e.cls == "model" and w0 <= e.start and e.start + len(e.surface) <= fig.start - 1 for e in entities)


def _with_size(text: str, entity: Entity) -> Entity:
    """A model named by its generation with its size beside it ("the 7B InternLM2 base model") is that size:
    "InternLM2-7B", so its figures are not the other sizes'."""
    if entity.cls != "model" or not entity.version or re.search(r"\d[bmt](?![a-z])", entity.version):
        return entity
    end = entity.start + len(entity.surface)
    m = _SIZE_BEFORE.search(text, max(0, entity.start - 8), entity.start) or _SIZE_AFTER.match(text, end)
    if m is None:
        return entity
    return Entity(entity.family, f"{entity.version}-{m.group(1).lower()}", "model", entity.surface, entity.start)


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
    if _VAGUE_BEFORE.search(before) and (fig.text[:1] in _SCALE_CHARS or before[-1:].isascii()):
        return False  # "数十亿", "several hundred"; not "总参数约 3890 亿"
    if ctx.sentence_text.rstrip("”’\"' ）)").endswith(("?", "？")):
        return False  # a question asserts nothing
    if fig.unit == "date":
        return _is_event_date(ctx, siblings)
    if fig.unit in DURATION_UNITS and (
        _FRAME_BEFORE.search(before) or _FRAME_AFTER.search(after)
    ):
        return False  # "过去两年", "two years ago": a time frame, not a measured duration
    if text[max(0, fig.start - 1) : fig.start] == "@":
        return False  # "pass@1", "top@5": part of a metric's name
    if re.match(r"零[一二三四五六七八九十百千万亿]", fig.text.strip()):
        return False  # "零一万物": no amount is written with a leading 零; a name is
    if fig.value == 1 and _ONE.match(fig.text):
        return False  # "一颗晶体管", "one day": an article, not an amount
    if fig.unit is None:
        return _is_plain_claim(text, ctx)
    return True


# A count's measure word (170个议席, 48层, 8 张卡) or noun (180 storage nodes, 64 layers, 170 seats).
_MEASURE_AFTER = re.compile(
    r"^\s?(?:[个名家次层张位项座台款篇人席届所条块颗倍轮步种类支只件]|议席|tokens?\b)"
    r"|^\s?(?:[a-z][a-z-]+\s){0,2}[a-z][a-z-]*s\b"
)
# "Table 4", "Section 3", "Step 2", "第3章": a label, not an amount.
_LABEL_BEFORE = re.compile(r"(?:[A-Z][a-z]+\.?|第)\s?$")
_LABEL_AFTER = re.compile(r"^\s?(?:[章节届期版代号页]|[月日](?![均度活])|(?:st|nd|rd|th)\b)")  # "6 月 5 日": a date's parts
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
# a name right before a lone digit ("Gemma 2", "百川 2"): a capitalised Latin word or Chinese characters
_GENERATION = re.compile(r"(?:\b[A-Z][A-Za-z]+|[\u4e00-\u9fff]{2,})\s$")
# what follows a version inside a name: a size ("7.8B"), a capitalised variant word ("Pro", "Sonnet") or a hyphen
_NAME_GOES_ON = re.compile(r"\s?(?:\d+(?:\.\d+)?[BMK]\b|[A-Z][a-z]+\b|-[A-Za-z])")


def _is_plain_claim(text: str, ctx: FigureContext) -> bool:
    """A number without a unit is a claim when it counts something (a measure word or a plural noun after it),
    is a decimal (a score, a ratio), or stands in a sentence that names a subject: "共有170个议席", "scored about 83
    on CMMLU", "Grok-1 has 64 layers". Codes, labels ("Table 4", "第3章") and bare years are not."""
    fig = ctx.figure
    core = fig.text.strip()
    before = text[max(0, fig.start - 12) : fig.start]
    after = text[fig.end : fig.end + 24]
    if re.fullmatch(r"\d{5,}", core):
        return False  # a code or an identifier, not an amount
    if _LABEL_BEFORE.search(before) and "." not in core and not before.endswith(("of ", "at ", "to ")):
        return False
    yearlike = _YEARLIKE.fullmatch(core) and not SCORE_BEFORE.search(text, max(0, fig.start - 16), fig.start)
    if _LABEL_AFTER.match(after) or (yearlike and not _MEASURE_AFTER.match(after)):
        return False  # a bare year; "1959 项" counts patents, "评分为 2029" is a rating
    if _GENERATION.search(before) and re.fullmatch(r"\d", core) and not _MEASURE_AFTER.match(after):
        return False  # "百川 2 的", "Gemma 2 9B": a name's generation number, not an amount
    if _GENERATION.search(before) and re.fullmatch(r"\d{1,2}\.\d{1,2}", core) and _NAME_GOES_ON.match(after):
        return False  # "EXAONE 3.5 7.8B", "Gemini 2.5 Pro": a version between a name and its size or variant
    if re.fullmatch(r"0\d+", core):
        return False  # "(06-05)", "07 号": a number written with a leading zero is a date part or a code
    if "." in core or "," in core or ctx.objects or _MEASURE_AFTER.match(after):
        return True  # a decimal, or a number grouped by thousands ("128,064"): an amount, never a code
    return any(e.cls in {"model", "company", "org", "chip", "product"} for e in ctx.sentence_entities)


def _is_event_date(ctx: FigureContext, siblings: list[FigureContext]) -> bool:
    """A date is a claim when its sentence holds no other measured figure (else it dates that figure) and it
    either names a month ("1937年7月7日", "June 19, 2020": the date of an event) or the sentence reports an event
    by an actor or a product ("DeepSeek released V3 in 2024")."""
    fig = ctx.figure
    if fig.value < 1900:
        return False  # a month without a year cannot be checked
    others = [s for s in siblings if s.figure.unit != "date" and s is not ctx]
    if fig.value >= 190000 and _MONTH.search(fig.text):
        # the date of an event, unless a measured figure of its own clause is what it dates; a time of day
        # right after it ("2006年1月17日07时30分") is part of the date
        c0, c1 = ctx.clause
        measured = [s for s in others if s.figure.unit is not None and s.figure.start - fig.end > 1]
        return not any(c0 <= s.figure.start < c1 for s in measured)
    if others:
        return False
    if not any(e.cls in {"model", "company", "org", "chip"} for e in ctx.sentence_entities):
        return False  # an event needs an actor or a product
    concepts = find_concepts(ctx.sentence_text)
    return any(c in _EVENT_CONCEPTS for c in concepts)


_MONTH = re.compile(r"月|[A-Z][a-z]{2}|\d{4}[-/.]\d{1,2}")


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
