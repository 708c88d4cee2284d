"""Who a figure is about: models, chips and companies named in a text, in Chinese and English.

Each entity has a family and an optional version (``qwen`` / ``2.5-72b``, ``llama`` / ``4-scout``); two mentions of
one family with different versions never match, so "DeepSeek-V3" is never evidence for "DeepSeek-V2". Model names
are read by their shape: a capitalised name with a version or size ("Skywork-13B", "Qwen2.5-72B", "Kimi K2",
"源2.0-102B"); the names listed in ``data/entities.json`` only sharpen this (a family named without a version,
Chinese spellings, company aliases such as 英伟达 = NVIDIA). A bare version ("V3", "R1") names the model family
mentioned before it, in the text or in its surroundings. Other product names (3FS, FlashMLA) are read by shape too.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from pydantic import BaseModel, ConfigDict

EntityClass = str  # "model" | "chip" | "company" | "org" | "product" | "name" (an index name, see check/owners)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing in a text: ``family`` groups versions (``llama`` 3.1 / 4), ``version`` may be empty."""

    family: str
    version: str
    cls: EntityClass
    surface: str = ""
    start: int = 0

    @property
    def key(self) -> str:
        return f"{self.family}:{self.version}" if self.version else self.family


class EntityVocabulary(BaseModel):
    """The names of ``data/entities.json`` (see its ``_doc``)."""

    model_config = ConfigDict(extra="ignore")

    model_families: dict[str, list[str]]
    model_variants: list[str]
    stage_suffixes: list[str]
    chip_names: list[str]
    chip_aliases: dict[str, str] = {}
    companies: dict[str, list[str]]
    orgs: dict[str, list[str]]
    not_products: list[str]


@functools.cache
def vocabulary() -> EntityVocabulary:
    """The entity vocabulary, read and validated once."""
    raw = resources.files("assistant.check").joinpath("data/entities.json").read_text(encoding="utf-8")
    return EntityVocabulary.model_validate(json.loads(raw))


_DASH = r"[\s\-\u2010-\u2015\ufffe\u00ad_]?"
_SEP = r"[\-\u2010-\u2015\ufffe\u00ad_]"
# one part of a version: "V3", "3.1", "72B", "A22B", "K2", "0324", or a variant word ("Scout", "Exp")
_NUM_PART = r"(?:[Vv]\d+(?:\.\d+)?|\d+(?:\.\d+)*(?:[BMKTbmkt]|o)?|[A-Z]\d+(?:\.\d+)?[BMK]?)"


@functools.cache
def _variants() -> str:
    vocab = vocabulary()
    words = set(vocab.model_variants) | {w.capitalize() for w in vocab.stage_suffixes}
    words |= {w.upper() for w in vocab.stage_suffixes}
    return "|".join(sorted((re.escape(v) for v in words), key=len, reverse=True))


@functools.cache
def _version() -> str:
    """A version after a name: parts joined by dashes, a space only before a number or a variant word."""
    variant = rf"(?:{_variants()})(?![a-z])"
    part = rf"(?:{_NUM_PART}|{variant})"
    return rf"(?:{part}(?:{_SEP}{part}|\s(?=\d){_NUM_PART}|\s{variant})*)"


_END = r"(?![A-Za-z0-9]|\.\d)"
# A generation then a size after a shape-read name: "Gemma 2 9B", "Baichuan 2-13B" (a bare "Table 2" is no model)
_GEN_SIZE = r"\s\d+(?:\.\d+)?[\s\-]\d+(?:\.\d+)?[BMT](?![A-Za-z])"


@functools.cache
def _model_regexes() -> list[tuple[re.Pattern[str], str | None, tuple[str, ...]]]:
    """(regex, family, names) for listed families, then (regex, None, ()) for names read by shape. A listed
    family's regex can only match where one of its ``names`` occurs verbatim, a cheap test to run first."""
    out: list[tuple[re.Pattern[str], str | None, tuple[str, ...]]] = []
    version = _version()
    for family, names in vocabulary().model_families.items():
        alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        out.append((re.compile(rf"(?<![A-Za-z])(?:{alts}){_DASH}(?P<v>{version})?{_END}"), family, tuple(names)))
    # Shape: "Skywork-13B-Base", "Qwen2.5-72B", "Hunyuan-Large", "Yuan 2.0-2B", "Kimi K2" (a version after a
    # space has one digit before its point: "MathVista 44.5" is a score); an all-capital name
    # ("XVERSE-13B") needs a dash and a digit, so "FP8", "GSM8K" and "MMLU-Pro" are not models.
    out.append(
        (
            re.compile(
                rf"(?<![A-Za-z0-9\-_.])(?P<n>[A-Z][a-z]+(?:[A-Z][a-z]+)*[A-Z]{{0,4}})"
                rf"(?P<v>\d+(?:\.\d+)?(?:{_SEP}{version})?|{_SEP}{version}|{_GEN_SIZE}(?:{_SEP}{version})?"
                rf"|\s\d\.\d+(?:{_SEP}{version})?|\s[A-Z]\d+){_END}"
            ),
            None,
            (),
        )
    )
    out.append(
        (
            # ... but a count in thousands after the dash ("GSM-8K") names a data set, never a model's version
            re.compile(
                rf"(?<![A-Za-z0-9\-_.])(?P<n>[A-Z]{{2,}}){_SEP}(?!\d+[kK](?![A-Za-z0-9]))"
                rf"(?P<v>(?=[^\s]*\d){version}){_END}"
            ),
            None,
            (),
        )
    )
    # A Chinese name right before a dotted version and a size: "源2.0-102B"
    out.append((re.compile(rf"(?P<n>[\u4e00-\u9fff])(?P<v>\d+\.\d+{_SEP}\d+(?:\.\d+)?[BMT]){_END}"), None, ()))
    return out


# A bare version: one capital and one digit ("V3", "R1", "K2"); H1/H2 and Q1-Q4 are half-years and quarters.
_BARE_RE = re.compile(r"(?<![A-Za-z\d\-_.])(?P<v>[A-GI-PR-Z]\d(?:\.\d)?(?:-Exp|-Zero)?)(?![A-Za-z0-9]|\.\d)")
_PERIOD_RE = re.compile(r"(?:FY|Q|H)\d+", re.IGNORECASE)


@functools.cache
def _chip_regex() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in sorted(vocabulary().chip_names, key=len, reverse=True))
    return re.compile(
        rf"(?<![A-Za-z\d\-])(?P<v>GB[23]00|[HAB]\d{{2,3}}[A-Z]?|L40S?|MI\d{{3}}X?|TPU\s?v\d[a-z]?|"
        rf"(?:{names})(?:\s?\d{{1,3}}[A-C]?)?)(?:(?<=\d)s)?(?![A-Za-z\d])"  # "two H100s": a plural is the chip
    )


# Latin company names need word boundaries ("Meta" must not fire inside "metadata").
_LATIN_BOUNDARY = r"(?<![A-Za-z]){}(?![a-z])"


@functools.cache
def _name_regexes() -> list[tuple[re.Pattern[str], str, EntityClass, tuple[str, ...]]]:
    out: list[tuple[re.Pattern[str], str, EntityClass, tuple[str, ...]]] = []
    vocab = vocabulary()
    for cls, table in (("company", vocab.companies), ("org", vocab.orgs)):
        for family, names in table.items():
            alts = []
            for name in sorted(names, key=len, reverse=True):
                esc = re.escape(name)
                alts.append(_LATIN_BOUNDARY.format(esc) if name.isascii() else esc)
            out.append((re.compile("|".join(alts)), family, cls, tuple(names)))
    return out


def _norm_version(v: str) -> str:
    v = v.strip(" -_\u2010\u2011\u2012\u2013\u2014\u2015\ufffe\u00ad").lower().replace("_", ".")
    v = re.sub(r"[\s\u2010-\u2015\ufffe\u00ad]+", "-", v)
    return v


def _chip_version(v: str) -> str:
    """A chip line's one spelling: a spelling in another script is replaced inside the name, then a listed
    variant maps to its line (``chip_aliases`` of the vocabulary)."""
    v = re.sub(r"\s+", "", v.lower())
    aliases = vocabulary().chip_aliases
    for spelling, line in aliases.items():
        if not spelling.isascii():
            v = v.replace(spelling.lower(), line)
    return aliases.get(v, v)


def find_entities(text: str, offset: int = 0, *, context: Sequence[Entity] = ()) -> list[Entity]:
    """Entities mentioned in ``text`` (positions shifted by ``offset``), earliest first, overlaps removed.

    A bare version ("V3") names the model family mentioned last before it in ``text``, else the first one of
    ``context`` (the entities of the surrounding draft or document); with neither it is dropped.
    """
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in taken)

    def add(entity: Entity, a: int) -> None:
        taken.append((a, a + len(entity.surface)))
        found.append(entity)

    for m in _chip_regex().finditer(text):
        add(Entity("chip", _chip_version(m.group("v")), "chip", m.group(0), offset + m.start()), m.start())
    for regex, family, names in _model_regexes():
        if names and not any(n in text for n in names):
            continue  # none of the family's names occurs: its regex cannot match
        for m in regex.finditer(text):
            a, b = m.span()
            if not free(a, b) or m.group(0) in _not_products():
                continue
            name = family or m.group("n").lower()
            version = _norm_version(m.group("v") or "")
            surface = m.group(0).rstrip(" -_\u2010\u2011\u2012\u2013\u2014\u2015\ufffe\u00ad")
            add(Entity(name, version, "model", surface, offset + a), a)
    for regex, family, cls, names in _name_regexes():
        if not any(n in text for n in names):
            continue
        for m in regex.finditer(text):
            if free(*m.span()):
                add(Entity(family, "", cls, m.group(0), offset + m.start()), m.start())
    for m in _BARE_RE.finditer(text):
        if not free(*m.span()):
            continue
        owner = _owner(found, offset + m.start(), context)
        if owner is not None:
            add(Entity(owner, _norm_version(m.group("v")), "model", m.group(0), offset + m.start()), m.start())
    for m in _PRODUCT_RE.finditer(text):
        a, b = m.span()
        word = m.group(0)
        if len(word) < 3 or word in _not_products() or _PERIOD_RE.fullmatch(word) or not free(a, b):
            continue
        if _AMOUNT_RE.fullmatch(word):
            continue  # an amount with its unit ("808B", "16GB", "128K"), not a name
        add(Entity(word.lower(), "", "product", word, offset + a), a)
    found.sort(key=lambda e: e.start)
    return found


def _owner(found: list[Entity], pos: int, context: Sequence[Entity]) -> str | None:
    """The family of the model named last before ``pos``: in the text, else in its context, else the context's first."""
    for pool in (found, context):
        before = [e for e in pool if e.cls == "model" and e.start < pos]
        if before:
            return max(before, key=lambda e: e.start).family
    return next((e.family for e in context if e.cls == "model"), None)


@functools.cache
def _not_products() -> frozenset[str]:
    return frozenset(vocabulary().not_products)


# Other product names: CamelCase (FlashMLA, DeepGEMM), digit-led (3FS) or letters with digits (GSM8K). They
# name a claim's subject only when no known model, chip or company does.
_PRODUCT_RE = re.compile(
    r"(?<![A-Za-z0-9\-_.])(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|\d+[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z]*\d[A-Za-z0-9]*)"
    r"(?![A-Za-z0-9])"
)
_AMOUNT_RE = re.compile(r"[\d.]+(?:[KMBT]|[KMGTP]i?B|[GM]Hz|[KMGT]?FLOPS|nm|ms|W|D|G)s?", re.IGNORECASE)


def versions_compatible(a: str, b: str) -> bool:
    """Two versions name one model: equal, or equal once a training-stage suffix is dropped ("13b-base"), or
    one is the other's size without the generation ("2-9b" / "9b": "Gemma 2 9B" in a table row "9B")."""
    if {_tuning(a), _tuning(b)} == {"base", "tuned"}:
        return False  # "Baichuan 2-7B-Chat" is not the row "Baichuan 2-7B-Base": another checkpoint, other scores
    a, b = _strip_stage(a), _strip_stage(b)
    return a == b or _without_generation(a) == b or _without_generation(b) == a


# The training stage a checkpoint's suffix names: the pretrained base, or a chat/instruct tuning of it.
TRAINING_STAGE = {"base": "base", "pretrain": "base", "chat": "tuned", "instruct": "tuned", "inst": "tuned", "it": "tuned"}


def _tuning(v: str) -> str:
    """"base" or "tuned" when a version names its checkpoint's training stage ("2-7b-chat"), else ""."""
    stages = set(vocabulary().stage_suffixes)
    parts = v.split("-")
    while len(parts) > 1 and parts[-1] in stages:
        if stage := TRAINING_STAGE.get(parts.pop()):
            return stage
    return ""


def _without_generation(v: str) -> str:
    m = re.fullmatch(r"\d+(?:\.\d+)?-(\d+(?:\.\d+)?[bmt](?:-.*)?)", v)
    return m.group(1) if m else v


def _strip_stage(v: str) -> str:
    stages = set(vocabulary().stage_suffixes)
    parts = v.split("-")
    while len(parts) > 1 and parts[-1] in stages:
        parts.pop()
    return "-".join(parts)


@functools.cache
def _display_names() -> dict[str, tuple[str, str]]:
    vocab = vocabulary()
    out = {}
    for table in (vocab.companies, vocab.orgs, vocab.model_families):
        for family, names in table.items():
            out[family] = (names[0], next((n for n in names if not n.isascii()), names[0]))
    return out


def entity_terms(entity: Entity) -> tuple[str, str]:
    """The entity as an English and a Chinese query term ("DeepSeek-V3" stays as is in both)."""
    names = _display_names()
    if entity.cls in {"company", "org"}:
        return names.get(entity.family, (entity.surface, entity.surface))
    if entity.cls == "model":
        if entity.family not in names:
            return entity.surface, entity.surface
        name, zh_name = names[entity.family]
        version = entity.version.upper() if entity.version[:1].isalpha() else entity.version
        # a Chinese document may write the model's Chinese name against its version ("源2.0-102B")
        zh_form = f"{zh_name}{version}" if version and not zh_name.isascii() else ""
        if entity.surface.isascii() and (not entity.version or entity.version.lower() in entity.surface.lower()):
            # "Grok-1", "Mixtral" as written: the index tokenises it as one word, and a family's display name
            # ("Mistral" for Mixtral) is another model's
            return entity.surface, f"{entity.surface} {zh_form}".strip()
        if not entity.version:
            return name, zh_name
        term = f"{name}{'-' if entity.version[0].isalpha() else ' '}{version}"
        return term, f"{term} {zh_form}".strip()
    return entity.surface, entity.surface
