"""How a table's header cell is named by a question's term, and a cell read as plain words.

A header names a column by a word of its own, not by the tail of a compound ("training" does not name
"Pre-Training"); a name names it also by its tokens in any order ("InternLM2-Chat-20B" for "InternLM2 20B Chat").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from assistant.ask.matching import MatchText
from assistant.ask.spans import demark
from assistant.ask.terms import Term, normalize

# A name's tokens: runs of letters, of digits (with a decimal point: "3.1"), or of CJK characters.
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=8192)
def name_tokens(text: str) -> frozenset[str]:
    """The tokens of a name or a header cell, split at spaces, hyphens and letter/digit boundaries:
    "InternLM2-Chat-20B" -> {internlm, 2, chat, 20, b}. (Remembered: the same cells and names recur in every
    ask.)"""
    return frozenset(_TOKEN.findall(normalize(demark(text))))


def names_by_tokens(cell: str, term: Term) -> bool:
    """Whether the name ``term`` names ``cell`` whatever the order of its parts: every token of one of its forms
    is a token of the cell ("InternLM2 20B chat" names "InternLM2-Chat-20B", not "InternLM2-Chat-7B")."""
    if not term.name:
        return False
    return covers(name_tokens(cell), (term.label or term.text, *term.forms))


def covers(have: frozenset[str], forms: Sequence[str]) -> bool:
    return any((want := name_tokens(form)) and want <= have for form in forms)


def heads(head: MatchText, term: Term) -> bool:
    """Whether ``term`` names a column: as a word of its own, not the tail of a compound ("training" does not
    name "Pre-Training", "训练" does not name "预训练"); a name also by its tokens in any order."""
    if not head.has(term):
        return names_by_tokens(head.low, term)
    low = head.low
    # the plainest forms only: a glossary group may hold "train" and "pre-train", and only the question's
    # general word is asked, not the compound naming one stage
    plain = [f for f in term.forms if not any(g != f and g in f for g in term.forms)]
    for form in plain:
        i = low.find(form)
        while i >= 0:
            before = low[i - 1] if i > 0 else " "
            if not (before.isalnum() or before == "-"):
                return True
            i = low.find(form, i + 1)
    return term.name  # a name matched loosely (spacing, hyphens) still names its column


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def clean_cell(cell: str) -> str:
    """A cell as plain words: no emphasis marks, no escapes, HTML line breaks as spaces."""
    return " ".join(_LINE_BREAK.sub(" ", demark(cell)).replace("\\", "").split())


def header_only_tails(
    row: str, header: str, terms: Sequence[Term], present: set[str], context: str = ""
) -> set[str]:
    """The texts of ``terms`` counted ``present`` for a table row only through its header row, where they are the
    tail of a compound and name no column ("分" in "总分": a question asking for a score names no "总分" column;
    "training" in "Pre-Training"). The row's own cells and ``context`` (its heading, its caption) are read as
    words."""
    if "|" not in header:
        return set()
    own = MatchText(demark(f"{row} {context}"))
    head = MatchText(demark(header))
    columns = [MatchText(demark(c)) for c in header.strip().strip("|").split("|")]
    return {
        t.text
        for t in terms
        if t.text in present
        and not own.has(t)
        and head.has(t)
        and not any(heads(c, t) for c in columns)
        and not _cjk_word_in(head.low, t)
    }


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _cjk_word_in(low: str, term: Term) -> bool:
    """Whether ``low`` writes a form of ``term`` of two or more Chinese characters: a Chinese header runs its words
    together ("最低显存" is 最低 + 显存), so only a single character inside a longer word ("分" in "总分") is a mere
    part of another word."""
    return any(len(f) > 1 and _CJK.search(f) and f in low for f in term.forms)
