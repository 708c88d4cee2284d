"""Finding a question's terms in a text: each form looked for the way its kind needs (a Chinese form as a
substring, a name at a word start and not inside a longer version, an English word by its start), with a name's
spaced or hyphenated spelling matching its compact one ("gaudi 3" ~ "gaudi3")."""

from __future__ import annotations

import functools
import re

from assistant.ask.terms import COMPACT_RE, Term, normalize
from assistant.text import CJK_RE

_NUMBER_RE = re.compile(r"[\d.,]+")


class MatchText:
    """A sentence (or passage) prepared for term lookup: lowered once, compacted when a name needs it."""

    __slots__ = ("low", "_compact")

    def __init__(self, text: str, *, low: str | None = None) -> None:
        self.low = normalize(text) if low is None else low
        self._compact: str | None = None

    @property
    def compact(self) -> str:
        if self._compact is None:
            self._compact = COMPACT_RE.sub("", self.low)
        return self._compact

    def part(self, start: int, end: int) -> MatchText:
        """The lowered text of ``[start, end)`` of the original, when lowering kept every offset (else re-lowered)."""
        return MatchText("", low=self.low[start:end])

    def has(self, term: Term) -> bool:
        """Whether any form of ``term`` occurs (English forms at a word start; names ignoring spaces/hyphens; an
        acronym also spelled out: "IEA" in "the International Energy Agency")."""
        return (
            self.find(term) >= 0
            or any(self._compact_hit(how, key) for how, _, key in _plans(term.forms, term.name))
            or (
                term.name
                and _ACRONYM.fullmatch(term.label) is not None
                and _spelled_out(self.low, term.label)
            )
        )

    def find(self, term: Term) -> int:
        """Offset (in the lowered text) of the first form of ``term`` found, or -1."""
        best = -1
        for how, form, _ in _plans(term.forms, term.name):
            i = _find_form(self.low, how, form, 0)
            if i >= 0 and (best < 0 or i < best):
                best = i
        return best

    def count(self, term: Term) -> int:
        """How many times the forms of ``term`` occur, each found as ``find`` finds it ("llama 3" is not
        counted inside "llama 3.3")."""
        n = 0
        for how, form, _ in _plans(term.forms, term.name):
            i = _find_form(self.low, how, form, 0)
            while i >= 0:
                n += 1
                i = _find_form(self.low, how, form, i + max(1, len(form)))
        return n

    def _compact_hit(self, how: str, key: str) -> bool:
        # spaced or hyphenated names also match their compact spelling ("gaudi 3" ~ "gaudi3")
        # (looked for in the text as written, so the word before it still counts as before it)
        return how == "name" and len(key) >= 4 and _spaced(key).search(self.low) is not None


@functools.lru_cache(maxsize=4096)
def _spaced(key: str) -> re.Pattern[str]:
    """``key`` with optional spaces, hyphens or underscores between its characters, at a word start and not
    followed by more digits when it ends in one."""
    body = r"[\s\-_·]*".join(re.escape(ch) for ch in key)
    tail = r"(?!\.?\d)" if key[-1:].isdigit() else ""
    return re.compile(r"(?<![a-z0-9])" + body + tail)


# An acronym a question may use for a name a text spells out; the function words no acronym's letter stands for.
_ACRONYM = re.compile(r"[A-Z]{3,6}")
_FUNCTION_WORDS = frozenset({
    "and", "are", "as", "at", "be", "but", "by", "each", "for", "from", "has", "have", "in", "into", "is", "its",
    "it", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was", "were", "with",
})  # fmt: skip


def _spelled_out(low: str, acronym: str) -> bool:
    """Whether ``low`` writes words (three letters or more, no function word) whose initials spell ``acronym``."""
    for m in _spelled(acronym.lower()).finditer(low):
        if not any(w in _FUNCTION_WORDS for w in m.group(0).split()):
            return True
    return False


@functools.lru_cache(maxsize=512)
def _spelled(acronym: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![a-z])" + r"[\s-]+".join(f"{re.escape(c)}[a-z]{{2,}}" for c in acronym) + r"(?![a-z])"
    )


# A product id with an English plural s ("h100s", "a800s").
_PLURAL_ID = re.compile(r"[a-z][a-z0-9.-]*\d+s")


@functools.lru_cache(maxsize=4096)
def _plans(forms: tuple[str, ...], name: bool) -> tuple[tuple[str, str, str], ...]:
    """How to look for each form: 'cjk' substring, 'name' (no letter before, no digit after), 'exact' or 'prefix'."""
    out = []
    for form in forms:
        if CJK_RE.search(form):
            out.append(("cjk", form, form))
        elif name:
            out.append(("name", form, COMPACT_RE.sub("", form)))
            if _PLURAL_ID.fullmatch(form):  # "H100s" is the plural of the id H100, as a text writes it
                out.append(("name", form[:-1], COMPACT_RE.sub("", form[:-1])))
        elif len(form) <= 2 or _NUMBER_RE.fullmatch(form):
            out.append(("exact", form, form))
        else:
            out.append(("prefix", form, form))
    return tuple(out)


def _find_form(text: str, how: str, form: str, start: int) -> int:
    if how == "cjk":
        return text.find(form, start)
    if how == "name":
        return _name_find(text, form, start)
    return _word_start_find(text, form, exact=how == "exact", start=start)


def _name_find(text: str, key: str, start: int = 0) -> int:
    # a name at a word start, not followed by more digits ("h800" is not in "h8000", "v3" not in "v32") or by a
    # minor version ("llama 3" is not in "llama 3.3", "deepseek-v3" not in "deepseek-v3.2")
    i = text.find(key, start)
    while i >= 0:
        before = text[i - 1] if i > 0 else " "
        end = i + len(key)
        after = text[end : end + 2]
        more = after[:1].isdigit() or (after[:1] == "." and after[1:].isdigit())
        if not (before.isascii() and before.isalnum()) and not (more and key[-1].isdigit()):
            return i
        i = text.find(key, i + 1)
    return -1


def _word_start_find(text: str, form: str, *, exact: bool, start: int = 0) -> int:
    i = text.find(form, start)
    while i >= 0:
        # ("2b" does not start a word inside "1.2b": a decimal's digits are one number)
        decimal = form[:1].isdigit() and i >= 2 and text[i - 1] in ".," and text[i - 2].isdigit()
        if (i == 0 or not text[i - 1].isalnum() or not text[i - 1].isascii()) and not decimal:
            end = i + len(form)
            if not exact or end >= len(text) or not text[end].isalnum() or not text[end].isascii():
                return i
        i = text.find(form, i + 1)
    return -1
