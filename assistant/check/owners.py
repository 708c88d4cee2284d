"""Whose figure a source figure is, by the words of names rather than by a vocabulary.

Two signals that hold for any corpus:

- an *index name* of a claim (``Aligner.index_names``: a rare word of the claim that is a word of some indexed
  document's title or file name, "DBRX", "Gemma", "零一万物") must be named by the source figure's clause,
  sentence, table row and header, or its document's title or file name;
- the *variant parts* of names (parts with digits: "9B", "4bits", "v0.1", "8x7B"), grouped by their letters: a
  claim about "Yi-34B-Chat-4bits" is not about the row "Yi-34B-Chat-8bits", nor "Gemma 2 9B" about the column
  "Gemma 2 2B PT", whatever the vocabulary knows of Yi or Gemma.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from assistant.check.entities import TRAINING_STAGE, find_entities
from tools.units import match_unit

_PART = re.compile(r"[A-Za-z0-9.]+")
_NUMBERISH = re.compile(r"[\d.,]+[%]?")


def has_name(name: str, text: str) -> bool:
    """``name`` (case folded) occurs in ``text`` as a word of its own: "dbrx" in "DBRX's", not "yi" in "yield"."""
    if not name:
        return False
    if not name.isascii():
        return name in text
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text.casefold()) is not None


def any_name(names: Iterable[str], text: str) -> bool:
    return any(has_name(n, text) for n in names)


def variant_parts(text: str) -> dict[str, set[str]]:
    """The parts of names in ``text`` that carry digits, keyed by their letters: "Yi-34B-Chat-4bits" gives
    {"b": {"34b"}, "bits": {"4bits"}}. Bare numbers (figures, years), parts without letters and amounts with a
    unit word after them are left out."""
    return {kind: set(parts) for kind, parts in _parts(text)}


@functools.lru_cache(maxsize=4096)
def _parts(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """``variant_parts`` for one text, kept: one source row is compared with every claim of a draft."""
    out: dict[str, set[str]] = {}
    for m in _PART.finditer(text):
        if match_unit(text, m.end()) is not None:
            continue  # "4M tokens", "12B parameters": an amount, not a part of a name
        for part in re.split(r"[.](?![0-9])", m.group()):
            part = part.casefold()
            letters = re.sub(r"[^a-z]", "", part)
            if not letters or not any(ch.isdigit() for ch in part) or _NUMBERISH.fullmatch(part):
                continue
            if not part[0].isdigit() and not re.fullmatch(r"[a-z]{1,2}\d+(?:\.\d+)?[a-z]?", part):
                continue  # a word with a digit inside ("gsm8k", "internlm2") names a thing, not a variant of it
            out.setdefault(letters, set()).add(part)
    return tuple((kind, frozenset(parts)) for kind, parts in out.items())


_SUFFIX = re.compile(r"-([A-Za-z]{2,})(?![A-Za-z0-9])")
_FORMATS = {"hf", "fp8", "bf16", "fp16", "int4", "int8", "gguf", "awq", "gptq"}


def name_suffixes(text: str) -> dict[str, set[str]]:
    """The word a name of a known model family carries after a hyphen, beyond what the vocabulary reads as its
    version ("Phi-3-small", "Phi-3-medium", "MiniCPM-2B-dpo"), keyed by the family: two names of one family with
    different such words are different models. Chat and instruct are one tuned checkpoint; file formats are
    not a variant."""
    return {kind: set(words) for kind, words in _suffixes(text)}


@functools.lru_cache(maxsize=4096)
def _suffixes(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    out: dict[str, set[str]] = {}
    for e in find_entities(text, 0):
        if e.cls != "model":
            continue
        m = _SUFFIX.match(text, e.start + len(e.surface))
        if m is None or m.group(1).casefold() in _FORMATS:
            continue
        word = m.group(1).casefold()
        out.setdefault(f"-{e.family}", set()).add(TRAINING_STAGE.get(word, word))
    return tuple((kind, frozenset(words)) for kind, words in out.items())


def variants_conflict(claim: dict[str, set[str]], source: dict[str, set[str]]) -> bool:
    """Both sides name a variant of one kind ("...bits", "...b") and never the same one."""
    return any(kind in source and not parts & source[kind] for kind, parts in claim.items())
